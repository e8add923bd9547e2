"""The Gradio chat page: streamed cited answers, source cards, article viewer, source guide,
filters and uploads. One Assistant (model + index) serves every session."""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.offline import enforce_offline

enforce_offline()  # before gradio is imported: it reads GRADIO_ANALYTICS_ENABLED at import

import gradio as gr  # noqa: E402

from assistant.api import Assistant  # noqa: E402
from assistant.errors import AssistantError, ConfigError, IndexBusyError  # noqa: E402
from assistant.ingest.readers import ACCEPTED_SUFFIXES  # noqa: E402
from assistant.schema import SearchFilter  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.web.guide import SourceGuide, build_guide  # noqa: E402
from assistant.web.library import SORTS, fingerprint, table_page  # noqa: E402
from assistant.web.render import (  # noqa: E402
    esc,
    plain_answer,
    render_answer,
    render_article,
    render_article_table,
    render_guide,
    render_header,
    render_ingest_result,
    render_message,
    render_partial,
    render_question,
)
from assistant.web.script import COPY_JS, PAGE_JS, SCROLL_TO_QUOTE  # noqa: E402
from assistant.web.style import CSS, THEME  # noqa: E402

UPLOAD_TYPES = sorted(ACCEPTED_SUFFIXES)
# The first example for a collection of one article (a new user's first question, often).
SUMMARY_EXAMPLE = "What is the article about?"
N_EXAMPLES = 3
REFRESH_SECONDS = 10.0
_STAGES = {"files": "Reading files", "articles": "Splitting articles", "embeddings": "Embedding"}
# Setting names belong in the docs, not in what a reader of the page is told.
_SETTING_NAME = re.compile(r"\s*\(?\bASSISTANT_[A-Z_]+\b\)?")
BUSY_TEXT = (
    "Another ingest is writing to the index right now. Try again when it has finished; "
    "nothing was added."
)


def user_message(exc: AssistantError) -> str:
    """An error as the page tells it: no setting names, no server paths."""
    if isinstance(exc, IndexBusyError):
        return BUSY_TEXT
    return _SETTING_NAME.sub("", str(exc))


def too_long_text(length: int, limit: int) -> str:
    return (
        f"This question is {length:,} characters long; questions can be up to {limit:,}. "
        "Shorten it and ask again: your text is still in the box."
    )


