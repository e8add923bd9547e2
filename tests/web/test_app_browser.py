"""The chat page in a real browser: Debian's chromium driven by Playwright, against the real
server of tests/test_app.py (seed corpus + an article with markup, real model and index)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import REPO
from tests.web.test_app import SEED_QUESTION, SEED_QUOTE, app_server  # noqa: F401  (shared fixture)

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
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    began = time.perf_counter()
    page.goto(app_server[0], wait_until="domcontentloaded")
    page.locator("#question textarea").wait_for(state="visible", timeout=30_000)
    wait_for_library(page)
    page.load_seconds = time.perf_counter() - began  # type: ignore[attr-defined]
    yield page
    assert page.evaluate("window.__pwned") is None, "a script from an article ran"
    assert not errors, errors
    context.close()


def wait_for_library(page) -> None:
    """The page's load event has filled the article table (the header is drawn before it)."""
    page.wait_for_function("document.querySelector('.article-table td') !== null", timeout=30_000)


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


def test_a_summary_quotes_each_articles_opening(page) -> None:
    # Two articles indexed (the seed and one with markup): one sentence of each.
    answer = ask(page, "What are the articles about?")
    cards = answer.locator(".source-card")
    assert cards.count() == 2
    # Dated first: the seed article, then the undated one.
    assert "Russia has been accused of trying to fabricate" in cards.first.inner_text()
    shot(page, "desktop-summary")


