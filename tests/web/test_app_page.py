"""The chat page's behaviour without a browser: history, refusals, abstentions, the article
table, refreshing after another process ingests, the source guide's quality, the launch banner."""

from __future__ import annotations

import fcntl
import json
import re
from pathlib import Path

import gradio as gr
import pytest

from assistant.api import Assistant
from assistant.index.registry import ArticleSummary
from assistant.ingest.readers import load_file, parse_plain
from assistant.web.guide import (
    STOPWORDS,
    _sentences,
    build_guide,
    candidate_questions,
    is_person,
    key_sentences,
    speakers,
)
from assistant.web.library import SORTS, fingerprint, table_page
from assistant.web.render import pick_related
from tests.helpers import MULTIHOP_CORPUS, SEED_FILE, make_assistant
from tests.web.test_app import HOSTILE_TEXT, free_port

FOLLOW_UP = "What did the British defence secretary say about it?"
LIBRARY = (
    "---\ntitle: Oslo opens a new public library\nsource: Nordic Post\ndate: 2024-05-02\n---\n"
    "Oslo opened its new public library on Thursday. Librarian Ingrid Dahl said the library "
    "would lend 40,000 books in its first month. The library has six floors of reading rooms.\n"
)


def _page(assistant: Assistant):
    from assistant.web.app import ChatPage

    return ChatPage(assistant)


def _last(updates: list[tuple]) -> tuple:
    return updates[-1]


# history
def test_cleared_display_drops_the_history(seed_assistant: Assistant) -> None:
    page = _page(seed_assistant)
    _, display, history, _ = _last(
        list(page.respond("What did Stoltenberg say about troop withdrawal?", [], []))
    )
    assert history
    _, display, _, _ = _last(list(page.respond(FOLLOW_UP, display, history)))
    assert "Read as:" in display[-1]["content"] and "troop withdrawal" in display[-1]["content"]
    # the chat's trash icon empties the display; the stale history must not rewrite the question
    _, display, history, _ = _last(list(page.respond(FOLLOW_UP, [], history)))
    assert "Read as:" not in display[-1]["content"]
    assert "troop withdrawal" not in history[0]["content"]


