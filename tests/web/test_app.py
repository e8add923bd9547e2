"""The chat page's logic (source guide, HTML, uploads) and its API over a real running server."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.errors import AssistantError
from assistant.ingest.readers import load_file, parse_plain
from assistant.web.guide import build_guide, candidate_questions, key_sentences, speakers
from assistant.web.render import context_around, render_answer, render_article
from tests.helpers import CORPUS, MULTIHOP_CORPUS, SEED_FILE, make_assistant

SEED_QUESTION = "How many troops has Moscow stationed near Ukraine?"
SEED_QUOTE = "Moscow has stationed around 150,000 troops"
HOSTILE_TEXT = (
    "Hostile markup test\n\nThe council of Elbonia met on Monday. "
    '<script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> '
    "Mayor Quentin Marsh said the bridge over the Elbe river will reopen in May.\n"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def app_server(
    tmp_path_factory: pytest.TempPathFactory, embeddings
) -> Iterator[tuple[str, Assistant]]:
    """The chat page served on a free 127.0.0.1 port: seed corpus plus an article with markup."""
    data = tmp_path_factory.mktemp("app-data")
    corpus = data / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    assistant = make_assistant(data / "index", embeddings, max_upload_mb=1.0, chat_concurrency=8)
    report = assistant.ingest([corpus])
    assert len(report.added) == 2, report.summary()
    with served_page(assistant) as url:
        yield url, assistant
    assistant.close()


@contextmanager
def served_page(assistant: Assistant) -> Iterator[str]:
    """The chat page for `assistant` on a free 127.0.0.1 port, closed afterwards."""
    from assistant.web.app import build_app, launch_options

    demo = build_app(assistant)
    options = launch_options(assistant.settings) | {"server_port": free_port(), "quiet": True}
    demo.launch(prevent_thread_lock=True, **options)
    try:
        yield f"http://127.0.0.1:{options['server_port']}/"
    finally:
        demo.close()


@pytest.fixture(scope="module")
def seed_article():
    return load_file(SEED_FILE, max_bytes=10**7)[0]


# source guide
def test_guide_summary_sentences_are_exact_spans(seed_article) -> None:
    summary = key_sentences(seed_article, n=3)
    assert len(summary) == 3
    for sentence in summary:
        assert seed_article.text[sentence.start : sentence.end] == sentence.text
        assert sentence.text != "Skip to content"
    assert [s.start for s in summary] == sorted(s.start for s in summary)


def test_guide_finds_speakers_and_asks_about_them(seed_article) -> None:
    names = dict(speakers(seed_article))
    assert {"Stoltenberg", "Wallace", "Truss"} <= set(names)
    assert "Stoltenberg" in names["Stoltenberg"].text
    questions = candidate_questions(seed_article)
    assert any(q.startswith("What did Stoltenberg say about ") for q in questions)
    assert "How many troops has Moscow stationed?" in questions


def test_guide_questions_are_answered_by_the_index(seed_assistant: Assistant) -> None:
    article = seed_assistant.article(seed_assistant.articles()[0].id)
    assert article is not None

    def answers(question: str) -> bool:
        answer = seed_assistant.ask(question, filters={"article_ids": [article.id]})
        return not answer.abstained

    guide = build_guide(article, answers=answers)
    assert len(guide.questions) == 3
    for question in guide.questions:
        answer = seed_assistant.ask(question)
        assert answer.citations and answer.citations[0].article_id == article.id


def test_guide_works_on_other_articles() -> None:
    invented = parse_plain(
        "Harbour plans\n\nThe city council approved the harbour expansion on Tuesday. "
        "Mayor Ana Lopes said the harbour expansion would create 1,200 jobs by 2027. "
        "Critics warned that the harbour dredging could harm fish stocks in the bay. "
        "Fisherman Tom Reyes told reporters the dredging would ruin the fish stocks.\n",
        origin="invented.txt",
    )
    guide = build_guide(invented)
    assert guide.summary and len(guide.questions) == 3
    assert any("Lopes" in q for q in guide.questions), guide.questions
    assert all(q.endswith("?") for q in guide.questions)
    if MULTIHOP_CORPUS.exists():
        records = json.loads(MULTIHOP_CORPUS.read_text(encoding="utf-8"))[:20]
        for record in records:
            article = parse_plain(record["body"], origin="x", meta={"title": record["title"]})
            guide = build_guide(article)
            assert guide.summary, record["title"]
            for s in guide.summary:
                assert article.text[s.start : s.end] == s.text


def test_empty_article_gives_empty_guide() -> None:
    article = parse_plain("Short\n\nToo short.\n", origin="short.txt")
    guide = build_guide(article)
    assert guide.summary == [] and isinstance(guide.questions, list)


# HTML
def test_answer_html_has_cards_with_context_and_escapes(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask(SEED_QUESTION)
    html = render_answer(answer, lambda i: seed_assistant.article(i).text)  # type: ignore[union-attr]
    assert '<mark class="quote">' + SEED_QUOTE in html
    assert 'href="#source:1"' in html and "source-card source-1" in html
    assert "euronews" in html and "2022-02-17" in html
    assert "\n\n" not in html  # one HTML block for the Markdown renderer
    citation = answer.citations[0]
    article = seed_assistant.article(citation.article_id)
    before, quote, after = context_around(article.text, citation.start, citation.end)
    assert quote == citation.quote and before.strip() and after.strip()


def test_abstention_html_lists_related_not_sources(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("What did Olaf Scholz say about Nord Stream 2?")
    assert answer.abstained
    html = render_answer(answer, lambda i: None)
    assert "related-card" in html and "source-card" not in html
    assert "related, not evidence" in html


def test_an_outlet_the_library_lacks_is_said_once(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("What did the Reuters article say about the troop withdrawal?")
    assert answer.outlets_not_in_library == ["Reuters"] and answer.abstained
    html = render_answer(answer, lambda i: seed_assistant.article(i).text)  # type: ignore[union-attr]
    assert html.count("No articles from Reuters are in the library") == 1
    assert "related-card" in html and "source-card" not in html


def test_article_markup_is_escaped(seed_article) -> None:
    hostile = parse_plain(HOSTILE_TEXT, origin="hostile.txt")
    start = hostile.text.index("<script>")
    html = render_article(hostile, start, start + 8)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "&lt;img" in html


# uploads
def test_upload_names_stay_in_the_upload_folder(fresh_assistant: Assistant) -> None:
    from assistant.web.app import ChatPage

    page = ChatPage(fresh_assistant)
    for name in ["../../etc/passwd", "..", "/abs/evil.txt", "a\\..\\..\\b.md", ".hidden", ""]:
        target = page.safe_upload_path(name)
        assert target.parent == page.upload_dir, name


def test_upload_reports_failures_and_keeps_index(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    from assistant.web.app import ChatPage

    page = ChatPage(fresh_assistant)
    good = tmp_path / "harbour.txt"
    good.write_text(
        "Harbour plans\n\nMayor Ana Lopes said the harbour will grow.\n", encoding="utf-8"
    )
    big = tmp_path / "big.txt"
    big.write_bytes(
        b"word " * (int(fresh_assistant.settings.max_upload_mb * 1024 * 1024) // 5 + 10)
    )
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 50)
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": "x", "text": ', encoding="utf-8")
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    html = page.upload([str(good), str(big), str(binary), str(broken), str(exe)])
    assert "Added: Harbour plans" in html
    for name in ["big.txt", "broken.json", "tool.exe"]:
        assert name in html.split("Not added", 1)[1], name
    assert "upload limit" in html and "unsupported type" in html
    assert [a.title for a in fresh_assistant.articles()] == ["Harbour plans"]
    assert all(Path(a.origin).parent == page.upload_dir for a in fresh_assistant.articles())


def test_filter_dates_are_checked() -> None:
    from assistant.web.app import ChatPage

    assert ChatPage.filters(["a"], None, "2022-01-01", "")["date_from"] == "2022-01-01"
    with pytest.raises(AssistantError):
        ChatPage.filters(None, None, "last week", None)


def test_chat_turn_streams_and_keeps_history(seed_assistant: Assistant) -> None:
    from assistant.web.app import ChatPage

    page = ChatPage(seed_assistant)
    updates = list(page.respond("How many troops has Moscow stationed near Ukraine?", [], []))
    assert len(updates) >= 3  # the question at once, partial answers, the final answer
    assert "streaming" in updates[1][1][-1]["content"]
    _, display, history, copy_text = updates[-1]
    assert "source-card" in display[-1]["content"] and "Sources:" in copy_text
    # What someone said is shown when complete: the speaker's statements are read first, and
    # the whole passages when none of them answers.
    said = "What did Stoltenberg say about troop withdrawal?"
    _, display, history, _ = list(page.respond(said, display, history))[-1]
    assert "source-card" in display[-1]["content"]
    _, display, history, _ = list(
        page.respond("What did the British defence secretary say about it?", display, history)
    )[-1]
    assert "7,000" in history[-1]["content"] and len(display) == 6


# the running server, through gradio_client
def test_api_answers_with_citations(app_server) -> None:
    from gradio_client import Client

    url, _ = app_server
    client = Client(url, verbose=False)
    answer = client.predict(SEED_QUESTION, None, None, api_name="/ask")
    assert SEED_QUOTE in answer["citations"][0]["quote"]
    follow = client.predict(
        "What did the British defence secretary say about it?",
        [
            {"role": "user", "content": "What did Stoltenberg say about troop withdrawal?"},
            {"role": "assistant", "content": "..."},
        ],
        None,
        api_name="/ask",
    )
    assert "troop withdrawal" in follow["standalone_question"] and "Wallace" in follow["text"]
    rows = client.predict(api_name="/articles")
    assert any("NATO accuses Russia" in row[0] for row in rows)


def test_twenty_concurrent_questions(app_server) -> None:
    from gradio_client import Client

    url, _ = app_server
    questions = [
        (SEED_QUESTION, SEED_QUOTE),
        ("What did Mayor Quentin Marsh say about the bridge?", "bridge over the Elbe"),
        ("What did Liz Truss say about the reports?", "blatant attempt"),
        ("How many troops did Ben Wallace say had increased?", "7,000"),
    ] * 5

    def one(item: tuple[str, str]) -> bool:
        question, expected = item
        answer = Client(url, verbose=False).predict(question, None, None, api_name="/ask")
        return any(expected in c["quote"] for c in answer["citations"])

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(one, questions))
    assert results == [True] * 20
