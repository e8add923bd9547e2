"""The chat page in a real browser: Debian's chromium driven by Playwright, against the real
server of tests/test_app.py (seed corpus + an article with markup, real model and index)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_app import SEED_QUESTION, SEED_QUOTE, app_server  # noqa: F401  (shared fixture)

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium missing: run `make browser`"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # Playwright's launch() gives chromium a fresh temporary profile (it refuses --user-data-dir).
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app_server):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    began = time.perf_counter()
    page.goto(app_server[0], wait_until="domcontentloaded")
    page.locator("#question textarea").wait_for(state="visible", timeout=30_000)
    # the page's load event has filled the header and the article table
    page.wait_for_function(
        "document.querySelector('#app-header')?.innerText.includes('indexed news')", timeout=30_000
    )
    page.load_seconds = time.perf_counter() - began  # type: ignore[attr-defined]
    yield page
    assert page.evaluate("window.__pwned") is None, "a script from an article ran"
    assert not errors, errors
    context.close()


def ask(page, question: str):
    """Type a question, submit it, and wait for the final (non-streaming) answer bubble."""
    before = page.locator("#chatbot .answer:not(.streaming)").count()
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#chatbot .answer:not(.streaming)').length > n",
        arg=before,
        timeout=30_000,
    )
    return page.locator("#chatbot .answer:not(.streaming)").last


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_seed_question_card_and_article(page) -> None:
    answer = ask(page, SEED_QUESTION)
    card = answer.locator(".source-card").first
    assert SEED_QUOTE in card.locator("mark.quote").inner_text()
    text = card.inner_text()
    assert "NATO accuses Russia" in text and "euronews" in text and "2022-02-17" in text
    # the quote sits inside its context: the sentences around it are on the card too
    assert "Black Sea" in card.locator(".card-context").inner_text()
    answer.locator("a.cite-marker").first.click()  # [1] leads to its card
    assert "flash" in (card.get_attribute("class") or "")
    shot(page, "desktop-answer")
    card.locator("a.open-article").click()
    quote = page.locator("#article-viewer mark#article-quote")
    quote.wait_for(state="visible", timeout=10_000)
    assert SEED_QUOTE in quote.inner_text()
    assert "Stoltenberg pointed out" in page.locator("#article-viewer").inner_text()
    page.wait_for_timeout(300)
    box = page.locator("#article-viewer .article-body").bounding_box()
    mark = quote.bounding_box()
    assert box and mark and box["y"] <= mark["y"] <= box["y"] + box["height"], "quote not in view"
    shot(page, "desktop-article")


def test_follow_up_and_copy(page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    first = ask(page, "What did Stoltenberg say about troop withdrawal?")
    assert "troop withdrawal" in first.inner_text()
    follow = ask(page, "What did the British defence secretary say about it?")
    assert "Ben Wallace" in follow.inner_text() and "7,000" in follow.inner_text()
    page.locator("#copy-btn").click()
    page.wait_for_timeout(300)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "7,000" in copied and "Sources:" in copied
    shot(page, "desktop-follow-up")
    page.locator("#clear-btn").click()
    page.wait_for_function("document.querySelectorAll('#chatbot .answer').length === 0")


def test_abstention_shows_related(page) -> None:
    answer = ask(page, "What did Olaf Scholz say about Nord Stream 2?")
    assert "don't cover" in answer.inner_text()
    assert answer.locator(".related-card").count() >= 1
    assert answer.locator(".source-card").count() == 0
    shot(page, "desktop-abstention")


def test_article_markup_renders_as_text(page) -> None:
    answer = ask(page, "What did Mayor Quentin Marsh say about the bridge?")
    assert "<script>" in answer.locator(".source-card").first.inner_text()
    answer.locator("a.open-article").first.click()
    viewer = page.locator("#article-viewer")
    viewer.get_by_text("window.__pwned = 1", exact=False).wait_for(timeout=10_000)
    assert "<img src=x onerror=" in viewer.inner_text()
    assert viewer.locator("img").count() == 0 and viewer.locator("script").count() == 0


def test_source_guide_suggests_questions_that_work(page) -> None:
    page.locator("#guide-pick input").click()
    page.get_by_role("option", name="NATO accuses Russia", exact=False).first.click()
    page.locator("#guide .guide-summary li").first.wait_for(timeout=30_000)
    assert page.locator("#guide .guide-summary li").count() == 3
    suggestions = page.locator(".suggested-btn")
    suggestions.first.wait_for(state="visible", timeout=10_000)
    labels = [suggestions.nth(i).inner_text() for i in range(suggestions.count())]
    assert len(labels) == 3 and any("Stoltenberg" in q for q in labels), labels
    shot(page, "desktop-guide")
    suggestions.first.click()
    page.wait_for_function(
        "document.querySelectorAll('#chatbot .answer:not(.streaming)').length > 0"
    )
    assert page.locator("#chatbot .source-card").count() >= 1


def test_upload_then_ask(page, tmp_path: Path) -> None:
    article = tmp_path / "harbour_news.md"
    article.write_text(
        "---\ntitle: Harbour expansion approved\nsource: Coastal Times\ndate: 2024-03-05\n---\n"
        "The city council approved the harbour expansion on Tuesday. Mayor Ana Lopes said the "
        "expansion would create 1,200 jobs by 2027.\n",
        encoding="utf-8",
    )
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": "x", "text": ', encoding="utf-8")
    page.get_by_role("tab", name="Add articles").click()
    page.locator("#upload input[type=file]").set_input_files([str(article), str(broken)])
    result = page.locator("#upload-result")
    result.get_by_text("Added: Harbour expansion approved").wait_for(timeout=60_000)
    assert "broken.json" in result.inner_text()
    shot(page, "desktop-upload")
    answer = ask(page, "How many jobs did Ana Lopes say the harbour expansion would create?")
    assert "1,200 jobs" in answer.inner_text() and "Coastal Times" in answer.inner_text()


def test_phone_width(browser, app_server) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 400, "height": 860}, is_mobile=True)
    page = context.new_page()
    page.goto(app_server[0], wait_until="domcontentloaded")
    page.locator("#question textarea").wait_for(state="visible", timeout=30_000)
    answer = ask(page, SEED_QUESTION)
    assert SEED_QUOTE in answer.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 410, f"page scrolls sideways at phone width ({width}px)"
    shot(page, "phone-answer")
    context.close()


def test_timings(page) -> None:
    """Page load, time to first token and to full answer for the seed question (median of 10)."""
    first_token, full = [], []
    for _ in range(10):
        page.locator("#clear-btn").click()
        page.wait_for_function("document.querySelectorAll('#chatbot .answer').length === 0")
        page.evaluate(
            """() => {
              window.__t = {};
              const box = document.querySelector('#chatbot');
              const obs = new MutationObserver(() => {
                const text = box.querySelector('.answer .answer-text');
                if (!window.__t.first && text && text.textContent.replace('▍', '').trim())
                  window.__t.first = performance.now();
                if (!window.__t.full && box.querySelector('.answer:not(.streaming)')) {
                  window.__t.full = performance.now(); obs.disconnect(); }
              });
              obs.observe(box, {subtree: true, childList: true, characterData: true});
            }"""
        )
        page.locator("#question textarea").fill(SEED_QUESTION)
        start = page.evaluate("performance.now()")
        page.locator("#question textarea").press("Enter")
        page.wait_for_function("window.__t.full", timeout=30_000)
        t = page.evaluate("window.__t")
        first_token.append(t["first"] - start)
        full.append(t["full"] - start)
    figures = {
        "page_load_s": round(page.load_seconds, 2),
        "first_token_ms_median": round(statistics.median(first_token)),
        "full_answer_ms_median": round(statistics.median(full)),
        "first_token_ms": [round(x) for x in first_token],
        "full_answer_ms": [round(x) for x in full],
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "timings.json").write_text(json.dumps(figures, indent=2))
    print(figures)
    assert figures["full_answer_ms_median"] < 10_000
