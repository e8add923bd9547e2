"""News layouts on hand-made articles, answered by the fast profile's real answerer (word overlap,
no model): a column per outlet, a line for outlets without a report, and a timeline."""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.column_question import column_question, without_outlets
from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.layout import (
    LAYOUT_BY_OUTLET,
    LAYOUT_TIMELINE,
    as_timeline,
    asks_about_time,
    asks_by_outlet,
    asks_for_edge,
    by_outlet_answer,
    coverage_topic,
    edge_article_answer,
    edge_topic,
    renumber,
)
from assistant.schema import Passage
from assistant.text.question_analysis import SourceMatcher, analyse_question
from tests.helpers import word_overlap_answerer

ARTICLES = {
    "verge-1": (
        "The Verge",
        "2023-10-02",
        "Apple released the Vision Pro headset in February. "
        "The Verge found the Vision Pro battery life is about two hours in daily use.",
    ),
    "techcrunch-1": (
        "TechCrunch",
        "2023-11-20",
        "TechCrunch reported that the Vision Pro battery pack weighs 353 grams. "
        "Developers praised the headset's eye tracking in early tests.",
    ),
    "fortune-1": (
        "Fortune",
        "2023-09-15",
        "Fortune said shares of the chip maker rose four percent after the earnings call.",
    ),
    "fox-health-1": (
        "FOX News - Health",
        "2023-10-05",
        "Doctors warned that wearing a headset for hours can strain the eyes.",
    ),
    "fox-lifestyle-1": (
        "FOX News - Lifestyle",
        "2023-10-06",
        "Shoppers lined up overnight to try the Vision Pro headset in New York stores.",
    ),
}


def passages(ids: list[str]) -> list[Passage]:
    found = []
    for rank, article_id in enumerate(ids, start=1):
        source, day, text = ARTICLES[article_id]
        found.append(
            Passage(
                chunk_id=f"{article_id}:abc:0",
                article_id=article_id,
                title=f"{source} story",
                source=source,
                url="",
                published_at=day,
                text=text,
                start=0,
                end=len(text),
                score=1 / rank,
                rank=rank,
            )
        )
    return found


def answerer() -> ExtractiveAnswerer:
    return word_overlap_answerer({i: text for i, (_, _, text) in ARTICLES.items()})


MATCHER = SourceMatcher(source for source, _, _ in ARTICLES.values())


def test_questions_that_compare_outlets_or_ask_about_time_are_recognised() -> None:
    named = "How did The Verge and TechCrunch describe the Vision Pro battery?"
    assert asks_by_outlet(named, analyse_question(named, MATCHER))
    unnamed = "Which outlets reported on the Vision Pro battery?"
    assert asks_by_outlet(unnamed, analyse_question(unnamed, MATCHER))
    plain = "How long does the Vision Pro battery last?"
    assert not asks_by_outlet(plain, analyse_question(plain, MATCHER))
    assert asks_about_time("Did Fortune report the rise before TechCrunch covered the battery?")
    assert not asks_about_time("How heavy is the Vision Pro battery pack?")


def test_a_columns_question_is_its_own_clause_without_outlet_names() -> None:
    question = "Did The Verge say the battery lasts two hours, and did TechCrunch weigh the pack?"
    analysis = analyse_question(question, MATCHER)
    assert "The Verge" not in column_question("The Verge", analysis, MATCHER)
    assert "battery lasts two hours" in column_question("The Verge", analysis, MATCHER)
    assert "weigh the pack" in column_question("TechCrunch", analysis, MATCHER)


def test_a_columns_question_keeps_the_clauses_that_ask_of_every_outlet() -> None:
    question = (
        "Did The Verge say the battery lasts two hours, did TechCrunch weigh the heavy "
        "battery pack, and was the headset's launch price the same?"
    )
    analysis = analyse_question(question, MATCHER)
    verge = column_question("The Verge", analysis, MATCHER)
    techcrunch = column_question("TechCrunch", analysis, MATCHER)
    assert "battery lasts two hours" in verge and "weigh" not in verge
    assert "weigh the heavy battery pack" in techcrunch and "battery lasts" not in techcrunch
    assert "launch price the same" in verge and "launch price the same" in techcrunch


def test_a_clause_without_a_topic_of_its_own_takes_the_whole_question() -> None:
    question = (
        "Did The Verge report on October 2, 2023, that the Vision Pro battery pack lasts two "
        "hours, after TechCrunch weighed the battery pack?"
    )
    analysis = analyse_question(question, MATCHER)
    verge = column_question("The Verge", analysis, MATCHER)
    # "Did The Verge report on October 2, 2023" names no topic: the rest of the question does.
    assert "battery pack lasts two hours" in verge and "The Verge" not in verge
    shared = "Is the Vision Pro battery heavy, as reported by both 'The Verge' and 'TechCrunch'?"
    both = analyse_question(shared, MATCHER)
    for outlet in ("The Verge", "TechCrunch"):
        text = column_question(outlet, both, MATCHER)
        assert "Vision Pro battery heavy" in text
        assert "''" not in text and "' '" not in text and " and?" not in text


