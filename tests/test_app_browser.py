"""The chat page in a real browser: Debian's chromium driven by Playwright, against a real
server on 127.0.0.1 backed by the real model and index (seed corpus in a tmp folder)."""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPO, make_assistant

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
SEED_QUESTION = "How many troops has Moscow stationed near Ukraine?"
SEED_QUOTE = "Moscow has stationed around 150,000 troops"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium missing: run `make browser`"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Iterator[str]:
    from assistant.app import build_app, launch_options

    data = tmp_path_factory.mktemp("app-data")
    corpus = data / "corpus"
    shutil.copytree(CORPUS, corpus)
    # An article whose text carries markup: it must show as text, never run.
    (corpus / "hostile.txt").write_text(
        "Hostile markup test\n\nThe council of Elbonia met on Monday. "
        "<script>window.__pwned = 1</script> <img src=x onerror=\"window.__pwned = 2\"> "
        "Mayor Quentin Marsh said the bridge over the Elbe river will reopen in May.\n",
        encoding="utf-8",
    )
    assistant = make_assistant(data / "index", embeddings, max_upload_mb=1.0, chat_concurrency=8)
    report = assistant.ingest([corpus])
    assert len(report.added) == 2, report.summary()
    demo = build_app(assistant)
    options = launch_options(assistant.settings) | {"server_port": free_port(), "quiet": True}
    demo.launch(prevent_thread_lock=True, **options)
    yield f"http://127.0.0.1:{options['server_port']}/"
    demo.close()
    assistant.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # Playwright's launch() gives chromium a fresh temporary profile (it refuses --user-data-dir).
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


def open_page(browser, url: str, width: int = 1280, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.locator("#question textarea").wait_for(state="visible", timeout=30_000)
    return page


def ask(page, question: str) -> object:
    """Type a question, submit it, and wait for the final (non-streaming) answer bubble."""
    before = page.locator("#chatbot .answer:not(.streaming)").count()
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#chatbot .answer:not(.streaming)').length > n",
        arg=before, timeout=30_000,
    )
    return page.locator("#chatbot .answer:not(.streaming)").last


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_seed_question_card_and_article(server, browser) -> None:
    page = open_page(browser, server)
    answer = ask(page, SEED_QUESTION)
    card = answer.locator(".source-card").first
    assert SEED_QUOTE in card.locator("mark.quote").inner_text()
    assert "euronews" in card.inner_text() and "2022-02-17" in card.inner_text()
    assert "NATO accuses Russia" in card.inner_text()
    # context around the quote: the sentence before or after is there too
    assert len(card.locator(".card-context").inner_text()) > len(card.locator("mark").inner_text())
    shot(page, "desktop-answer")
    card.locator("a.open-article").click()
    viewer = page.locator("#article-viewer mark#article-quote")
    viewer.wait_for(state="visible", timeout=10_000)
    assert SEED_QUOTE in viewer.inner_text()
    shot(page, "desktop-article")
    page.context.close()
