"""Copies of one story: detection quality on MultiHop-RAG with made copies, and what the step
costs at ingest.

For a seeded sample of the 609 articles, copies are made under other outlets' names: headline
changed, one paragraph dropped, boilerplate added (a subscribe line, a copyright footer), a
few words replaced, and all of those at once. Originals and copies are read the way ingest
reads them (cleaning included), shuffled, and grouped by the same finder ingest uses. Pairs
are scored: a pair in one predicted group is right when both come from one original. Pairs of
two originals that end up grouped are natural near-duplicates of the corpus: they are listed
by title for a reader to judge and left out of precision (with any pair their copies form).

Then ingest itself: the first --limit articles (0: all 609) ingested twice in one process,
into two fresh indexes, without and with the duplicate step, one model shared.

    .venv/bin/python -m benchmarks.near_duplicates
    .venv/bin/python -m benchmarks.near_duplicates --limit 0          # the whole corpus
    .venv/bin/python -m benchmarks.near_duplicates --skip-ingest --num-perm 64 --min-jaccard 0.8
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.common import setup_offline

EDITS = ("headline", "dropped", "boilerplate", "reworded", "all")
BOILERPLATE_HEAD = "Subscribe to our newsletter to get the day's top stories in your inbox."
BOILERPLATE_FOOT = "Copyright {year} {outlet}. All rights reserved. Distributed by {outlet}."
# Replacement words for the rewording edit: any other word breaks the shingles it sits in,
# which is all that matters for detection.
SWAPS = [
    "stated",
    "noted",
    "major",
    "recent",
    "several",
    "roughly",
    "officials",
    "reported",
    "new",
    "large",
    "key",
    "early",
    "later",
    "still",
    "also",
]


def corpus_path() -> Path:
    from assistant.errors import ConfigError
    from assistant.evals.benchmarks import corpus_source, shared_data_dir

    path = corpus_source("multihop-rag", shared_data_dir())
    if not path.exists():
        raise ConfigError(
            f"benchmark data not found: {path}. Run from the checkout next to shared/, or set "
            "ASSISTANT_SHARED_DATA to the folder that holds multihop-rag/."
        )
    return path


def first_words(body: str, limit: int) -> str:
    """The body cut after `limit` words, paragraphs kept: a corpus of short stories, where an
    edit weighs more."""
    kept: list[str] = []
    count = 0
    for paragraph in body.split("\n\n"):
        words = paragraph.split()[: limit - count]
        if words:
            kept.append(" ".join(words))
        count += len(words)
        if count >= limit:
            break
    return "\n\n".join(kept)


def reword(body: str, rng: random.Random) -> str:
    """A few words replaced (one per hundred, at least three), spread through the text."""
    tokens = re.split(r"(\s+)", body)
    candidates = [i for i, t in enumerate(tokens) if t.isalpha() and len(t) >= 4]
    for i in rng.sample(candidates, min(len(candidates), max(3, len(candidates) // 100))):
        tokens[i] = rng.choice([w for w in SWAPS if w != tokens[i].lower()])
    return "".join(tokens)


def drop_paragraph(body: str, rng: random.Random) -> str:
    paragraphs = body.split("\n\n")
    if len(paragraphs) < 2:
        return body
    del paragraphs[rng.randrange(len(paragraphs))]
    return "\n\n".join(paragraphs)


def add_boilerplate(body: str, outlet: str, year: str) -> str:
    foot = BOILERPLATE_FOOT.format(year=year, outlet=outlet)
    return f"{BOILERPLATE_HEAD}\n\n{body}\n\n{foot}"


def make_copy(record: dict[str, Any], edit: str, outlet: str, rng: random.Random) -> dict[str, Any]:
    body, title = record["body"], record["title"]
    year = (record.get("published_at") or "2023")[:4]
    if edit in ("headline", "all"):
        title = f"{title.split(':')[0].strip()}: what we know so far"
    if edit in ("dropped", "all"):
        body = drop_paragraph(body, rng)
    if edit in ("reworded", "all"):
        body = reword(body, rng)
    if edit in ("boilerplate", "all"):
        body = add_boilerplate(body, outlet, year)
    return {
        **record,
        "title": title,
        "source": outlet,
        "body": body,
        "url": f"{record['url']}#copy-{edit}",
    }


def build_corpus(
    records: list[dict[str, Any]], sample: int, seed: int
) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """Originals plus copies, shuffled; and for each record (family = index of its original,
    edit or "original")."""
    rng = random.Random(seed)
    outlets = sorted({r["source"] for r in records})
    items: list[tuple[dict[str, Any], tuple[int, str]]] = [
        (r, (i, "original")) for i, r in enumerate(records)
    ]
    for i in sorted(rng.sample(range(len(records)), sample)):
        for edit in EDITS:
            outlet = rng.choice([o for o in outlets if o != records[i]["source"]])
            items.append((make_copy(records[i], edit, outlet, rng), (i, edit)))
    rng.shuffle(items)
    return [r for r, _ in items], [label for _, label in items]


def read_like_ingest(records: list[dict[str, Any]], folder: Path) -> list[Any]:
    from assistant.ingest.readers import load_file

    path = folder / "copies.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    articles = list(load_file(path, max_bytes=1 << 30))
    assert len(articles) == len(records), "every record becomes one article"
    return articles


def pairs_of(groups: dict[str, list[int]]) -> set[tuple[int, int]]:
    return {
        (a, b) for members in groups.values() for a, b in itertools.combinations(sorted(members), 2)
    }


def evaluate(articles: list[Any], labels: list[tuple[int, str]], rule: Any) -> dict[str, Any]:
    from assistant.ingest.duplicates import CopyFinder, signature

    began = time.perf_counter()
    signatures = [signature(a.text, rule.num_perm) for a in articles]
    signing = time.perf_counter() - began
    originals = [i for i, (_, edit) in enumerate(labels) if edit == "original"]
    began = time.perf_counter()
    for i in originals:
        signature(articles[i].text, rule.num_perm)
    signing_originals = time.perf_counter() - began
    began = time.perf_counter()
    finder = CopyFinder(rule=rule)
    for article, sig in zip(articles, signatures, strict=True):
        finder.assign(article, sig)
    grouping = time.perf_counter() - began
    position = {a.id: i for i, a in enumerate(articles)}
    groups: dict[str, list[int]] = {}
    for article_id, member in finder.members.items():
        groups.setdefault(member.group_id, []).append(position[article_id])
    predicted = pairs_of(groups)
    truth = pairs_of(
        {
            str(family): [i for i, label in enumerate(labels) if label[0] == family]
            for family in {family for family, edit in labels if edit != "original"}
        }
    )
    natural = {(a, b) for a, b in predicted if labels[a][1] == labels[b][1] == "original"}
    related = {frozenset((labels[a][0], labels[b][0])) for a, b in natural}
    judged = {
        (a, b) for a, b in predicted if frozenset((labels[a][0], labels[b][0])) not in related
    }
    right = judged & truth
    from assistant.ingest.duplicates import shingles

    original_of = {family: i for i, (family, edit) in enumerate(labels) if edit == "original"}
    exact: dict[str, list[float]] = {}
    for i, (family, edit) in enumerate(labels):
        if edit != "original":
            a, b = shingles(articles[i].text), shingles(articles[original_of[family]].text)
            exact.setdefault(edit, []).append(len(a & b) / max(1, len(a | b)))
    missed_by_edit = Counter(
        labels[b][1] if labels[a][1] == "original" else labels[a][1]
        for a, b in truth - predicted
        if "original" in (labels[a][1], labels[b][1])
    )
    return {
        "precision": len(right) / len(judged) if judged else 1.0,
        "recall": len(right) / len(truth) if truth else 1.0,
        "predicted": len(predicted),
        "truth": len(truth),
        "wrong": sorted(judged - truth),
        "natural": sorted(natural),
        "missed_by_edit": missed_by_edit,
        "signing": signing,
        "signing_originals": signing_originals,
        "originals": len(originals),
        "grouping": grouping,
        "exact": exact,
    }


def closest_original_pairs(articles: list[Any], labels: list[tuple[int, str]], top: int) -> list:
    """The most similar pairs of two originals by exact shingle-set Jaccard and containment
    (candidates from a low-threshold LSH), for judging where the thresholds sit."""
    from datasketch import MinHashLSH

    from assistant.ingest.duplicates import RULE, shingles, signature

    originals = [i for i, (_, edit) in enumerate(labels) if edit == "original"]
    lsh = MinHashLSH(threshold=0.2, num_perm=RULE.num_perm)
    sets, sigs = {}, {}
    for i in originals:
        sets[i], sigs[i] = shingles(articles[i].text), signature(articles[i].text)
        lsh.insert(i, sigs[i].minhash)
    found = []
    for i in originals:
        for j in lsh.query(sigs[i].minhash):
            if j > i:
                shared = len(sets[i] & sets[j])
                jaccard = shared / len(sets[i] | sets[j])
                containment = shared / max(1, min(len(sets[i]), len(sets[j])))
                found.append((jaccard, containment, i, j))
    return sorted(found, reverse=True)[:top]


def quality(args: argparse.Namespace) -> None:
    from assistant.ingest.duplicates import RULE

    rule = replace(
        RULE,
        **{
            key: value
            for key, value in {
                "num_perm": args.num_perm,
                "lsh_threshold": args.lsh_threshold,
                "min_jaccard": args.min_jaccard,
                "min_containment": args.min_containment,
            }.items()
            if value is not None
        },
    )
    records = json.loads(corpus_path().read_text(encoding="utf-8"))
    if args.words:
        records = [{**r, "body": first_words(r["body"], args.words)} for r in records]
    corpus, labels = build_corpus(records, args.sample, args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="near-dups-"))
    try:
        articles = read_like_ingest(corpus, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    cut = f" cut to {args.words} words" if args.words else ""
    print(
        f"corpus: {len(records)} MultiHop-RAG articles{cut} + {len(corpus) - len(records)} copies "
        f"of {args.sample} of them ({', '.join(EDITS)}), seed {args.seed}"
    )
    print(f"rule: {rule}")
    result = evaluate(articles, labels, rule)
    verdict = "pass" if min(result["precision"], result["recall"]) >= 0.95 else "FAIL"
    print(
        f"pairs: {result['truth']} true, {result['predicted']} predicted; "
        f"precision {result['precision']:.3f}, recall {result['recall']:.3f} "
        f"(targets >= 0.95: {verdict})"
    )
    print(
        "exact Jaccard of each copy with its original, by edit (min / median): "
        + ", ".join(
            f"{edit} {min(values):.3f} / {sorted(values)[len(values) // 2]:.3f}"
            for edit, values in result["exact"].items()
        )
    )
    missed = result["missed_by_edit"]
    print(
        "copy-original pairs missed by edit: "
        + ", ".join(f"{edit} {missed.get(edit, 0)}/{args.sample}" for edit in EDITS)
    )
    for a, b in result["wrong"][:10]:
        print(
            f"  wrong pair: {articles[a].source}: {articles[a].title[:60]} || "
            f"{articles[b].source}: {articles[b].title[:60]}"
        )
    print(
        f"natural near-duplicate pairs among the {result['originals']} originals: "
        f"{len(result['natural'])}"
    )
    for a, b in result["natural"]:
        print(
            f"  {articles[a].source}: {articles[a].title} || "
            f"{articles[b].source}: {articles[b].title}"
        )
    print(
        f"signatures: {result['originals']} originals in {result['signing_originals']:.2f} s "
        f"({1000 * result['signing_originals'] / result['originals']:.1f} ms each); all "
        f"{len(articles)} in {result['signing']:.2f} s; grouping (LSH + checks) "
        f"{result['grouping']:.2f} s"
    )
    print("closest pairs of originals (exact Jaccard, containment), grouped or not:")
    for jaccard, containment, a, b in closest_original_pairs(articles, labels, args.closest):
        print(
            f"  J {jaccard:.3f} C {containment:.3f}  {articles[a].source}: "
            f"{articles[a].title[:55]} || {articles[b].source}: {articles[b].title[:55]}"
        )


class StepClock:
    """Time spent in the duplicate step itself (CopyGrouper.assign: signature, LSH query,
    checks, and the finder's load on first use), wall and CPU: on a shared machine the whole
    ingest's time moves by more than the step costs, this does not."""

    def __init__(self) -> None:
        self.wall = 0.0
        self.cpu = 0.0

    def install(self) -> None:
        from assistant.ingest.duplicates import CopyGrouper

        original = CopyGrouper.assign
        clock = self

        def timed(grouper: CopyGrouper, article: Any) -> Any:
            began, cpu = time.perf_counter(), time.process_time()
            try:
                return original(grouper, article)
            finally:
                clock.wall += time.perf_counter() - began
                clock.cpu += time.process_time() - cpu

        CopyGrouper.assign = timed  # type: ignore[method-assign]


def ingest_cost(limit: int) -> None:
    """Ingest without and with the step, in the order without, with, with, without, so that
    a machine that slows down or speeds up during the run weighs on both alike."""
    from assistant.api import Assistant
    from assistant.ingest.pipeline import ingest_paths
    from assistant.settings import Settings

    rows = json.loads(corpus_path().read_text(encoding="utf-8"))
    rows = rows[:limit] if limit else rows
    clock = StepClock()
    clock.install()
    workdir = Path(tempfile.mkdtemp(prefix="near-dups-ingest-"))
    try:
        corpus = workdir / "corpus.json"
        corpus.write_text(json.dumps(rows), encoding="utf-8")
        model = None
        totals = {False: [0.0, 0.0], True: [0.0, 0.0]}
        for run, grouping in enumerate((False, True, True, False)):
            data_dir = workdir / f"data-{run}"
            assistant = Assistant(Settings(data_dir=data_dir), embedder=model)
            model = assistant.embeddings
            model.encode(["warm up"])
            began, cpu = time.perf_counter(), time.process_time()
            report = ingest_paths(
                [corpus], index=assistant.index, embeddings=model, group_copies=grouping
            )
            wall, cpu = time.perf_counter() - began, time.process_time() - cpu
            totals[grouping][0] += wall
            totals[grouping][1] += cpu
            assistant.close()
            shutil.rmtree(data_dir, ignore_errors=True)
            print(
                f"ingest {'with' if grouping else 'without'} the duplicate step: {wall:.1f} s "
                f"wall, {cpu:.1f} s CPU, {len(report.added)} articles, "
                f"{report.chunks_embedded} chunks, {len(report.near_duplicates)} grouped",
                flush=True,
            )
        ratio = totals[True][0] / totals[False][0]
        cpu_ratio = totals[True][1] / totals[False][1]
        print(
            f"whole ingest, with / without (two runs each): {ratio:.3f} wall, {cpu_ratio:.3f} CPU"
        )
        # Two runs with the step: the clock holds both.
        share = clock.cpu / totals[False][1]
        print(
            f"the step itself: {clock.wall / 2:.2f} s wall, {clock.cpu / 2:.2f} s CPU per "
            f"ingest of {len(rows)} articles = {100 * share:.2f} % of the ingest's CPU time "
            f"(target < 10 %: {'pass' if share < 0.10 else 'FAIL'})"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sample", type=int, default=100, help="originals that get copies")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--num-perm", type=int)
    parser.add_argument("--lsh-threshold", type=float)
    parser.add_argument("--min-jaccard", type=float)
    parser.add_argument("--min-containment", type=float)
    parser.add_argument(
        "--words", type=int, default=0, help="cut every article to its first N words (0: whole)"
    )
    parser.add_argument("--closest", type=int, default=5, help="closest original pairs shown")
    parser.add_argument(
        "--limit", type=int, default=100, help="articles ingested for the cost (0: all 609)"
    )
    parser.add_argument("--skip-ingest", action="store_true", help="detection quality only")
    args = parser.parse_args()
    setup_offline()
    quality(args)
    if not args.skip_ingest:
        ingest_cost(args.limit)


if __name__ == "__main__":
    main()