def test_outlet_names_leave_no_dangling_words_behind() -> None:
    listed = "Who sold the shares, as reported by TechCrunch, The Verge, and Fortune?"
    assert without_outlets(listed, MATCHER) == "Who sold the shares?"
    each = "Who sold and who bought the shares, as reported by TechCrunch and Fortune respectively?"
    assert without_outlets(each, MATCHER) == "Who sold and who bought the shares?"
    both = "Which company, covered by both The Verge and TechCrunch, makes the headset?"
    assert without_outlets(both, MATCHER) == "Which company, makes the headset?"
    quoted = "Who is the official, quoted by The Verge and Fortune, that priced the headset?"
    assert without_outlets(quoted, MATCHER) == "Who is the official, that priced the headset?"
    named = (
        "Which company, known for headsets and mentioned by both The Verge and TechCrunch, sued?"
    )
    assert without_outlets(named, MATCHER) == "Which company, known for headsets, sued?"
    subject = "Does 'The Verge' suggest that the battery lasts two hours?"
    assert (
        without_outlets(subject, MATCHER)
        == "Does the report suggest that the battery lasts two hours?"
    )
    owned = "According to TechCrunch's report, how heavy is the pack?"
    assert without_outlets(owned, MATCHER) == "According to the report, how heavy is the pack?"
    article = "Did the article from Fortune about the chip maker say shares rose?"
    assert (
        without_outlets(article, MATCHER) == "Did the article about the chip maker say shares rose?"
    )


def test_a_columns_question_ends_where_its_outlets_were_named() -> None:
    # A part of a column's question that no sentence answers is shown to the reader as is
    # ("The articles don't say: ..."): "as reported by both?" must not be left of the outlets.
    question = (
        "Who released the Vision Pro headset in February, and who found its battery lasts "
        "about two hours in daily use, as reported by both The Verge and TechCrunch?"
    )
    analysis = analyse_question(question, MATCHER)
    for outlet in ("The Verge", "TechCrunch"):
        assert column_question(outlet, analysis, MATCHER) == (
            "Who released the Vision Pro headset in February, and who found its battery lasts "
            "about two hours in daily use?"
        )


def test_each_outlet_gets_its_own_quotes_and_missing_outlets_are_named() -> None:
    question = (
        "What did The Verge say about the Vision Pro battery life, what did TechCrunch say "
        "about the Vision Pro battery weight, and what did Fortune say about the Vision Pro?"
    )
    analysis = analyse_question(question, MATCHER)
    found = passages(["verge-1", "techcrunch-1"])
    answer = by_outlet_answer(question, found, analysis, MATCHER, answerer())
    assert answer.layout == LAYOUT_BY_OUTLET
    assert [g.label for g in answer.groups] == ["The Verge", "TechCrunch"]
    assert answer.missing_outlets == ["Fortune"]
    assert "No matching report from: Fortune." in answer.text
    for group in answer.groups:
        cited = [c for c in answer.citations if c.n in group.citations]
        assert cited and all(c.source == group.label for c in cited)
        for citation in cited:
            assert ARTICLES[citation.article_id][2][citation.start : citation.end] == citation.quote
    # Numbers run on across the columns, and each column's text points at its own.
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert "two hours" in answer.citations[answer.groups[0].citations[0] - 1].quote
    assert "353 grams" in answer.citations[answer.groups[1].citations[0] - 1].quote


def test_an_outlet_named_short_gets_one_column_from_all_its_feeds() -> None:
    # The FOX News report is in its Lifestyle feed, the second of its two.
    question = (
        "How did FOX News and The Verge cover the Vision Pro headset's battery life and the "
        "shoppers who lined up overnight to try it?"
    )
    analysis = analyse_question(question, MATCHER)
    found = passages(["fox-health-1", "verge-1", "fox-lifestyle-1"])
    answer = by_outlet_answer(question, found, analysis, MATCHER, answerer())
    assert answer is not None and answer.layout == LAYOUT_BY_OUTLET
    assert [g.label for g in answer.groups] == ["FOX News", "The Verge"]
    fox = [c for c in answer.citations if c.n in answer.groups[0].citations]
    assert [c.source for c in fox] == ["FOX News - Lifestyle"]
    assert "lined up overnight" in fox[0].quote


def test_unnamed_outlets_get_one_column_each_whatever_their_feeds() -> None:
    question = "Which outlets reported on the Vision Pro headset and the shoppers' eyes?"
    analysis = analyse_question(question, MATCHER)
    found = passages(["fox-health-1", "verge-1", "fox-lifestyle-1"])
    answer = by_outlet_answer(question, found, analysis, MATCHER, answerer())
    assert answer is not None
    assert [g.label for g in answer.groups] == ["FOX News", "The Verge"]