# refusals
def _text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_long_question_is_refused_readably_and_kept(seed_assistant: Assistant) -> None:
    page = _page(seed_assistant)
    limit = seed_assistant.settings.max_question_chars
    question = "Why " * (limit // 4 + 10)
    box, display, _, _ = _last(list(page.respond(question, [], [])))
    assert box == question.strip()  # the text stays in the box
    message = _text_of(display[-1]["content"])
    assert message[0].isupper() and "ASSISTANT_" not in message
    assert f"{limit:,}" in message and f"{len(question.strip()):,}" in message


def test_filter_errors_read_as_sentences(seed_assistant: Assistant) -> None:
    page = _page(seed_assistant)
    box, display, _, _ = _last(list(page.respond(FOLLOW_UP, [], [], None, None, "last week")))
    message = _text_of(display[-1]["content"])
    assert box == FOLLOW_UP and "ASSISTANT_" not in message
    assert message.startswith("Dates are written YYYY-MM-DD") and "“last week”" in message


def test_busy_index_message_names_no_server_path(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    page = _page(fresh_assistant)
    article = tmp_path / "oslo.md"
    article.write_text(LIBRARY, encoding="utf-8")
    data_dir = fresh_assistant.settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    # Another process's ingest holds the write lock (a separate open file, as a process has).
    with (data_dir / "write.lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        html = page.upload([str(article)])
    assert "oslo.md" in html and "Another ingest" in html
    assert str(data_dir) not in html and str(data_dir.resolve()) not in html


# abstentions
def test_related_passages_come_from_different_articles(
    fresh_assistant: Assistant, seed_copy: Path
) -> None:
    assistant = fresh_assistant
    (seed_copy / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    assert len(assistant.ingest([seed_copy]).added) == 2
    question = "What did Olaf Scholz say about Nord Stream 2?"
    passages = assistant.retrieve(question, k=10)
    articles = {p.article_id for p in passages}
    chosen = pick_related(passages)
    assert len({p.article_id for p in chosen}) == min(3, len(articles), len(chosen))
    page = _page(assistant)
    _, display, _, _ = _last(list(page.respond(question, [], [])))
    html = display[-1]["content"]
    assert "abstain-text" in html and "<details" in html and "<details open" not in html
    assert html.index("abstain-text") < html.index("related-card")


# the article table
def _summary(n: int, title: str, source: str, date: str | None) -> ArticleSummary:
    return ArticleSummary(
        id=f"id{n}",
        title=title,
        source=source,
        url="",
        published_at=date,
        content_hash=f"h{n}",
        origin=f"{n}.txt",
        chunk_count=1,
        chars=100,
    )


def test_table_searches_sorts_and_pages() -> None:
    outlets = ["Coastal Times", "Nordic Post", "euronews"]
    articles = [
        _summary(
            n,
            f"Story {n:03d} about {'harbours' if n % 5 == 0 else 'markets'}",
            outlets[n % 3],
            f"2023-{1 + n % 12:02d}-{1 + n % 28:02d}" if n % 7 else None,
        )
        for n in range(600)
    ]
    first = table_page(articles, "", SORTS[0], 0)
    assert first.pages > 1 and first.total == 600 and len(first.rows) < 600
    dates = [r[2] for r in first.rows]
    assert dates == sorted(dates, reverse=True) and all(dates)
    last = table_page(articles, "", SORTS[0], 10**6)
    assert last.page == last.pages - 1 and not last.rows[-1][2]  # undated sort last
    seen = [r[0] for p in range(first.pages) for r in table_page(articles, "", SORTS[2], p).rows]
    assert seen == sorted(a.title for a in articles)
    found = table_page(articles, "harbours nordic", SORTS[0], 0)
    expected = [a for a in articles if "harbours" in a.title and a.source == "Nordic Post"]
    assert found.matched == len(expected) and "of 600" in found.label
    assert all("harbours" in r[0] and r[1] == "Nordic Post" for r in found.rows)


def test_page_refreshes_after_another_process_ingests(
    tmp_path: Path, embeddings, seed_copy: Path
) -> None:
    page_side = make_assistant(tmp_path / "data", embeddings)
    cli_side = make_assistant(tmp_path / "data", embeddings)  # as `assistant ingest` would
    try:
        page_side.ingest([seed_copy])
        page = _page(page_side)
        updates = page.library_updates()
        seen, header = updates[0], updates[1]
        examples = [u["value"] for u in updates[-3:] if u.get("visible")]
        assert "1 indexed" in header and examples[0] == "What is the article about?"
        skipped = page.refresh(seen, "", SORTS[0], 0)
        assert all(u == gr.skip() for u in skipped)  # nothing re-rendered
        (tmp_path / "oslo.md").write_text(LIBRARY, encoding="utf-8")
        cli_side.ingest([tmp_path / "oslo.md"])
        fresh = page.refresh(seen, "", SORTS[0], 0)
        assert fresh[0] != seen and "2 indexed" in fresh[1] and "Oslo" in fresh[2]
        # examples follow the collection: the newest article gets its own question
        new_examples = [u["value"] for u in fresh[-3:] if u.get("visible")]
        oslo = page_side.retrieve(new_examples[0], k=1)[0]
        assert oslo.title == "Oslo opens a new public library", new_examples
        assert fingerprint(page_side.articles()) == fresh[0]
    finally:
        cli_side.close()
        page_side.close()


# the source guide
def _articles() -> list:
    found = [load_file(SEED_FILE, max_bytes=10**7)[0]]
    if MULTIHOP_CORPUS.exists():
        records = json.loads(MULTIHOP_CORPUS.read_text(encoding="utf-8"))[:40]
        found += [parse_plain(r["body"], origin="x", meta={"title": r["title"]}) for r in records]
    return found


def test_key_sentences_are_central_not_the_lead(embeddings) -> None:
    article = load_file(SEED_FILE, max_bytes=10**7)[0]
    chosen = key_sentences(article, n=3, embed=embeddings.encode)
    assert len(chosen) == 3
    for s in chosen:
        assert article.text[s.start : s.end] == s.text
    body = [s for s in _sentences(article) if len(s.text.split()) >= 6]
    assert [s.start for s in chosen] != [s.start for s in body[:3]]
    statements = {(s.start, s.end) for _, s in speakers(article, people_only=True)}
    assert any((s.start, s.end) in statements for s in chosen)
    # each chosen sentence is closer to the rest of the article than the median sentence
    vectors = embeddings.encode([s.text for s in body])
    centrality = (vectors @ vectors.T).mean(axis=1)
    median = sorted(centrality)[len(centrality) // 2]
    starts = [s.start for s in body]
    assert all(centrality[starts.index(s.start)] >= median for s in chosen)


def test_suggested_questions_read_as_written() -> None:
    about = re.compile(r" about (?:the )?(.+)\?$")
    for article in _articles():
        for question in candidate_questions(article):
            assert question[0].isupper() and question.endswith("?"), question
            said = re.match(r"What did (\S+) say about", question)
            if said:
                assert is_person(said.group(1), article), question
            match = about.search(question)
            if not match:
                continue
            topic = match.group(1)
            # the topic is a phrase the article itself introduces with a determiner
            # (a possessive's apostrophe dropped: "the Vikings’ defense")
            words = r"[’']?\s+".join(re.escape(w) for w in topic.split())
            assert re.search(
                rf"\b(?:the|a|an|its|their|his|her|this|these)\s+{words}\b", article.text
            ), question
            last = topic.split()[-1].lower()
            assert last not in STOPWORDS and not last.endswith(("ed", "ing", "ly")), question


def test_guide_questions_from_the_page_are_answered(seed_assistant: Assistant) -> None:
    page = _page(seed_assistant)
    article_id = seed_assistant.articles()[0].id
    guide = page.guide(article_id)
    assert guide is not None and guide.questions and len(guide.summary) == 3
    for question in guide.questions:
        answer = seed_assistant.ask(question, filters={"article_ids": [article_id]})
        assert not answer.abstained, question
    plain = build_guide(seed_assistant.article(article_id))  # type: ignore[arg-type]
    assert plain.summary  # without a model the guide still has key sentences


# launch
def test_launch_prints_the_address_and_no_share_hint(
    seed_assistant: Assistant, capfd: pytest.CaptureFixture[str]
) -> None:
    from assistant.web.app import build_app, launch

    demo = build_app(seed_assistant)
    port = free_port()
    try:
        url = launch(demo, seed_assistant.settings, server_port=port, prevent_thread_lock=True)
    finally:
        demo.close()
    out = capfd.readouterr()
    printed = out.out + out.err
    assert f":{port}" in url and url in printed
    assert "share" not in printed and "public link" not in printed
