"""News layouts in a real browser: a column per outlet (with the outlets that have no matching
report) and a vertical timeline, on the chat page served for a small news corpus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.api import Assistant
from tests.helpers import make_assistant
from tests.integration.test_news_layouts import write_news
from tests.web.test_app import served_page
from tests.web.test_app_browser import CHROMIUM, FLAGS, ask, shot, wait_for_library

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def news_page_url(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("news-page")
    assistant: Assistant = make_assistant(folder / "index", embeddings)
    assistant.ingest([write_news(folder)])
    with served_page(assistant) as url:
        yield url
    assistant.close()


@pytest.fixture
def news_page(news_page_url: str):
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = chromium.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(news_page_url, wait_until="domcontentloaded")
        page.locator("#question textarea").wait_for(state="visible", timeout=30_000)
        wait_for_library(page)
        yield page
        assert not errors, errors
        chromium.close()


def test_outlet_columns_side_by_side(news_page) -> None:
    answer = ask(
        news_page,
        "What did Harbor Daily, Metro Ledger and Valley Times report about the Kessler Bridge "
        "repair costs and closure?",
    )
    columns = answer.locator(".outlet-column")
    assert columns.count() == 2
    assert columns.nth(0).locator(".outlet-name").inner_text() == "Harbor Daily"
    assert columns.nth(1).locator(".outlet-name").inner_text() == "Metro Ledger"
    for n in range(2):
        cards = columns.nth(n).locator(".source-card")
        assert cards.count() >= 1
        name = columns.nth(n).locator(".outlet-name").inner_text()
        assert all(name in cards.nth(i).inner_text() for i in range(cards.count()))
    # Side by side on a desktop: the second column starts to the right of the first.
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert first and second and second["x"] > first["x"] + first["width"] / 2
    assert "Valley Times" in answer.locator(".outlet-missing").inner_text()
    # Under the columns: how many reports and outlets the quotes come from.
    tally = answer.locator(".corroboration").inner_text()
    assert "by 2 outlets (Harbor Daily, Metro Ledger)" in tally
    shot(news_page, "layout-by-outlet")


def test_timeline_runs_oldest_first(news_page) -> None:
    answer = ask(
        news_page,
        "How did the Kessler Bridge story develop from the closure to the repair cost and the "
        "reopening?",
    )
    dates = answer.locator(".timeline .timeline-date").all_inner_texts()
    assert len(dates) >= 2 and dates == sorted(dates)
    stops = answer.locator(".timeline-stop")
    for n in range(stops.count()):
        assert dates[n] in stops.nth(n).locator(".source-card").first.inner_text()
    # A [n] marker in the text still leads to its card inside the timeline.
    answer.locator("a.cite-marker").first.click()
    assert answer.locator(".timeline .source-card.flash").count() == 1
    shot(news_page, "layout-timeline")


def test_the_news_of_a_period_is_a_timeline_of_its_stories(news_page) -> None:
    answer = ask(news_page, "What was in the news in October 2023?")
    dates = answer.locator(".timeline .timeline-date").all_inner_texts()
    assert len(dates) >= 2 and dates == sorted(dates)
    assert answer.locator(".timeline .source-card").count() == 5
    assert "published between 2023-10-01 and 2023-10-31" in answer.inner_text()
    shot(news_page, "layout-news-of-a-period")


def test_a_quoted_speaker_has_a_chip(news_page) -> None:
    answer = ask(news_page, "What did Dana Whitfield say about the Kessler Bridge repairs?")
    chip = answer.locator(".source-card .card-speaker").first
    assert chip.inner_text() == "Dana Whitfield"
    shot(news_page, "speaker-chip")


def test_who_said_what_shows_a_column_per_speaker(news_page) -> None:
    answer = ask(news_page, "What do officials say about the Kessler Bridge repairs?")
    columns = answer.locator(".outlet-column")
    assert columns.count() >= 2
    for n in range(columns.count()):
        name = columns.nth(n).locator(".outlet-name").inner_text()
        chips = columns.nth(n).locator(".card-speaker").all_inner_texts()
        assert chips and all(chip == name for chip in chips)
    shot(news_page, "layout-who-said-what")


def test_how_many_articles_mention_a_name_is_a_count_over_a_timeline(news_page) -> None:
    answer = ask(news_page, "How many articles mention the Kessler Bridge?")
    text = answer.locator(".answer-text").inner_text()
    assert text.startswith("3 articles from 2 outlets mention “Kessler Bridge”")
    assert answer.locator(".timeline .source-card").count() == 3
    shot(news_page, "layout-mentions")


def test_who_is_quoted_most_is_a_column_per_speaker_with_the_tally(news_page) -> None:
    answer = ask(news_page, "Who is quoted most about the Kessler Bridge?")
    # Above the columns: what they were counted from.
    lead = answer.locator(".answer-text").first.inner_text()
    assert lead.startswith("In the 3 articles that mention “Kessler Bridge”, 2 speakers")
    columns = answer.locator(".outlet-column")
    assert columns.count() == 2
    assert columns.nth(0).locator(".outlet-name").inner_text() == "Dana Whitfield"
    assert "quoted in 1 article (1 statement)" in columns.nth(0).inner_text()
    assert columns.nth(0).locator(".card-speaker").all_inner_texts() == ["Dana Whitfield"]
    shot(news_page, "layout-quoted-most")