class ChatPage:
    """The page's behaviour, separate from its layout so tests and the API share it."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        self.upload_dir = (self.settings.data_dir / "uploads").resolve()
        self._guides: dict[tuple[str, str], SourceGuide] = {}
        self._guide_lock = threading.Lock()

    # answers
    def article_text(self, article_id: str) -> str | None:
        article = self.assistant.article(article_id)
        return article.text if article else None

    @staticmethod
    def filters(
        article_ids: list[str] | None,
        sources: list[str] | None,
        date_from: str | None,
        date_to: str | None,
    ) -> dict[str, Any]:
        # SearchFilter checks the dates once, for the page, the CLI and the Python API alike.
        return SearchFilter.from_dict(
            {
                "article_ids": article_ids,
                "sources": sources,
                "date_from": date_from,
                "date_to": date_to,
            }
        ).to_dict()

    def respond(
        self,
        question: str,
        display: list[dict[str, Any]] | None,
        history: list[dict[str, str]] | None,
        article_ids: list[str] | None = None,
        sources: list[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> Iterator[tuple[str, list[dict[str, Any]], list[dict[str, str]], str]]:
        """Stream one turn: (textbox, chat display, plain history, copy text) per update."""
        display = list(display or [])
        # The history follows what is on screen: a chat cleared by any control (the page's
        # button, the chat's own trash icon) leaves nothing for a follow-up to lean on.
        history = list(history or []) if display else []
        question = (question or "").strip()
        if not question:
            yield "", list(display), history, ""
            return
        limit = self.settings.max_question_chars
        if len(question) > limit:
            # Refused before it is shown as asked, and the text stays in the box to be cut down.
            display.append(
                {
                    "role": "assistant",
                    "content": render_message(too_long_text(len(question), limit)),
                }
            )
            yield question, display, history, ""
            return
        display.append({"role": "user", "content": render_question(question)})
        display.append({"role": "assistant", "content": render_partial("")})
        yield "", list(display), history, ""
        try:
            filters = self.filters(article_ids, sources, date_from, date_to)
            final = None
            for partial in self.assistant.stream(question, history=history, filters=filters):
                final = partial
                if partial.complete:
                    break
                display[-1] = {"role": "assistant", "content": render_partial(partial.text)}
                yield "", list(display), history, ""
        except AssistantError as exc:
            display[-1] = {"role": "assistant", "content": render_message(user_message(exc))}
            yield question, list(display), history, ""
            return
        if final is None:
            display[-1] = {"role": "assistant", "content": render_message("No answer came back.")}
            yield question, list(display), history, ""
            return
        related = self.related(final, filters) if final.abstained else None
        display[-1] = {
            "role": "assistant",
            "content": render_answer(final, self.article_text, asked=question, related=related),
        }
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": final.text},
        ]
        yield "", display, history, plain_answer(final)

    def related(self, answer: Any, filters: dict[str, Any]) -> list[Any]:
        """Closest passages for an abstention, from as many articles as the top ten reach."""
        question = answer.standalone_question or answer.question
        try:
            return self.assistant.retrieve(question, k=10, filters=filters) or answer.related
        except AssistantError:
            return list(answer.related)

    def ask_api(
        self,
        question: str,
        history: list[dict[str, str]] | None = None,
        filters: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Answer one question; returns the answer as JSON (text, citations, abstained, ...)."""
        return self.assistant.ask(question, history=history or [], filters=filters).to_dict()

    # articles
    def article_rows(self) -> list[list[Any]]:
        return [
            [a.title, a.source, a.published_at or "", a.chunk_count]
            for a in self.assistant.articles()
        ]

    def table(self, query: str, sort: str, page: int) -> tuple[Any, ...]:
        """One page of the article table: (table, label, page number, prev, next)."""
        shown = table_page(self.assistant.articles(), query, sort, page)
        empty = "No article matches that search." if shown.total else ""
        return (
            render_article_table(shown.rows, empty),
            f'<div class="pager-label">{esc(shown.label)}</div>',
            shown.page,
            gr.update(interactive=shown.page > 0, visible=shown.pages > 1),
            gr.update(interactive=shown.page + 1 < shown.pages, visible=shown.pages > 1),
        )

    def example_questions(self, n: int = N_EXAMPLES) -> list[str]:
        """Questions the collection answers, from its newest articles: one per article first,
        so the examples show the range of what is indexed. A collection of one article is
        offered its summary first."""
        articles = sorted(
            self.assistant.articles(), key=lambda a: a.published_at or "", reverse=True
        )
        guides = [g for a in articles[:n] if (g := self.guide(a.id)) is not None]
        rounds = [[g.questions[i] for g in guides if i < len(g.questions)] for i in range(n)]
        summary = [SUMMARY_EXAMPLE] if len(articles) == 1 else []
        return list(dict.fromkeys([*summary, *(q for qs in rounds for q in qs)]))[:n]

    def library_updates(
        self, query: str = "", sort: str = SORTS[0], page: int = 0
    ) -> tuple[Any, ...]:
        """Everything that shows the collection: fingerprint, header, table, the choices of the
        filters and the source guide picker, and the example questions."""
        articles = self.assistant.articles()
        outlets = sorted({a.source for a in articles if a.source})
        choices = [(f"{a.title[:70]} ({a.source or 'unknown'})", a.id) for a in articles]
        examples = self.example_questions()
        buttons = [
            gr.update(value=examples[i], visible=True)
            if i < len(examples)
            else gr.update(visible=False)
            for i in range(N_EXAMPLES)
        ]
        return (
            fingerprint(articles),
            render_header(len(articles), len(outlets)),
            *self.table(query, sort, page),
            gr.update(choices=choices),
            gr.update(choices=outlets),
            gr.update(choices=choices),
            *buttons,
        )

    def refresh(self, seen: str, query: str, sort: str, page: int) -> tuple[Any, ...]:
        """library_updates when the collection changed since `seen` (a CLI ingest, another
        session's upload); otherwise nothing is sent."""
        if fingerprint(self.assistant.articles()) == seen:
            return tuple(gr.skip() for _ in range(7 + 3 + N_EXAMPLES))
        return self.library_updates(query, sort, page)

    def open_article(self, request: str) -> tuple[str, Any]:
        try:
            data = json.loads(request or "{}")
            article = self.assistant.article(str(data.get("id", "")))
        except (ValueError, TypeError):
            article = None
        if article is None:
            return render_message("That article is no longer indexed."), gr.update(visible=True)
        start, end = int(data.get("start") or 0), int(data.get("end") or 0)
        return render_article(article, start, end), gr.update(visible=True)

    # source guide
    def guide(self, article_id: str) -> SourceGuide | None:
        article = self.assistant.article(article_id)
        if article is None:
            return None
        key = (article.id, article.content_hash)
        with self._guide_lock:
            if key in self._guides:
                return self._guides[key]

        def answers(question: str) -> bool:
            # Offer only what the index answers from this very article.
            answer = self.assistant.ask(question, filters={"article_ids": [article.id]})
            return not answer.abstained and any(
                c.article_id == article.id for c in answer.citations
            )

        guide = build_guide(article, answers=answers, embed=self.assistant.embeddings.encode)
        with self._guide_lock:
            self._guides[key] = guide
        return guide

    def select_article(self, article_id: str | None) -> tuple[Any, ...]:
        if not article_id:
            return "", *(gr.update(visible=False),) * 3
        article = self.assistant.article(article_id)
        guide = self.guide(article_id)
        if article is None or guide is None:
            return render_message("That article is no longer indexed."), *(
                gr.update(visible=False),
            ) * 3
        buttons = [
            gr.update(value=guide.questions[i], visible=True)
            if i < len(guide.questions)
            else gr.update(visible=False)
            for i in range(3)
        ]
        return render_guide(guide, article), *buttons

    # uploads
    def safe_upload_path(self, name: str) -> Path:
        """A path inside the upload folder whatever the client called the file."""
        base = Path(str(name).replace("\\", "/")).name
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip("._-")[:120] or "upload.txt"
        target = (self.upload_dir / base).resolve()
        if target.parent != self.upload_dir:
            raise AssistantError(f"refused file name {name!r}")
        return target

    def upload(self, files: list[Any] | None, progress: gr.Progress | None = None) -> str:
        """Copy accepted files into the upload folder, index them, and report what happened."""
        failures: list[tuple[str, str]] = []
        accepted: list[Path] = []
        limit = upload_limit_bytes(self.settings)
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        files = list(files or [])
        cap = self.settings.max_upload_files
        if len(files) > cap:
            # One upload may not queue unbounded work; the first `cap` files still go in.
            failures.append((f"{len(files) - cap} more file(s)", f"at most {cap} files per upload"))
            files = files[:cap]
        for item in files:
            source = Path(getattr(item, "name", None) or str(item))
            display_name = source.name
            try:
                if source.suffix.lower() not in UPLOAD_TYPES:
                    kinds = ", ".join(UPLOAD_TYPES)
                    kind = source.suffix or "(none)"
                    raise AssistantError(f"unsupported type {kind}; use {kinds}")
                size = source.stat().st_size
                if size > limit:
                    cap = self.settings.max_upload_mb
                    raise AssistantError(f"{size / 1e6:.1f} MB is over the {cap:g} MB upload limit")
                target = self.safe_upload_path(display_name)
                shutil.copyfile(source, target)
                accepted.append(target)
            except (AssistantError, OSError) as exc:
                failures.append((display_name, str(exc)))
        done_lines: list[str] = []
        if accepted:

            def report_progress(stage: str, done: int, total: int) -> None:
                if progress is not None and total:
                    progress((done, total), desc=_STAGES.get(stage, stage))

            try:
                report = self.assistant.ingest(accepted, progress=report_progress)
            except AssistantError as exc:
                failures += [(p.name, user_message(exc)) for p in accepted]
            else:
                failures += [(Path(origin).name, reason) for origin, reason in report.failed]
                titles = {a.id: a.title for a in self.assistant.articles()}
                # An upload that shares its file name with an indexed article but not its text
                # is kept as a second article, which the reader should know.
                kept_beside = {added: other for _, added, other in report.same_name}
                for article_id in report.added:
                    title = titles.get(article_id, article_id)
                    line = f"Added: {title}"
                    if title in kept_beside:
                        earlier = kept_beside[title]
                        line += (
                            f" (a different article with the same file name, “{earlier}”, was kept)"
                        )
                    done_lines.append(line)
                done_lines += [f"Updated: {titles.get(i, i)}" for i in report.replaced]
                if report.unchanged:
                    done_lines.append(f"{report.unchanged} already indexed, unchanged")
                done_lines += [
                    f"Same text as an indexed article: {Path(o).name}" for o, _ in report.duplicates
                ]
                with self._guide_lock:
                    self._guides.clear()
        return render_ingest_result(done_lines, failures)