def test_no_outlet_with_a_report_leaves_the_question_to_the_plain_answer() -> None:
    question = "How did Fortune and TechCrunch cover the chip maker's shares?"
    analysis = analyse_question(question, MATCHER)
    assert by_outlet_answer(question, [], analysis, MATCHER, answerer()) is None


def test_a_timeline_orders_citations_by_publication_day() -> None:
    question = (
        "How did the Vision Pro battery coverage develop, from the headset's battery life "
        "to the weight of the battery pack?"
    )
    answer = answerer().answer(question, passages(["techcrunch-1", "verge-1"]))
    days = {c.published_at for c in answer.citations}
    assert len(days) == 2, answer.text
    timeline = as_timeline(answer)
    assert timeline.layout == LAYOUT_TIMELINE
    assert [g.label for g in timeline.groups] == ["2023-10-02", "2023-11-20"]
    first = [c for c in answer.citations if c.n in timeline.groups[0].citations]
    assert all(c.source == "The Verge" for c in first)


def test_one_day_is_no_timeline() -> None:
    answer = answerer().answer("How heavy is the battery pack?", passages(["techcrunch-1"]))
    assert as_timeline(answer).layout == "answer"


def test_renumbering_markers_keeps_lists() -> None:
    assert renumber("A [1]. B [1, 2].", {1: 3, 2: 4}) == "A [3]. B [3, 4]."


def test_latest_and_first_need_a_word_about_reports() -> None:
    assert asks_for_edge("What did the latest report say about the Vision Pro?") == "latest"
    assert asks_for_edge("Which outlet reported the battery weight first?") == "first"
    assert asks_for_edge("What happened in the first quarter?") is None
    # "the latest on …" asks for news though no word says "report".
    assert asks_for_edge("What's the latest on the Vision Pro?") == "latest"
    assert asks_for_edge("What is the latest iPhone?") is None
    # An edge word must pick the report.
    assert asks_for_edge("Which letter is the first letter of the company in the report?") is None
    assert asks_for_edge("What did the article say about the last quarter's sales?") is None
    assert asks_for_edge("Did the article review the band's latest tour?") is None
    assert asks_for_edge("Who won, as the first article and the second article said?") is None
    assert asks_for_edge("What did the most recent Verge story say?") == "latest"
    assert asks_for_edge("Which was the first outlet to report the recall?") == "first"


def test_the_model_reads_what_an_edge_question_asks_about() -> None:
    assert edge_topic("What did the latest report say about the UAW strike?") == "The UAW strike?"
    assert edge_topic("What's the latest on the Vision Pro?") == "The Vision Pro?"
    assert edge_topic("What was the first article about the recall?") == "The recall?"
    assert edge_topic("What is the most recent news on Cruise robotaxis?") == "Cruise robotaxis?"
    # Worded otherwise, the question is read whole.
    question = "Which outlet reported the battery weight first?"
    assert edge_topic(question) == question


def test_the_latest_report_is_answered_from_the_latest_article() -> None:
    question = "What did the latest report say about the Vision Pro battery?"
    found = passages(["verge-1", "techcrunch-1"])
    answer = edge_article_answer(question, found, "latest", answerer(), depth=5)
    assert answer is not None and answer.citations
    assert {c.article_id for c in answer.citations} == {"techcrunch-1"}
    first = edge_article_answer(question, found, "first", answerer(), depth=5)
    assert first is not None and {c.article_id for c in first.citations} == {"verge-1"}
    # One article is no choice: the plain answer stands.
    assert edge_article_answer(question, found[:1], "latest", answerer(), depth=5) is None


def test_the_latest_report_on_a_subject_is_the_latest_that_answers() -> None:
    # The newest article found (Fortune, about a chip maker) says nothing of the battery: the
    # latest report on the battery is the next one in.
    question = "What did the latest report say about the Vision Pro battery?"
    found = passages(["fortune-1", "verge-1", "techcrunch-1"])
    found[0] = replace(found[0], published_at="2023-12-01")
    answer = edge_article_answer(question, found, "latest", answerer(), depth=5)
    assert answer is not None and answer.question == question
    assert {c.article_id for c in answer.citations} == {"techcrunch-1"}


def test_the_fast_profile_has_no_lower_bar_for_columns() -> None:
    # Word overlap has no score to lower: a column it can't answer stays "no matching report".
    assert answerer().for_columns() is None


def test_a_question_about_what_was_reported_is_read_for_its_subject() -> None:
    assert coverage_topic("What did The Verge report about Apple?", MATCHER) == "Apple?"
    assert coverage_topic("What did TechCrunch's report say on the Vision Pro?", MATCHER) == (
        "The Vision Pro?"
    )
    assert coverage_topic("What have the articles said about the strike?", MATCHER) == (
        "The strike?"
    )
    # A person's words are what a said-by answer quotes; several outlets get columns.
    assert coverage_topic("What did Tim Cook say about Apple?", MATCHER) is None
    assert coverage_topic("What did The Verge and TechCrunch say about Apple?", MATCHER) is None
    assert coverage_topic("How did The Verge report the launch?", MATCHER) is None
