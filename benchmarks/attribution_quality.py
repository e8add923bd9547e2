"""Who-said-what quality: `extract_statements` against the hand-labelled gold set.

    python -m benchmarks.attribution_quality            # the figures
    python -m benchmarks.attribution_quality --misses   # and every miss, article by article

The gold set (evals/gold/attribution.jsonl) covers the seed article (corpus/, id = file name)
and 30 MultiHop-RAG articles (shared data, id = url): indexes 1, 10, 20, ..., 290 of
corpus.json, each body cut to its first 6000 characters, as here. The labels were written by
reading every sentence before the extractor was tuned, and are never edited to match it.

Labelling rules:
- A statement is content that the text says someone said, wrote, posted or announced: a
  quotation, or a reported clause after a speech verb (said, told, added, warned, denied,
  claimed, accused ... of, called ... X, described ... as, according to, revealed, reported).
  Thoughts and wishes (believes, wants, hopes, found) are not statements, nor requests
  ("asked X to"), passive attributions without an agent ("was accused of"), aggregate survey
  answers, or documents, data and studies as sources ("the report states").
- The speaker is a person, a group or an organisation the reader can identify: a pronoun,
  a title ("the secretary general") or a quote continued over paragraphs gets the person the
  reader knows it to be, even where the text only implies it (a profile's first-person quote
  after the person is introduced; a pull quote). "speaker" holds the fullest form of the
  name in the article ("Jens Stoltenberg"); organisations and unnamed speakers as written
  ("the Kremlin", "one former federal prosecutor"); joint speakers as "A and B".
- Span: for a quotation, the words inside the marks (a quotation split by its attribution
  is two statements; one paragraph of a multi-paragraph quotation is one statement; a block
  quotation after "said:" is one per paragraph); for reported speech, the clause after the
  verb (and after "that"), to the end of the clause, quoted fragments included; for "X,
  according to Y, Z" the whole sentence. A quotation inside a quotation, or a statement
  reported inside one, is part of the outer statement and not labelled on its own.
- Embedded posts ("... — Name (@handle) date") are the poster's statement unless they
  report someone else's words, which are then labelled as that person's. Interview
  transcripts laid out as bare question and answer paragraphs (no marks, no verbs) are not
  labelled, nor text cut off before its speaker is named.

Scoring: a gold span is located at the first occurrence of its text in the article. An
extracted statement matches a gold one when their spans overlap by at least half of the
shorter and the speakers agree: equal after case, whitespace, apostrophe and a leading "the"
are normalised, or one is the surname-only (or middle-name-less) form of the other, or one
is the other with a trailing qualifier ("Separatist authorities" / "... in the Luhansk
region"); "A and B" names agree part by part. Precision: extracted statements that match
some gold one. Recall: gold statements that some extracted one matches. Speaker accuracy:
among extracted statements whose span matches a gold span, those whose speaker agrees too.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ConfigError
from assistant.evals.benchmarks import shared_data_dir
from assistant.text.attribution import Statement, extract_statements

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "evals" / "gold" / "attribution.jsonl"
SEED_FOLDER = REPO / "corpus"
# The labelled MultiHop-RAG articles: index 1, then every 10th up to 290.
LABELLED_INDEXES = [1, *range(10, 300, 10)]
BODY_CHARS = 6000


@dataclass(frozen=True)
class GoldStatement:
    speaker: str
    start: int
    end: int
    kind: str


def load_articles() -> dict[str, str]:
    """Article id -> the body as labelled (seed first)."""
    corpus = shared_data_dir() / "multihop-rag" / "corpus.json"
    if not corpus.exists():
        raise ConfigError(
            f"benchmark data not found: {corpus}. Run from the checkout next to shared/, or "
            "set ASSISTANT_SHARED_DATA to the folder that holds multihop-rag/."
        )
    articles = {path.name: path.read_text(encoding="utf-8") for path in SEED_FOLDER.glob("*.txt")}
    rows = json.loads(corpus.read_text(encoding="utf-8"))
    for index in LABELLED_INDEXES:
        articles[rows[index]["url"]] = rows[index]["body"][:BODY_CHARS]
    return articles


def load_gold(articles: dict[str, str]) -> dict[str, list[GoldStatement]]:
    gold: dict[str, list[GoldStatement]] = defaultdict(list)
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        body = articles[row["article"]]
        start = body.find(row["statement"])
        if start < 0:
            raise ValueError(f"gold statement not in its article: {row['statement'][:60]!r}")
        end = start + len(row["statement"])
        gold[row["article"]].append(GoldStatement(row["speaker"], start, end, row["kind"]))
    return gold


def _words(name: str) -> list[str]:
    name = name.lower().replace("’", "'").replace(".", " ")
    words = re.sub(r"\s+", " ", name).strip().split(" ")
    return words[1:] if len(words) > 1 and words[0] == "the" else words


def _same_person(a: list[str], b: list[str]) -> bool:
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    if shorter == longer[: len(shorter)]:  # a trailing qualifier
        return True
    if a[-1] != b[-1]:
        return False
    return len(shorter) == 1 or a[0] == b[0]


def same_speaker(a: str, b: str) -> bool:
    """Speaker names agree (see the module docstring for the rules)."""
    parts_a = [_words(p) for p in re.split(r"\s+and\s+", a)]
    parts_b = [_words(p) for p in re.split(r"\s+and\s+", b)]
    if len(parts_a) != len(parts_b):
        return _same_person(_words(a), _words(b))
    return all(_same_person(x, y) for x, y in zip(parts_a, parts_b, strict=True))


def spans_match(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    overlap = min(a_end, b_end) - max(a_start, b_start)
    shorter = min(a_end - a_start, b_end - b_start)
    return shorter > 0 and overlap >= 0.5 * shorter


@dataclass
class Score:
    articles: int = 0
    gold: int = 0
    extracted: int = 0
    precise: int = 0
    found: int = 0
    span_matches: int = 0
    speaker_right: int = 0

    def add(self, gold: list[GoldStatement], extracted: list[Statement]) -> None:
        self.articles += 1
        self.gold += len(gold)
        self.extracted += len(extracted)
        for s in extracted:
            spans = [g for g in gold if spans_match(s.start, s.end, g.start, g.end)]
            right = any(same_speaker(s.canonical, g.speaker) for g in spans)
            self.precise += right
            self.span_matches += bool(spans)
            self.speaker_right += bool(spans) and right
        for g in gold:
            self.found += any(
                spans_match(s.start, s.end, g.start, g.end) and same_speaker(s.canonical, g.speaker)
                for s in extracted
            )

    def line(self, label: str) -> str:
        precision = self.precise / self.extracted if self.extracted else 0.0
        recall = self.found / self.gold if self.gold else 0.0
        accuracy = self.speaker_right / self.span_matches if self.span_matches else 0.0
        return (
            f"{label:<5} articles {self.articles:>2}  gold {self.gold:>3}  "
            f"extracted {self.extracted:>3}  precision {precision:.3f}  recall {recall:.3f}  "
            f"speaker accuracy {accuracy:.3f} (of {self.span_matches} span matches)"
        )


def print_misses(article: str, body: str, gold: list[GoldStatement], got: list[Statement]) -> None:
    def clip(start: int, end: int) -> str:
        snippet = body[start:end].replace("\n", " ")
        return snippet if len(snippet) <= 90 else snippet[:60] + " ... " + snippet[-25:]

    lines = []
    for g in gold:
        if not any(
            spans_match(s.start, s.end, g.start, g.end) and same_speaker(s.canonical, g.speaker)
            for s in got
        ):
            near = [s.canonical for s in got if spans_match(s.start, s.end, g.start, g.end)]
            said = f" (extracted as {', '.join(near)})" if near else ""
            lines.append(f"  missed  {g.speaker}: {clip(g.start, g.end)}{said}")
    for s in got:
        if not any(
            spans_match(s.start, s.end, g.start, g.end) and same_speaker(s.canonical, g.speaker)
            for g in gold
        ):
            lines.append(f"  wrong   {s.canonical} [{s.verb}]: {clip(s.start, s.end)}")
    if lines:
        print(article)
        print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list missed and wrong statements")
    args = parser.parse_args()
    articles = load_articles()
    gold = load_gold(articles)
    seed, everything = Score(), Score()
    for article, body in articles.items():
        extracted = extract_statements(body)
        everything.add(gold.get(article, []), extracted)
        if not article.startswith("http"):
            seed.add(gold.get(article, []), extracted)
        if args.misses:
            print_misses(article, body, gold.get(article, []), extracted)
    print(seed.line("seed"))
    print(everything.line("all"))


if __name__ == "__main__":
    main()
