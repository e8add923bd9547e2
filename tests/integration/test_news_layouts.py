"""News layouts through Assistant.ask with the real models: a column per outlet (and the outlets
that have no matching report), and a timeline for a question about how a story developed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answer.layout import by_outlet_answer
from assistant.api import Assistant
from assistant.models.embeddings import ArticleEmbeddings
from assistant.schema import Answer
from assistant.text.question_analysis import SourceMatcher, analyse_question
from tests.helpers import make_assistant

STORIES = [
    (
        "Harbor Daily",
        "2023-10-02",
        "Kessler Bridge closes for repairs",
        "The Kessler Bridge was closed to traffic on Monday after inspectors found cracks in two "
        "support beams. City engineer Dana Whitfield said the repairs would take at least six "
        "weeks. Commuters were told to use the ferry service in the meantime.",
    ),
    (
        "Metro Ledger",
        "2023-10-20",
        "Kessler Bridge repair bill grows",
        "The cost of repairing the Kessler Bridge has risen to 14 million dollars, the city "
        "council said on Friday. Council members blamed corrosion that the first inspection "
        "missed. “We should have found the corrosion a year ago,” council member Ravi Patel said. "
        "The ferry service added three evening crossings for commuters.",
    ),
    (
        "Harbor Daily",
        "2023-11-28",
        "Kessler Bridge reopens",
        "The Kessler Bridge reopened on Tuesday after eight weeks of repairs. Traffic returned "
        "to normal by the evening rush hour, the transport office said.",
    ),
    (
        "Valley Times",
        "2023-10-05",
        "Orchard harvest breaks record",
        "Apple growers in the valley picked a record 40,000 tonnes this season. The cooperative "
        "said warm spring weather helped the blossoms.",
    ),
    (
        "Metro Ledger",
        "2023-10-25",
        "Weekend ferries approved",
        "Ravi Patel's proposal to run the ferry service on weekends was approved, according to "
        "the council minutes. The first weekend crossing leaves at nine.",
    ),
    (
        "Hill Courier",
        "2023-10-09",
        "Barn roof mended",
        "Volunteers finished repairs to the old barn roof on Saturday. The repairs were paid for "
        "by a bake sale at the village hall.",
    ),
]
FILLER_TOPICS = ["tides", "violins", "glaciers", "lanterns", "comets", "meadows", "kites"]


def write_news(folder: Path) -> Path:
    """STORIES as a JSONL corpus file, with filler news from another outlet so that word
    rarity is that of a corpus."""
    records = [
        {
            "title": title,
            "source": source,
            "published_at": day,
            "url": f"http://n/{n}",
            "body": body,
        }
        for n, (source, day, title, body) in enumerate(STORIES)
    ]
    records += [
        {
            "title": f"Notes on {topic} {n}",
            "source": "Filler Gazette",
            "published_at": "2023-09-01",
            "url": f"http://filler/{n}",
            "body": f"Residents discussed {topic} at meeting {n}. The {topic} survey continues.",
        }
        for n, topic in enumerate(FILLER_TOPICS * 3)
    ]
    path = folder / "news.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records))
    return path


@pytest.fixture(scope="module")
def news(
    tmp_path_factory: pytest.TempPathFactory, embeddings: ArticleEmbeddings
) -> Iterator[Assistant]:
    folder = tmp_path_factory.mktemp("news-layouts")
    corpus = write_news(folder)
    assistant = make_assistant(folder / "index", embeddings)
    assistant.ingest([corpus])
    yield assistant
    assistant.close()


def test_a_question_naming_outlets_gets_a_column_for_each(news: Assistant) -> None:
    answer = news.ask("How did Harbor Daily and Metro Ledger report the Kessler Bridge repairs?")
    assert answer.layout == "by_outlet", answer.text
    assert [group.label for group in answer.groups] == ["Harbor Daily", "Metro Ledger"]
    for group in answer.groups:
        assert group.citations
        for n in group.citations:
            citation = answer.citations[n - 1]
            assert citation.n == n and citation.source == group.label
            article = news.article(citation.article_id)
            assert article is not None
            assert article.text[citation.start : citation.end] == citation.quote
    assert answer.text.startswith("Harbor Daily: ")
    assert not answer.missing_outlets


def test_an_outlet_without_a_matching_report_is_named(news: Assistant) -> None:
    answer = news.ask(
        "What did Harbor Daily, Metro Ledger and Valley Times report about the Kessler Bridge "
        "repair costs and closure?"
    )
    assert answer.layout == "by_outlet", answer.text
    assert "Valley Times" in answer.missing_outlets
    assert "No matching report from: Valley Times." in answer.text
    assert {c.source for c in answer.citations} <= {"Harbor Daily", "Metro Ledger"}


def test_outlets_the_search_found_are_columns_only_where_they_report_it(news: Assistant) -> None:
    # Hill Courier's barn-roof story shares a word with the question and comes back from the
    # search; it is no report of the bridge, and the question never named Hill Courier.
    answer = news.ask("Which outlets reported the Kessler Bridge repairs?")
    assert answer.layout == "by_outlet", answer.text
    labels = [group.label for group in answer.groups]
    assert "Harbor Daily" in labels and "Hill Courier" not in labels, answer.text
    assert {c.source for c in answer.citations} <= {"Harbor Daily", "Metro Ledger"}
    assert not answer.missing_outlets and "No matching report" not in answer.text


def test_a_speakers_statement_on_something_else_is_not_their_answer(news: Assistant) -> None:
    # Ravi Patel's one statement is about the corrosion; his name alone lifts its score
    # above the question's bar. The minutes' account of his ferry proposal answers better.
    answer = news.ask("What did Ravi Patel say about the ferry service?")
    assert answer.citations and "ferry service on weekends" in answer.citations[0].quote
    assert all("corrosion" not in c.quote for c in answer.citations), answer.text
    on_topic = news.ask("What did Ravi Patel say about the corrosion?")
    assert on_topic.citations and on_topic.citations[0].speaker == "Ravi Patel", on_topic.text
    # The page streams its answers: the same answer there.
    streamed = list(news.stream("What did Ravi Patel say about the ferry service?"))[-1]
    assert [c.quote for c in streamed.citations] == [c.quote for c in answer.citations]


def test_what_someone_said_about_nothing_in_particular_is_their_own_words(
    news: Assistant,
) -> None:
    # “We should have found …,” Ravi Patel said: the question names no topic to rank by,
    # and the minutes that mention him are no words of his.
    answer = news.ask("What did Ravi Patel say?")
    assert answer.citations, answer.text
    assert all(c.speaker == "Ravi Patel" for c in answer.citations), answer.text
    assert "corrosion a year ago" in answer.citations[0].quote
    streamed = list(news.stream("What did Ravi Patel say?"))[-1]
    assert [c.quote for c in streamed.citations] == [c.quote for c in answer.citations]


def test_a_follow_up_about_a_thing_just_spoken_of_stays_in_that_story(news: Assistant) -> None:
    first = news.ask("How long would the Kessler Bridge repairs take?")
    assert "weeks" in first.text, first.text
    history = [
        {"role": "user", "content": "How long would the Kessler Bridge repairs take?"},
        {"role": "assistant", "content": first.text},
    ]
    answer = news.ask("Who paid for the repairs?", history=history)
    assert answer.standalone_question == "Who paid for the repairs (Kessler Bridge)?"
    assert all("barn" not in c.quote for c in answer.citations), answer.text


def test_a_question_only_about_outlets_the_library_lacks_is_not_answered_by_others(
    news: Assistant,
) -> None:
    answer = news.ask("What did the Reuters article say about the Kessler Bridge repair cost?")
    assert answer.abstained and not answer.citations
    assert answer.text.startswith("No articles from Reuters are in the library")
    assert answer.outlets_not_in_library == ["Reuters"]
    assert answer.outlet_note == ""  # the text says it already
    # What other outlets wrote is there to read, as related passages.
    assert any("14 million dollars" in p.text for p in answer.related)


def test_an_outlet_the_library_lacks_is_named_beside_the_quotes_from_those_it_has(
    news: Assistant,
) -> None:
    answer = news.ask(
        "What did the Metro Ledger article and the Reuters article say about the Kessler "
        "Bridge repair cost?"
    )
    assert not answer.abstained and answer.citations
    assert {c.source for c in answer.citations} == {"Metro Ledger"}
    assert answer.outlets_not_in_library == ["Reuters"]
    assert answer.outlet_note == (
        "No articles from Reuters are in the library; the quotes are from other outlets."
    )
    assert answer.to_dict()["outlet_note"] == answer.outlet_note
    known = news.ask("What did the Metro Ledger article say about the Kessler Bridge repair cost?")
    assert known.outlets_not_in_library == [] and known.outlet_note == ""


def test_a_missing_outlets_name_does_not_decline_a_question_the_library_answers(
    seed_assistant: Assistant,
) -> None:
    # "Reuters" is a name no article has: read as the question's subject it raised the bar
    # the answer must clear, and the question was declined.
    answer = seed_assistant.ask(
        "What did the euronews article and the Reuters article say about the troops near Ukraine?"
    )
    assert not answer.abstained and answer.citations
    assert answer.outlets_not_in_library == ["Reuters"]
    assert "Reuters" not in answer.standalone_question
    assert answer.outlet_note.startswith("No articles from Reuters are in the library")
    read_as = seed_assistant.ask(
        "What did a euronews article and a Reuters article say about the troops near Ukraine?"
    ).standalone_question
    assert "a euronews article and an article say" in read_as


def test_a_question_dated_by_another_report_searches_after_that_reports_day(
    news: Assistant,
) -> None:
    # Metro Ledger's article on the repair bill is dated 2023-10-20: Harbor Daily reported the
    # closure before it (2023-10-02) and the reopening after it (2023-11-28).
    after = news.ask(
        "What did Harbor Daily report about the Kessler Bridge after the Metro Ledger article "
        "on the repair bill?"
    )
    assert not after.abstained and after.citations
    assert {c.published_at[:10] for c in after.citations} == {"2023-11-28"}
    assert "reopened" in after.citations[0].quote
    assert after.period_note.startswith("Searched the articles published from 2023-10-21 on")
    assert "“Kessler Bridge repair bill grows”, Metro Ledger, 2023-10-20" in after.period_note
    # The outlet written as the wording has it: "the metro ledger's article".
    before = news.ask(
        "What did Harbor Daily report about the Kessler Bridge before the metro ledger's "
        "article on the repair bill?"
    )
    assert not before.abstained and before.citations
    assert {c.published_at[:10] for c in before.citations} == {"2023-10-02"}
    # No report of the outlet named is on that topic: no period is set, the question is
    # answered from all the articles.
    unanchored = news.ask(
        "What did Harbor Daily report about the Kessler Bridge after the Valley Times article "
        "on the repair bill?"
    )
    assert unanchored.period_note == ""
    # An outlet the library lacks: another outlet's article on the topic sets no date.
    missing = news.ask(
        "What did Harbor Daily report about the Kessler Bridge after the Reuters article on "
        "the repair bill?"
    )
    assert missing.period_note == "" and missing.outlets_not_in_library == ["Reuters"]


def test_an_outlet_that_reports_it_in_other_words_keeps_its_column(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    # The Coast Courier's report shares few words with the question and the model scores it
    # low; once Harbor Daily's column answers, the Courier's passage (found for the question)
    # is its report, not "no matching report".
    corpus = write_news(tmp_path)
    courier = {
        "title": "Ferries fill up",
        "source": "Coast Courier",
        "published_at": "2023-10-12",
        "url": "http://n/courier",
        "body": "With the bridge shut, ferry operators said passenger numbers doubled in "
        "October. The harbour cafe extended its opening hours.",
    }
    corpus.write_text(corpus.read_text() + "\n" + json.dumps(courier))
    fresh_assistant.ingest([corpus])
    answer = fresh_assistant.ask(
        "What did Harbor Daily and Coast Courier report about the Kessler Bridge closure?"
    )
    assert answer.layout == "by_outlet", answer.text
    assert not answer.missing_outlets, answer.text
    courier_quotes = [c.quote for c in answer.citations if c.source == "Coast Courier"]
    assert courier_quotes == [
        "With the bridge shut, ferry operators said passenger numbers doubled in October."
    ]


def test_an_outlet_named_by_its_short_name_is_searched_in_all_its_feeds(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    # Feeds title an outlet's sections ("Coast Courier - Travel"); a reader names the outlet.
    # Its report here is in the section that sorts last, and the column is labelled as asked.
    corpus = write_news(tmp_path)
    sections = [
        (
            "Coast Courier - Business",
            "Harbour cafe extends hours",
            "The harbour cafe extended its opening hours for the winter season.",
        ),
        (
            "Coast Courier - Travel",
            "Ferries fill up",
            "With the Kessler Bridge shut, ferry "
            "operators said passenger numbers doubled in October.",
        ),
    ]
    lines = [corpus.read_text()] + [
        json.dumps(
            {
                "title": title,
                "source": source,
                "published_at": "2023-10-12",
                "url": f"http://n/courier-{n}",
                "body": body,
            }
        )
        for n, (source, title, body) in enumerate(sections)
    ]
    corpus.write_text("\n".join(lines))
    fresh_assistant.ingest([corpus])
    answer = fresh_assistant.ask(
        "What did Harbor Daily and Coast Courier report about the Kessler Bridge closure?"
    )
    assert answer.layout == "by_outlet", answer.text
    assert [group.label for group in answer.groups] == ["Harbor Daily", "Coast Courier"]
    assert not answer.missing_outlets, answer.text
    courier = [answer.citations[n - 1] for n in answer.groups[1].citations]
    assert [c.source for c in courier] == ["Coast Courier - Travel"]
    assert "passenger numbers doubled" in courier[0].quote
    assert answer.text.splitlines()[1].startswith("Coast Courier: ")


def test_columns_are_read_at_the_column_bar_once_the_whole_question_is_answered(
    news: Assistant,
) -> None:
    # Each column's question is one clause, held to a one-clause question's bar, which neither
    # clears here; when the whole question clears its own bar (the pipeline asks the answerer),
    # the question is answered and the columns are read at the column bar before any outlet is
    # said to have no matching report.
    question = (
        "Does Harbor Daily portray the town as resilient, while Metro Ledger portrays the "
        "council as negligent?"
    )
    passages = news.retrieve(question)
    matcher = SourceMatcher(source for source, _, _, _ in STORIES)
    analysis = analyse_question(question, matcher)
    answerer = news.extractive_answerer()
    assert by_outlet_answer(question, passages, analysis, matcher, answerer) is None
    declined = by_outlet_answer(
        question, passages, analysis, matcher, answerer, whole_answers=lambda: False
    )
    assert declined is None
    answer = by_outlet_answer(
        question, passages, analysis, matcher, answerer, whole_answers=lambda: True
    )
    assert answer is not None and answer.layout == "by_outlet", answer
    assert [group.label for group in answer.groups] == ["Metro Ledger"]
    assert answer.citations[0].quote == (
        "Council members blamed corrosion that the first inspection missed."
    )
    assert {c.source for c in answer.citations} == {"Metro Ledger"}
    assert answer.missing_outlets == ["Harbor Daily"]


def test_a_column_of_a_long_question_quotes_the_sentence_that_answers_one_clause(
    news: Assistant,
) -> None:
    # Read as a whole, a question of several clauses scores low against every sentence; a
    # column reads each clause too, and quotes the sentence that answers one of them.
    question = (
        "Which city project, once called a symbol of the valley's apple harvest, whose repairs "
        "an engineer said would take six weeks, was renamed after a famous violinist?"
    )
    harbor = [p for p in news.retrieve(question) if p.source == "Harbor Daily"]
    assert news.extractive_answerer().answer(question, harbor).abstained
    column = news.extractive_answerer().for_columns()
    assert column is not None
    answer = column.answer(question, harbor)
    assert [c.quote for c in answer.citations] == [
        "City engineer Dana Whitfield said the repairs would take at least six weeks."
    ]
    # The derived assistant shares the fixture's index: closing it would close that too.
    lenient = news.derive(column_clause_score=100.0).extractive_answerer().for_columns()
    assert lenient is not None and lenient.answer(question, harbor).abstained


def test_what_an_outlet_reported_about_a_subject_quotes_its_reports_on_it(news: Assistant) -> None:
    # Read whole, the question scores below the bar against every sentence: none names
    # Harbor Daily. Read for its subject, the outlet's reports on the bridge answer it.
    question = "What did Harbor Daily report about the bridge?"
    answer = news.ask(question)
    assert not answer.abstained and answer.question == question
    assert {c.source for c in answer.citations} == {"Harbor Daily"}
    assert any("closed to traffic" in c.quote for c in answer.citations)
    assert news.derive(news_layouts=False).ask(question).abstained
    # Streamed (the page), the same answer.
    *_, streamed = news.chain.stream({"question": question})
    assert [c.quote for c in streamed.citations] == [c.quote for c in answer.citations]
    # An outlet with no report on it has none to quote.
    assert news.ask("What did Harbor Daily write about the barn roof?").abstained


def test_the_news_of_a_period_is_its_stories_one_sentence_each(news: Assistant) -> None:
    answer = news.ask("What was in the news in October 2023?")
    assert answer.layout == "timeline" and not answer.abstained
    days = [c.published_at for c in answer.citations]
    assert days == sorted(days) and all(day and day.startswith("2023-10") for day in days)
    # One sentence per story, the one of its opening that tells what its headline says.
    assert len({c.article_id for c in answer.citations}) == len(answer.citations) == 5
    quotes = " ".join(c.quote for c in answer.citations)
    assert "The Kessler Bridge was closed to traffic on Monday" in quotes
    assert "The cost of repairing the Kessler Bridge has risen to 14 million dollars" in quotes
    # Many stories: those most other reports also tell of, and the count.
    crowded = news.ask("What happened on September 1, 2023?")
    assert len(crowded.citations) == 8 and "Of 21 stories, the 8 that" in crowded.period_note
    # "Tell me more": the stories not quoted yet, until all were.
    two_at_a_time = news.derive(digest_stories=2)
    history: list[dict[str, str]] = []
    seen: list[str] = []
    for question in ["What was in the news in October 2023?"] + ["Tell me more"] * 3:
        more = two_at_a_time.ask(question, history=history)
        seen += [c.article_id for c in more.citations]
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": more.text},
        ]
    assert len(seen) == len(set(seen)) == 5
    assert more.abstained and more.text.startswith("The indexed articles say nothing more")
    # A day with no article says so.
    empty = news.ask("What happened on December 25, 2023?")
    assert empty.abstained and "No indexed article is among" in empty.text


def test_a_speakers_side_in_other_words_keeps_its_column(news: Assistant) -> None:
    # Patel's side of the repairs is the corrosion: no word of "the Kessler Bridge repairs",
    # yet his column, as the view's question to him, is no off-topic answer to decline.
    answer = news.ask("What do officials say about the Kessler Bridge repairs?")
    assert answer.layout == "by_speaker"
    assert [group.label for group in answer.groups] == ["Dana Whitfield", "Ravi Patel"]
    assert "corrosion" in answer.citations[answer.groups[1].citations[0] - 1].quote


def test_a_summary_of_one_article_is_its_opening_read_on_by_tell_me_more(
    seed_assistant: Assistant,
) -> None:
    answer = seed_assistant.ask("Summarize the article")
    assert not answer.abstained and len(answer.citations) == 5
    assert answer.citations[0].quote == (
        "Russia has been accused of trying to fabricate a false reason to invade Ukraine."
    )
    starts = [c.start for c in answer.citations]
    assert starts == sorted(starts)
    history = [
        {"role": "user", "content": "What is this article about?"},
        {"role": "assistant", "content": answer.text},
    ]
    more = seed_assistant.ask("Tell me more", history=history)
    assert more.citations and more.citations[0].start > starts[-1]
    # Streamed (the page), the same answer.
    *_, streamed = seed_assistant.chain.stream({"question": "Summarize the article"})
    assert [c.quote for c in streamed.citations] == [c.quote for c in answer.citations]


def test_a_summary_of_many_articles_is_their_stories(news: Assistant) -> None:
    answer = news.ask("What are the articles about?")
    assert answer.layout == "timeline" and len(answer.citations) == 8
    assert len({c.article_id for c in answer.citations}) == 8
    assert answer.period_note.startswith("Of 27 stories, the 8 that")


def test_an_articles_details_are_its_outlet_and_day(
    seed_assistant: Assistant, news: Assistant
) -> None:
    answer = seed_assistant.ask("When was the article published?")
    assert answer.text == (
        "euronews published “NATO accuses Russia of trying to “pretext” to invade Ukraine” on "
        "2022-02-17 [1]."
    )
    assert answer.citations[0].quote.startswith("Russia has been accused of trying")
    # Several articles: which one? Named by its subject, the closest are found.
    assert news.ask("When was the article published?").needs_clarification
    found = news.ask("Which outlet published the story about the weekend ferries?")
    assert found.text.startswith("The closest matching articles: Metro Ledger published “Weekend")


def test_a_question_about_how_a_story_developed_gets_a_timeline(news: Assistant) -> None:
    answer = news.ask(
        "How did the Kessler Bridge story develop from the closure to the repair cost and "
        "the reopening?"
    )
    assert answer.layout == "timeline", answer.text
    days = [group.published_at for group in answer.groups]
    assert days == sorted(days) and len(days) >= 2
    for group in answer.groups:
        assert all(
            answer.citations[n - 1].published_at == group.published_at for n in group.citations
        )
    assert answer.to_dict()["layout"] == "timeline"


def test_streaming_ends_with_the_same_layout(news: Assistant) -> None:
    question = "How did Harbor Daily and Metro Ledger report the Kessler Bridge repairs?"
    final = list(news.chain.stream({"question": question}))[-1]
    assert final.complete and final.layout == "by_outlet"
    assert [g.label for g in final.groups] == ["Harbor Daily", "Metro Ledger"]


def test_the_latest_report_answers_from_the_latest_article(news: Assistant) -> None:
    answer = news.ask("What did the latest report say about the Kessler Bridge?")
    assert answer.citations, answer.text
    assert {c.published_at for c in answer.citations} == {"2023-11-28"}
    first = news.ask("What did the first report say about the Kessler Bridge?")
    assert {c.published_at for c in first.citations} == {"2023-10-02"}
    # Three reports on the ferry; the latest says the weekend crossings were approved.
    latest = news.ask("What's the latest on the ferry service?")
    assert {c.published_at for c in latest.citations} == {"2023-10-25"}, latest.text
    # Asked in a conversation about the ferry, "What's the latest?" asks the same.
    history = [
        {"role": "user", "content": "What did Metro Ledger say about the ferry service?"},
        {"role": "assistant", "content": "The ferry service added three evening crossings [1]."},
    ]
    follow_up = news.ask("What's the latest?", history=history)
    assert follow_up.standalone_question == "What's the latest on the ferry service?"
    assert {c.published_at for c in follow_up.citations} == {"2023-10-25"}, follow_up.text
    # With nothing before it, there is nothing to look for yet.
    alone = news.ask("What's the latest?")
    assert alone.needs_clarification and alone.citations == [], alone.text


def test_a_weekday_in_a_quote_is_read_against_its_report(news: Assistant) -> None:
    # Harbor Daily of Monday 2 October 2023: "closed to traffic on Monday".
    answer = news.ask("When was the Kessler Bridge closed?")
    closing = [c for c in answer.citations if "closed to traffic" in c.quote]
    assert closing, answer.text
    assert closing[0].days == (("Monday", "2023-10-02"),)
    shown = json.loads(json.dumps(answer.to_dict()))  # as `assistant ask --json` prints it
    assert shown["citations"][answer.citations.index(closing[0])]["days"] == [
        ["Monday", "2023-10-02"]
    ]


def test_how_many_articles_mention_something_is_counted_each_cited_where_it_says_it(
    news: Assistant,
) -> None:
    answer = news.ask("How many articles mention the Kessler Bridge?")
    assert answer.text.startswith(
        "3 articles from 2 outlets mention “Kessler Bridge”: Harbor Daily 2, Metro Ledger 1. "
    )
    assert answer.layout == "timeline" and not answer.abstained
    assert len(answer.citations) == 3
    assert all("Kessler Bridge" in c.quote for c in answer.citations)
    # The outlet the question names narrows the count; the page streams the same answer.
    question = "How many Metro Ledger articles mention Ravi Patel?"
    narrowed = news.ask(question)
    assert narrowed.text.startswith(
        "2 articles from 1 outlet mention “Ravi Patel”: Metro Ledger 2."
    )
    assert list(news.chain.stream({"question": question}))[-1].text == narrowed.text
    everyone = "How many articles mention Ravi Patel?"
    said = _said(everyone, news.ask(everyone))
    lower = news.ask("Which of them are from metro ledger?", history=said)
    assert lower.text.startswith("2 articles from 1 outlet mention “Ravi Patel”: Metro Ledger 2.")
    # The first and the last article that mention it.
    first = news.ask("When was the Kessler Bridge first mentioned?")
    assert first.text.startswith(
        "The earliest of the 3 articles that mention “Kessler Bridge” is Harbor Daily's "
        "“Kessler Bridge closes for repairs” of 2023-10-02: The Kessler Bridge was closed"
    )
    last = news.ask("Which outlet last mentioned the Kessler Bridge?")
    assert [c.published_at for c in last.citations] == ["2023-11-28"]
    # An outlet the library lacks is said to be missing, not counted as all of them.
    elsewhere = news.ask("How many Reuters articles mention the Kessler Bridge?")
    assert elsewhere.abstained and elsewhere.outlets_not_in_library == ["Reuters"]
    placed = news.ask("How many articles mention Ravi Patel in Metro Ledger?")
    assert placed.text.startswith("2 articles from 1 outlet mention “Ravi Patel”: Metro Ledger 2.")
    outlets = news.ask("Which outlets mentioned the ferry service?")
    assert outlets.text.startswith("2 outlets mention “ferry service”, in 3 articles")
    nowhere = news.ask("How many articles mention the harbour tunnel?")
    assert nowhere.abstained and "harbour tunnel" in nowhere.text
    # "Tell me more" quotes the earlier mentions, one list at a time, until all were.
    one_at_a_time = news.derive(digest_stories=1)
    history: list[dict[str, str]] = []
    seen: list[str] = []
    for question in ["How many articles mention the Kessler Bridge?"] + ["Tell me more"] * 3:
        more = one_at_a_time.ask(question, history=history)
        seen += [c.published_at or "" for c in more.citations]
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": more.text},
        ]
    assert seen == ["2023-11-28", "2023-10-20", "2023-10-02"]
    assert more.abstained and more.text.startswith("The indexed articles say nothing more")


def test_a_timeline_of_a_story_quotes_each_of_its_reports_in_date_order(news: Assistant) -> None:
    question = "Give me a timeline of the Kessler Bridge repairs"
    answer = news.ask(question)
    assert answer.layout == "timeline" and not answer.abstained
    days = [c.published_at for c in answer.citations]
    assert days == sorted(days) and {"2023-10-02", "2023-10-20", "2023-11-28"} <= set(days)
    # One sentence from each report: the story's course, not the best few lines of one day.
    assert len({c.article_id for c in answer.citations}) == len(answer.citations)
    assert all("orchard" not in c.title.lower() for c in answer.citations)
    assert list(news.chain.stream({"question": question}))[-1].text == answer.text


def test_who_is_quoted_most_on_a_subject_is_tallied_with_each_speakers_words(
    news: Assistant,
) -> None:
    answer = news.ask("Who is quoted most about the Kessler Bridge?")
    assert answer.layout == "by_speaker" and not answer.abstained
    assert answer.text.startswith("In the 3 articles that mention “Kessler Bridge”")
    assert [g.label for g in answer.groups] == ["Dana Whitfield", "Ravi Patel"]
    # Each column quotes its own speaker: the chip and the column agree.
    for group in answer.groups:
        assert all(answer.citations[n - 1].speaker == group.label for n in group.citations)
    # An outlet named after the subject is where to count, not part of what.
    placed = news.ask("Who is quoted most about the Kessler Bridge in Metro Ledger?")
    assert placed.text.startswith("In the 1 article that mentions “Kessler Bridge”, 1 speaker is")
    assert [g.label for g in placed.groups] == ["Ravi Patel"]


def _said(question: str, answer: Answer) -> list[dict[str, str]]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