def build_app(assistant: Assistant) -> gr.Blocks:
    """The chat page for an Assistant; the caller launches it (see serve and launch_options)."""
    page = ChatPage(assistant)
    settings = assistant.settings
    with gr.Blocks(title="Article Assistant", analytics_enabled=False) as demo:
        # Drawn with the collection as it is now, so the first paint is not "no articles".
        known = assistant.articles()
        header = gr.HTML(
            render_header(len(known), len({a.source for a in known if a.source})),
            elem_id="app-header",
        )
        with gr.Row(equal_height=False, elem_id="main-row"):
            with gr.Column(scale=3, min_width=300, elem_id="chat-column"):
                chatbot = gr.Chatbot(
                    elem_id="chatbot",
                    show_label=False,
                    height="min(64vh, 680px)",
                    latex_delimiters=[],
                    sanitize_html=True,
                    # The page scrolls each new answer to its first line (PAGE_JS); Gradio's own
                    # scrolling would pin the bottom of the last source card instead.
                    autoscroll=False,
                    placeholder="Ask about the indexed articles. Answers quote them word for word.",
                    buttons=["copy"],
                )
                with gr.Row(elem_id="ask-row"):
                    question = gr.Textbox(
                        placeholder="Ask a question about the articles…",
                        show_label=False,
                        container=False,
                        scale=5,
                        min_width=180,
                        elem_id="question",
                        lines=1,
                        max_lines=4,
                    )
                    ask = gr.Button(
                        "Ask", variant="primary", scale=1, min_width=70, elem_id="ask-btn"
                    )
                gr.HTML(
                    f'<span class="count" data-max="{int(settings.max_question_chars)}"></span>',
                    elem_id="question-count",
                )
                with gr.Row(elem_id="tools-row"):
                    examples = [
                        gr.Button(
                            visible=False,
                            size="sm",
                            variant="secondary",
                            min_width=110,
                            elem_classes=["example-btn"],
                        )
                        for _ in range(N_EXAMPLES)
                    ]
                with gr.Row(elem_id="actions-row"):
                    copy = gr.Button("Copy answer", size="sm", elem_id="copy-btn")
                    clear = gr.Button("Clear chat", size="sm", elem_id="clear-btn")
            with gr.Column(scale=2, min_width=280, elem_id="side-panel"):
                with gr.Column(visible=False, elem_id="article-viewer") as viewer:
                    with gr.Row():
                        gr.Markdown("**Article**")
                        close = gr.Button("Close", size="sm", scale=0, elem_id="close-article")
                    viewer_html = gr.HTML(elem_id="article-html")
                with gr.Tabs():
                    with gr.Tab("Articles", elem_id="tab-articles"):
                        with gr.Row(elem_id="table-tools"):
                            search = gr.Textbox(
                                placeholder="Search titles and outlets",
                                show_label=False,
                                container=False,
                                scale=3,
                                min_width=160,
                                elem_id="table-search",
                            )
                            sort = gr.Dropdown(
                                SORTS,
                                value=SORTS[0],
                                show_label=False,
                                container=False,
                                scale=2,
                                min_width=120,
                                elem_id="table-sort",
                            )
                        table = gr.HTML(elem_id="articles-table")
                        with gr.Row(elem_id="table-pager"):
                            prev_page = gr.Button(
                                "‹ Prev", size="sm", min_width=60, elem_id="prev-page"
                            )
                            pager_label = gr.HTML(elem_id="pager-label")
                            next_page = gr.Button(
                                "Next ›", size="sm", min_width=60, elem_id="next-page"
                            )
                        guide_pick = gr.Dropdown(
                            label="Source guide: pick an article",
                            choices=[],
                            elem_id="guide-pick",
                        )
                        guide_html = gr.HTML(elem_id="guide")
                        suggested = [
                            gr.Button(visible=False, size="sm", elem_classes=["suggested-btn"])
                            for _ in range(3)
                        ]
                    with gr.Tab("Filter", elem_id="tab-filter"):
                        only_articles = gr.Dropdown(
                            label="Only these articles",
                            multiselect=True,
                            choices=[],
                            elem_id="filter-articles",
                        )
                        only_sources = gr.Dropdown(
                            label="Only these outlets",
                            multiselect=True,
                            choices=[],
                            elem_id="filter-outlets",
                        )
                        with gr.Row():
                            date_from = gr.Textbox(
                                label="From (YYYY-MM-DD)", elem_id="date-from", min_width=120
                            )
                            date_to = gr.Textbox(
                                label="To (YYYY-MM-DD)", elem_id="date-to", min_width=120
                            )
                    with gr.Tab("Add articles", elem_id="tab-upload"):
                        upload = gr.File(
                            label="txt, md, html, json or jsonl, up to "
                            f"{settings.max_upload_mb:g} MB each",
                            file_count="multiple",
                            file_types=UPLOAD_TYPES,
                            elem_id="upload",
                        )
                        # The limit for the browser's own check (PAGE_JS), before any byte is sent.
                        gr.HTML(
                            f'<span id="upload-limit" data-bytes="{upload_limit_bytes(settings)}" '
                            f'data-mb="{settings.max_upload_mb:g}"></span>',
                            elem_id="upload-limit-box",
                        )
                        upload_result = gr.HTML(elem_id="upload-result")
        # Hidden plumbing: the plain-text history for follow-ups, the text the copy button copies,
        # the bridge that lets links inside answers open an article, the article table's page,
        # and the collection's fingerprint that the refresh timer compares against.
        history = gr.State([])
        table_page_no = gr.State(0)
        seen = gr.State("")
        copy_text = gr.Textbox(visible="hidden", elem_id="copy-text")
        article_request = gr.Textbox(visible="hidden", elem_id="article-request")
        article_open = gr.Button(visible="hidden", elem_id="article-open-btn")
        timer = gr.Timer(REFRESH_SECONDS)

        filter_inputs = [only_articles, only_sources, date_from, date_to]
        turn_outputs = [question, chatbot, history, copy_text]
        private: dict[str, Any] = {"api_visibility": "private"}
        question.submit(
            page.respond, [question, chatbot, history, *filter_inputs], turn_outputs, **private
        )
        ask.click(
            page.respond, [question, chatbot, history, *filter_inputs], turn_outputs, **private
        )
        for button in [*examples, *suggested]:
            button.click(
                page.respond, [button, chatbot, history, *filter_inputs], turn_outputs, **private
            )
        clear.click(lambda: ("", [], [], ""), None, turn_outputs, queue=False, **private)
        # The chat's own trash icon empties the display; the history must go with it.
        chatbot.clear(lambda: ([], ""), None, [history, copy_text], queue=False, **private)
        copy.click(None, [copy_text], None, js=COPY_JS, **private)

        table_inputs = [search, sort, table_page_no]
        table_outputs = [table, pager_label, table_page_no, prev_page, next_page]
        library_outputs = [
            seen,
            header,
            *table_outputs,
            only_articles,
            only_sources,
            guide_pick,
            *examples,
        ]
        # Quiet updates: a refresh must not flash progress spinners over the page.
        quiet: dict[str, Any] = {**private, "show_progress": "hidden"}
        demo.load(page.library_updates, table_inputs, library_outputs, **quiet)
        timer.tick(page.refresh, [seen, *table_inputs], library_outputs, **quiet)
        search.change(lambda q, s: page.table(q, s, 0), [search, sort], table_outputs, **private)
        sort.change(lambda q, s: page.table(q, s, 0), [search, sort], table_outputs, **private)
        prev_page.click(
            lambda q, s, n: page.table(q, s, n - 1), table_inputs, table_outputs, **private
        )
        next_page.click(
            lambda q, s, n: page.table(q, s, n + 1), table_inputs, table_outputs, **private
        )
        upload.upload(page.upload, [upload], [upload_result], **private).then(
            page.library_updates, table_inputs, library_outputs, **private
        ).then(lambda: None, None, [upload], **private)
        guide_pick.change(page.select_article, [guide_pick], [guide_html, *suggested], **private)
        article_open.click(
            page.open_article, [article_request], [viewer_html, viewer], **private
        ).then(None, None, None, js=SCROLL_TO_QUOTE, **private)
        close.click(lambda: gr.update(visible=False), None, [viewer], queue=False, **private)

        gr.api(page.ask_api, api_name="ask")
        gr.api(page.article_rows, api_name="articles")
    demo.queue(default_concurrency_limit=settings.chat_concurrency)
    return demo