def test_follow_up_and_copy(page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    first = ask(page, "What did Stoltenberg say about troop withdrawal?")
    assert "troop withdrawal" in first.inner_text()
    follow = ask(page, "What did the British defence secretary say about it?")
    assert "Ben Wallace" in follow.inner_text() and "7,000" in follow.inner_text()
    assert "troop withdrawal" in follow.locator(".read-as").inner_text()
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
    # folded by default: the message stays in view, the passages are one click away
    assert not answer.locator(".related-card").first.is_visible()
    assert_first_line_in_view(page, answer.locator(".abstain-text"))
    answer.locator("details.related-box summary").click()
    assert answer.locator(".related-card").first.is_visible()
    shot(page, "desktop-abstention")


def test_an_outlet_the_library_lacks_is_said_not_quoted(page) -> None:
    answer = ask(page, "What did the Reuters article say about the troop withdrawal?")
    text = answer.locator(".abstain-text")
    assert "No articles from Reuters are in the library" in text.inner_text()
    assert answer.locator(".source-card").count() == 0
    assert answer.locator(".related-card").count() >= 1
    assert_first_line_in_view(page, text)
    shot(page, "desktop-outlet-not-in-library")


def test_trash_icon_clears_the_history(page) -> None:
    ask(page, "What did Stoltenberg say about troop withdrawal?")
    page.locator("#chatbot button[aria-label='Clear']").click()
    page.wait_for_function("document.querySelectorAll('#chatbot .answer').length === 0")
    follow = ask(page, "What did the British defence secretary say about it?")
    # with the history gone, nothing rewrites the question against the deleted turn
    assert follow.locator(".read-as").count() == 0
    assert "troop withdrawal" not in follow.inner_text()


def test_long_question_counter_and_refusal_keep_the_text(page, app_server) -> None:  # noqa: F811
    limit = app_server[1].settings.max_question_chars
    box = page.locator("#question textarea")
    box.fill("Why " * (limit // 4 - 20))
    counter = page.locator("#question-count .count")
    counter.wait_for(state="visible")
    assert f"/ {limit:,}" in counter.inner_text()
    long_question = "Why " * (limit // 4 + 20)
    box.fill(long_question)
    assert "over" in (counter.get_attribute("class") or "")
    box.press("Enter")
    notice = page.locator("#chatbot .answer.notice").last
    notice.wait_for(timeout=30_000)
    text = notice.inner_text()
    assert text[0].isupper() and "ASSISTANT_" not in text and f"{limit:,}" in text
    assert box.input_value() == long_question.strip() or box.input_value() == long_question


def test_oversized_upload_gets_one_message(page, app_server, tmp_path: Path) -> None:  # noqa: F811
    limit = app_server[1].settings.max_upload_mb
    big = tmp_path / "big_story.txt"
    big.write_bytes(b"word " * int(limit * 1024 * 1024 / 5 * 1.5))
    page.get_by_role("tab", name="Add articles").click()
    page.locator("#upload input[type=file]").set_input_files([str(big)])
    result = page.locator("#upload-result")
    result.get_by_text("big_story.txt", exact=False).wait_for(timeout=10_000)
    page.wait_for_timeout(1500)  # time for any toast or status pill to appear
    assert f"up to {limit:g} MB" in result.inner_text()
    assert page.locator(".toast-body").count() == 0
    assert "Error" not in page.locator("#upload").inner_text()
    shot(page, "desktop-upload-too-big")


def test_looks(page) -> None:
    looks = page.evaluate(
        """() => {
          const lum = (rgb) => { const [r, g, b] = rgb.match(/\\d+/g).slice(0, 3).map((v) => {
            v = v / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          let el = document.querySelector('.app-tagline'), bg = 'rgba(0, 0, 0, 0)';
          const fg = getComputedStyle(el).color;
          for (; el && bg === 'rgba(0, 0, 0, 0)'; el = el.parentElement)
            bg = getComputedStyle(el).backgroundColor;
          if (bg === 'rgba(0, 0, 0, 0)') bg = 'rgb(255, 255, 255)';
          const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
          const range = document.createRange();
          range.selectNodeContents(document.querySelector('.article-table td.date'));
          return {contrast: (a + 0.05) / (b + 0.05),
                  webFonts: [...document.fonts].filter((f) => f.status === 'loaded').length,
                  family: getComputedStyle(document.querySelector('#app-header h1')).fontFamily,
                  dateLines: range.getClientRects().length};
        }"""
    )
    assert looks["contrast"] >= 4.5, looks
    # one font family for every glyph: no web font half-loaded beside a system fallback
    assert looks["webFonts"] == 0 and looks["family"].startswith("system-ui"), looks
    assert looks["dateLines"] == 1, looks  # "2022-02-17" on one line


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


def assert_first_line_in_view(page, locator) -> None:
    """The element's first line is inside both the window and the chat's scrolling box."""
    page.wait_for_timeout(400)  # the page's scroll runs on the next animation frame
    seen = locator.evaluate(
        """(el) => { const r = el.getBoundingClientRect();
          const log = document.querySelector('#chatbot .bubble-wrap').getBoundingClientRect();
          const line = r.top + Math.min(r.height, 24);
          return {top: r.top, line, log_top: log.top, log_bottom: log.bottom, h: innerHeight}; }"""
    )
    assert seen["top"] >= max(0, seen["log_top"]) - 1, seen
    assert seen["line"] <= min(seen["h"], seen["log_bottom"]) + 1, seen


def test_phone_width(browser, app_server) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 400, "height": 800}, is_mobile=True)
    page = context.new_page()
    page.goto(app_server[0], wait_until="domcontentloaded")
    page.locator("#question textarea").wait_for(state="visible", timeout=30_000)
    wait_for_library(page)
    answer = ask(page, SEED_QUESTION)
    assert SEED_QUOTE in answer.inner_text()
    assert_first_line_in_view(page, answer.locator(".answer-text"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 410, f"page scrolls sideways at phone width ({width}px)"
    shot(page, "phone-answer")
    # the reader scrolls the chat back up; the next answer still comes into view
    page.evaluate("document.querySelector('#chatbot .bubble-wrap').scrollTop = 0")
    answer = ask(page, "What did Stoltenberg say about troop withdrawal?")
    assert_first_line_in_view(page, answer.locator(".answer-text"))
    # a suggestion tapped in the source guide, far below the chat, shows its answer
    page.locator("#guide-pick input").click()
    page.get_by_role("option", name="NATO accuses Russia", exact=False).first.click()
    suggestion = page.locator(".suggested-btn").first
    suggestion.wait_for(state="visible", timeout=30_000)
    suggestion.scroll_into_view_if_needed()
    before = page.locator("#chatbot .answer:not(.streaming)").count()
    suggestion.click()
    page.wait_for_function(
        "n => document.querySelectorAll('#chatbot .answer:not(.streaming)').length > n",
        arg=before,
        timeout=30_000,
    )
    answer = page.locator("#chatbot .answer:not(.streaming)").last
    assert_first_line_in_view(page, answer.locator("p").first)
    shot(page, "phone-suggestion")
    answer = ask(page, "What did Olaf Scholz say about Nord Stream 2?")
    assert_first_line_in_view(page, answer.locator(".abstain-text"))
    shot(page, "phone-abstention")
    context.close()


def test_page_updates_after_another_ingest(page, app_server, tmp_path: Path) -> None:  # noqa: F811
    """An ingest that is not the page's own (the CLI's) shows without a reload."""
    before = page.locator("#app-header").inner_text()
    story = tmp_path / "oslo_library.md"
    story.write_text(
        "---\ntitle: Oslo opens a new public library\nsource: Nordic Post\ndate: 2024-05-02\n"
        "---\nOslo opened its new public library on Thursday. Librarian Ingrid Dahl said the "
        "library would lend 40,000 books in its first month.\n",
        encoding="utf-8",
    )
    app_server[1].ingest([story])
    page.locator("#articles-table").get_by_text("Oslo opens a new public library").wait_for(
        timeout=30_000
    )
    assert page.locator("#app-header").inner_text() != before
    shot(page, "desktop-after-ingest")


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
