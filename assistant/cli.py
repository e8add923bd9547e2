"""`assistant ingest | ask | articles | delete | chat | eval`.

Heavy libraries (torch, chromadb) are imported only by the commands that need them, so
`assistant --help` and `assistant articles` start in a blink."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.api import Assistant
    from assistant.schema import Answer
    from assistant.settings import Settings


def _settings(args: argparse.Namespace) -> Settings:
    from assistant.settings import Settings

    return Settings.from_env(data_dir=getattr(args, "data_dir", None))


def _assistant(args: argparse.Namespace) -> Assistant:
    from assistant.api import Assistant

    return Assistant(_settings(args))


class _Progress:
    """Files read, articles stored, chunks embedded, on stderr: one updating line on a
    terminal; elsewhere (a log file, a pipe) a plain line every `every` seconds, so that a long
    ingest shows it is alive."""

    def __init__(self, quiet: bool, every: float = 5.0) -> None:
        self.quiet = quiet
        self.live = sys.stderr.isatty()
        self.every = every
        self.state = {"files": "0/0", "articles": "0", "embeddings": "0"}
        self.began = self.last = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.state[stage] = f"{done}/{total}" if stage == "files" else str(done)
        if self.quiet:
            return
        now = time.perf_counter()
        sentences = self.state.get("sentences")
        line = (
            f"files {self.state['files']}  articles {self.state['articles']}  "
            f"chunks embedded {self.state['embeddings']}"
            + (f"  sentences embedded {sentences}" if sentences else "")
            + f"  ({now - self.began:.0f} s)"
        )
        if self.live:
            sys.stderr.write(f"\r{line}   ")
        elif now - self.last >= self.every:
            self.last = now
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def close(self) -> None:
        if self.live and not self.quiet:
            sys.stderr.write("\n")


def cmd_ingest(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    progress = _Progress(args.quiet, every=args.progress_every)
    try:
        report = assistant.ingest(args.paths, progress=progress, prune=args.prune)
    finally:
        progress.close()
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.summary())
    troubled = report.failed or report.skipped
    return 1 if troubled and not (report.added or report.replaced or report.unchanged) else 0


def format_answer(answer: Answer) -> str:
    lines = [answer.text, ""]
    notes = [
        note for note in (answer.correction_note, answer.period_note, answer.outlet_note) if note
    ]
    if notes:
        lines = [*notes, "", *lines]
    if answer.abstained:
        if answer.related:
            lines.append("Related passages (not answers):")
            for passage in answer.related:
                snippet = " ".join(passage.text.split())
                snippet = snippet if len(snippet) <= 160 else snippet[:157].rsplit(" ", 1)[0] + " …"
                lines.append(f"  - {snippet}")
                lines.append(
                    f"    — {passage.title} ({_outlet_date(passage.source, passage.published_at)})"
                )
        return "\n".join(lines).rstrip()
    citations = answer.citations
    if answer.layout == "timeline" and answer.groups:
        # Oldest first: the order a timeline is read in.
        by_n = {c.n: c for c in answer.citations}
        citations = [by_n[n] for group in answer.groups for n in group.citations if n in by_n]
        lines.append("Timeline (by publication date):")
    for citation in citations:
        lines.append(f"[{citation.n}] {citation.quote}")
        said = f" · said by {citation.speaker}" if citation.speaker else ""
        lines.append(
            f"    — {citation.title} ({_outlet_date(citation.source, citation.published_at)})"
            + said
        )
        if citation.also_published_by:
            lines.append(f"    also published by: {', '.join(citation.also_published_by)}")
        if citation.days:
            from assistant.text.relative_days import days_line

            lines.append("    " + days_line(citation.days))
    if answer.corroboration_note:
        lines.extend(["", answer.corroboration_note])
    if answer.unsupported:
        lines.append("")
        lines.append("Not supported by the articles: " + " | ".join(answer.unsupported))
    return "\n".join(lines).rstrip()


def _outlet_date(source: str, published_at: str | None) -> str:
    return ", ".join(part for part in (source, published_at) if part) or "unknown source"


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.schema import SearchFilter

    # Checked before the model loads, so that a bad date is an error at once, not an abstention.
    filters = SearchFilter.from_dict(
        {
            "sources": args.source or [],
            "article_ids": args.article or [],
            "date_from": args.date_from,
            "date_to": args.date_to,
        }
    )
    assistant = _assistant(args)
    answer = assistant.ask(" ".join(args.question), filters=filters)
    if args.json:
        print(json.dumps(answer.to_dict(with_passages=args.passages), indent=2, ensure_ascii=False))
    else:
        print(format_answer(answer))
    return 0


def cmd_articles(args: argparse.Namespace) -> int:
    from assistant.index.registry import Registry

    settings = _settings(args)
    path = settings.data_dir / "registry.sqlite3"
    rows = Registry(path).articles() if path.exists() else []
    if args.json:
        print(json.dumps([row.__dict__ for row in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print(f"No articles indexed in {settings.data_dir}. Add some: assistant ingest PATH")
        return 0
    for row in rows:
        print(
            f"{row.id}  {row.published_at or '----------'}  {row.source[:18]:<18}  "
            f"{row.chunk_count:>3} chunks  {row.title}"
        )
    print(f"{len(rows)} articles")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    status = 0
    for article_id in args.ids:
        if assistant.delete(article_id):
            print(f"deleted {article_id}")
        else:
            print(f"no article with id {article_id} (see `assistant articles`)", file=sys.stderr)
            status = 1
    return status


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant.web.app import serve

    settings = _settings(args).with_overrides(host=args.host, port=args.port)
    serve(settings, ingest_paths=args.ingest or [])
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from assistant.evals.runner import main as eval_main

    return eval_main(args, _settings(args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="Answers questions about news articles with verbatim, verified citations.",
    )
    parser.add_argument(
        "--data-dir", type=Path, help="index folder (default: ASSISTANT_DATA_DIR or ./.assistant)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="index files and folders (txt, md, html, json, jsonl)")
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--json", action="store_true", help="print the report as JSON")
    ingest.add_argument("--quiet", action="store_true", help="no progress line")
    ingest.add_argument(
        "--progress-every",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="when stderr is not a terminal (a log, a pipe): seconds between progress lines",
    )
    ingest.add_argument(
        "--prune", action="store_true", help="also remove articles whose files under PATH are gone"
    )
    ingest.set_defaults(func=cmd_ingest)

    ask = sub.add_parser("ask", help="ask a question; prints the answer with its citations")
    ask.add_argument("question", nargs="+")
    ask.add_argument("--json", action="store_true", help="print the Answer as JSON")
    ask.add_argument(
        "--passages", action="store_true", help="with --json: include retrieved passages"
    )
    ask.add_argument("--source", action="append", help="only this outlet (repeatable)")
    ask.add_argument("--article", action="append", help="only this article id (repeatable)")
    ask.add_argument("--from", dest="date_from", help="published on or after YYYY-MM-DD")
    ask.add_argument("--to", dest="date_to", help="published on or before YYYY-MM-DD")
    ask.set_defaults(func=cmd_ask)

    articles = sub.add_parser("articles", help="list indexed articles")
    articles.add_argument("--json", action="store_true")
    articles.set_defaults(func=cmd_articles)

    delete = sub.add_parser("delete", help="remove articles and their chunks by id")
    delete.add_argument("ids", nargs="+")
    delete.set_defaults(func=cmd_delete)

    chat = sub.add_parser("chat", help="serve the chat page")
    chat.add_argument("--host", default=None, help="bind address (default 127.0.0.1)")
    chat.add_argument("--port", type=int, default=None, help="port (default 7860)")
    chat.add_argument("--ingest", action="append", type=Path, help="index these paths first")
    chat.set_defaults(func=cmd_chat)

    evaluate = sub.add_parser("eval", help="run a gold set or benchmark and write a report")
    evaluate.add_argument("target", nargs="?", help="gold set .jsonl, or multihop-rag / squad2")
    evaluate.add_argument("--config", action="append", help="configuration name (repeatable)")
    evaluate.add_argument("--limit", type=int, help="only the first N questions")
    evaluate.add_argument(
        "--compare", nargs=2, metavar=("A", "B"), help="diff two report.json files"
    )
    evaluate.add_argument("--out", type=Path, help="report folder (default evals/reports/...)")
    evaluate.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from assistant.errors import AssistantError

    try:
        return int(args.func(args))
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