def upload_limit_bytes(settings: Settings) -> int:
    return int(settings.max_upload_mb * 1024 * 1024)


LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def exposure_problem(settings: Settings) -> str | None:
    """Why serving with these settings would open the page to a network unprotected, if so."""
    if settings.host in LOOPBACK_HOSTS or settings.allow_public_without_auth:
        return None
    if settings.auth_user and settings.auth_password:
        return None
    return (
        f"refusing to serve on {settings.host}: that opens the page to the network without a "
        "login. Set ASSISTANT_AUTH_USER and ASSISTANT_AUTH_PASSWORD, or use --host 127.0.0.1, "
        "or set ASSISTANT_ALLOW_PUBLIC_WITHOUT_AUTH=true if you really mean it."
    )


def launch_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for Blocks.launch shared by `serve` and the tests. Quiet: Gradio's
    banner suggests a public share link, which this page never makes; `launch` prints the
    address itself."""
    auth = (
        (settings.auth_user, settings.auth_password)
        if settings.auth_user and settings.auth_password
        else None
    )
    return {
        "auth": auth,
        "server_name": settings.host,
        "server_port": settings.port,
        "share": False,
        "quiet": True,
        "theme": THEME,
        "css": CSS,
        "js": PAGE_JS,
        "max_file_size": f"{settings.max_upload_mb:g}mb",
        "footer_links": [],
        "show_error": True,
    }


def launch(demo: gr.Blocks, settings: Settings, **extra: Any) -> str:
    """Serve `demo` and print where; returns the page's address."""
    options = launch_options(settings) | extra
    demo.launch(**options)
    url = str(
        getattr(demo, "local_url", None) or f"http://{settings.host}:{options['server_port']}/"
    )
    print(f"Chat page on {url}", flush=True)
    return url


def serve(settings: Settings, ingest_paths: list[Path] | None = None) -> None:
    """Index `ingest_paths` (if any), then serve the page until interrupted."""
    enforce_offline()
    problem = exposure_problem(settings)
    if problem:
        raise ConfigError(problem)
    assistant = Assistant(settings)
    if ingest_paths:
        print(assistant.ingest(ingest_paths).summary())
    demo = build_app(assistant)
    try:
        launch(demo, settings, prevent_thread_lock=True)
        demo.block_thread()
    finally:
        assistant.close()
