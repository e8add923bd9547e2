"""Answers chosen by meaning: the cross-encoder picks the sentence that answers, each part of a
question gets its own, and abstention does not move when unrelated articles are added."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.answer.reranked import candidates, question_parts, reranked_answer
from assistant.api import Assistant
from assistant.index.lexical import LexicalIndex
from assistant.models.cross_encoder import shared_cross_encoder
from assistant.schema import Answer, Passage
from assistant.settings import Settings

LAGOON = (
    "Port Kellen's town council voted 9 to 4 on Monday to approve the tidal lagoon project in "
    "the harbour, after a debate that lasted until midnight. "
    "The scheme has been discussed for more than a decade. "
    "Once complete, the lagoon will generate enough electricity to power 61,000 homes, its "
    "developer said. "
    "Construction will begin in March 2025 and take four years. "
    "The fishermen's association objected to the plan, saying the walls would block the "
    "channel used by its boats. "
    "It said it would appeal the decision."
)
UNRELATED_TOPICS = [
    "orchard harvests",
    "violin makers",
    "glacier tours",
    "lantern festivals",
    "comet sightings",
    "meadow restoration",
    "bakery openings",
    "chess clubs",
    "ferry timetables",
    "kite flying",
    "bee keeping",
    "pottery classes",
    "cycling lanes",
    "library hours",
    "choir concerts",
    "marathon routes",
    "sailing regattas",
    "tea tastings",
    "bird counts",
    "quilt shows",
]


def write_lagoon(folder: Path, unrelated: int = 0) -> Path:
    records = [
        {
            "title": "Port Kellen approves tidal lagoon",
            "source": "Harbour Herald",
            "published_at": "2023-10-02",
            "url": "http://herald/lagoon",
            "body": LAGOON,
        }
    ]
    for number, topic in enumerate(UNRELATED_TOPICS[:unrelated]):
        records.append(
            {
                "title": f"A week of {topic}",
                "source": "Filler Gazette",
                "published_at": "2023-10-03",
                "url": f"http://filler/{number}",
                "body": f"Residents gathered for {topic} on Saturday. Organisers said the "
                f"{topic} drew a larger crowd than last year. More events are planned.",
            }
        )
    path = folder / "news.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records))
    return path


def test_question_parts() -> None:
    assert question_parts("When will construction begin and who objected?") == [
        "When will construction begin",
        "who objected?",
    ]
    assert question_parts(
        "What assurances has the Kremlin demanded about Ukraine and Georgia?"
    ) == ["What assurances has the Kremlin demanded about Ukraine and Georgia?"]
    assert question_parts("What did Liz Truss and Ben Wallace each say about the troops?") == [
        "What did Liz Truss say about the troops?",
        "What did Ben Wallace say about the troops?",
    ]
    assert question_parts(
        "What did Russia announce on Tuesday about withdrawing troops, and how did NATO respond?"
    ) == ["What did Russia announce on Tuesday about withdrawing troops", "how did NATO respond?"]


def test_a_sentence_that_points_back_is_also_read_with_the_one_before() -> None:
    text = "The fishermen objected to the plan. It said it would appeal."
    passage = Passage("a:h:0", "a", "t", "s", "u", None, text, 0, len(text), 1.0, rank=1)
    found = candidates([passage], {"a": text})
    assert [c.text for c in found] == [
        "The fishermen objected to the plan.",
        "It said it would appeal.",
        text,
    ]
    assert all(text[c.start : c.end] == c.text for c in found)


def test_a_sentence_worded_as_one_already_found_is_read_once() -> None:
    stock = "Sam Bankman-Fried, the founder of FTX, is on trial for fraud."
    first = f"{stock} The jury heard from Caroline Ellison on Tuesday."
    second = f"The defence rested on Thursday.  {stock.replace(' is ', '  is ')}"
    found = candidates(
        [
            Passage("a:h:0", "a", "t", "s", "u", None, first, 0, len(first), 1.0, rank=1),
            Passage("b:h:0", "b", "t", "s", "u", None, second, 0, len(second), 0.5, rank=2),
        ],
        {"a": first, "b": second},
    )
    assert [(c.passage.article_id, c.text) for c in found] == [
        ("a", stock),
        ("a", "The jury heard from Caroline Ellison on Tuesday."),
        ("b", "The defence rested on Thursday."),
    ]


def test_a_question_in_the_text_is_no_candidate() -> None:
    # An interviewer's line asks; it reports nothing an answer could quote as a fact.
    text = (
        "Google will appeal this, the company told reporters. "
        "Will Epic rely on this ruling in the meantime? "
        "“Is Epic using the courts as a marketing tool?” "
        "Sweeney said Epic would not wait."
    )
    passage = Passage("a:h:0", "a", "t", "s", "u", None, text, 0, len(text), 1.0, rank=1)
    assert [c.text for c in candidates([passage], {"a": text})] == [
        "Google will appeal this, the company told reporters.",
        "Sweeney said Epic would not wait.",
    ]


def test_a_line_that_is_no_sentence_is_no_candidate() -> None:
    # A headline, a sub-heading and a table row are left out; a lead-in ending in a colon stays.
    text = (
        "TIMELINE OF THE TAKEOVER SAGA\n"
        "The club was put up for sale in November 2022. Bids closed in February.\n"
        "Current favorite: Tyreek Hill\n"
        "Here are the key dates:\n"
        "Oct. 3 Galatasaray 2-2 FC Copenhagen \n"
        "“We will appeal,” the owner said!\n"
        "俱乐部于2022年11月挂牌出售。"
    )
    passage = Passage("a:h:0", "a", "t", "s", "u", None, text, 0, len(text), 1.0, rank=1)
    assert [c.text for c in candidates([passage], {"a": text})] == [
        "The club was put up for sale in November 2022.",
        "Bids closed in February.",
        "Here are the key dates:",
        "“We will appeal,” the owner said!",
        "俱乐部于2022年11月挂牌出售。",
    ]


def test_a_sentence_that_names_what_came_before_is_read_with_it() -> None:
    text = (
        "Russia said it was pulling troops back. But NATO called this announcement false. "
        "However, they gave no figures. The weather was mild."
    )
    passage = Passage("a:h:0", "a", "t", "s", "u", None, text, 0, len(text), 1.0, rank=1)
    pairs = [c.text for c in candidates([passage], {"a": text}) if c.text.count(".") == 2]
    assert pairs == [
        "Russia said it was pulling troops back. But NATO called this announcement false.",
        "But NATO called this announcement false. However, they gave no figures.",
    ]


def test_a_part_answered_only_by_someone_else_is_answered_from_all_passages(
    seed_assistant: Assistant,
) -> None:
    # "What did Russia announce" is read from Russia's statements first; NATO's answer to it is
    # a sentence ("But NATO called this announcement false.") that needs the one before.
    answer = seed_assistant.ask(
        "What did Russia announce on Tuesday about withdrawing troops, and how did NATO respond?"
    )
    assert not answer.abstained
    assert answer.unanswered_parts == []
    assert "don't say" not in answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "started withdrawing some troops" in quotes
    assert "But NATO called this announcement false." in quotes
    # Streamed, the last answer is the same one.
    *_, final = seed_assistant.stream(answer.question)
    assert final.complete and not final.unanswered_parts
    assert [c.quote for c in final.citations] == [c.quote for c in answer.citations]


def test_the_sentence_with_the_number_beats_the_lead_that_names_the_subject(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    fresh_assistant.ingest([write_lagoon(tmp_path)])
    answer = fresh_assistant.ask("How many homes will the Port Kellen lagoon power?")
    assert not answer.abstained
    assert "61,000 homes" in answer.citations[0].quote


def test_a_paraphrased_question_finds_its_sentence(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    fresh_assistant.ingest([write_lagoon(tmp_path)])
    answer = fresh_assistant.ask("Who was against the harbour scheme?")
    assert not answer.abstained
    assert "fishermen's association objected" in answer.citations[0].quote


def test_each_part_of_a_question_gets_its_own_sentence(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    fresh_assistant.ingest([write_lagoon(tmp_path)])
    answer = fresh_assistant.ask("When will construction begin and who objected?")
    quotes = " ".join(c.quote for c in answer.citations)
    assert "Construction will begin in March 2025" in quotes
    assert "fishermen's association objected" in quotes
    assert answer.unanswered_parts == []


def test_a_part_no_sentence_answers_is_named(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask(
        "What did Stoltenberg say about troop withdrawal, and how many warships were sunk?"
    )
    assert not answer.abstained
    assert "Stoltenberg" in answer.citations[0].quote
    assert answer.unanswered_parts == ["how many warships were sunk?"]
    assert answer.text.endswith("The articles don't say: how many warships were sunk?")


def test_abstention_is_the_same_with_twenty_unrelated_articles(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    questions = [
        "How many homes will the Port Kellen lagoon power?",
        "When will construction begin and who objected?",
        "How much will the Port Kellen lagoon cost?",
        "What is the capital of Australia?",
    ]
    fresh_assistant.ingest([write_lagoon(tmp_path)])
    alone = [fresh_assistant.ask(q).abstained for q in questions]
    fresh_assistant.ingest([write_lagoon(tmp_path, unrelated=20)])
    assert len(fresh_assistant.articles()) == 21
    crowded = [fresh_assistant.ask(q).abstained for q in questions]
    assert alone == crowded
    assert alone[:2] == [False, False] and alone[3]


def test_seed_abstentions_do_not_move_with_unrelated_articles(
    fresh_assistant: Assistant, tmp_path: Path, seed_copy: Path
) -> None:
    questions = [
        "What is the date of the Russian military exercises ending, and how many warships?",
        "What did Liz Truss and Ben Wallace each say about the troops?",
        "What did Olaf Scholz say about Nord Stream 2?",
        "How many civilians died in Kharkiv?",
    ]
    fresh_assistant.ingest([seed_copy])
    alone = [fresh_assistant.ask(q) for q in questions]
    unrelated = tmp_path / "unrelated"
    unrelated.mkdir()
    fresh_assistant.ingest([seed_copy, write_lagoon(unrelated, unrelated=20)])
    crowded = [fresh_assistant.ask(q) for q in questions]
    assert [a.abstained for a in alone] == [a.abstained for a in crowded]
    assert [a.abstained for a in alone] == [False, False, True, True]
    exercises = " ".join(c.quote for c in alone[0].citations)
    assert "Jan. 20" in exercises and "warships" in exercises
    both = " ".join(c.quote for c in alone[1].citations)
    assert "Liz Truss" in both and "Ben Wallace" in both


def test_a_paraphrase_sharing_almost_no_words_passes_the_word_coverage_rule(
    seed_assistant: Assistant,
) -> None:
    # "Kyiv's army" / "shoot back" / "rebels" for "Ukraine" / "return fire" / "separatists":
    # almost no word in common, the meaning close (embedding cosine) and the model's score high.
    answer = seed_assistant.ask("Did Kyiv's army shoot back at the rebels?")
    assert not answer.abstained
    assert "did not return fire" in answer.citations[0].quote
    # With the meaning not consulted, the same question is declined for want of shared words.
    words_only = seed_assistant.derive(paraphrase_similarity=2.0)
    assert words_only.ask("Did Kyiv's army shoot back at the rebels?").abstained


def test_a_sentence_giving_another_number_than_the_question_names_is_no_answer(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    fresh_assistant.ingest([write_lagoon(tmp_path)])
    # The lagoon powers 61,000 homes; the council voted 9 to 4 in 2023, building starts in 2025.
    right = fresh_assistant.ask("How many homes will the lagoon power once complete?")
    assert not right.abstained and "61,000 homes" in right.citations[0].quote
    for question in (
        "When will construction of the lagoon begin in 2031?",
        "How did the council vote 7 to 6 on the lagoon?",
    ):
        answer = fresh_assistant.ask(question)
        assert answer.abstained, (question, answer.text)
    # The number the question names is there: answered.
    answer = fresh_assistant.ask("When will construction of the lagoon begin in 2025?")
    assert not answer.abstained and "March 2025" in answer.citations[0].quote
    # A yes/no question asks whether its number is right: the other number is the answer.
    answer = fresh_assistant.ask("Will the lagoon power 50,000 homes?")
    assert not answer.abstained and "61,000 homes" in answer.citations[0].quote


def test_a_sentence_written_before_the_event_does_not_say_how_it_turned_out(
    seed_assistant: Assistant,
) -> None:
    # The article was written before the OSCE assessment and the NATO meeting: it says they are
    # to come, and the model scores those sentences high for questions about their outcome.
    for question in (
        "What was the outcome of the OSCE mission's assessment?",
        "What did NATO decide at its meeting on Thursday?",
    ):
        answer = seed_assistant.ask(question)
        assert answer.abstained, (question, answer.text)
        assert answer.text.startswith("The indexed articles don't say how this turned out")
        # The report written before it is listed first, for the reader to check.
        assert answer.related and "Thursday" in answer.related[0].text
    # Asked about what is to come, the same sentences answer.
    answer = seed_assistant.ask("When is the OSCE mission expected to present its assessment?")
    assert not answer.abstained and "later Thursday" in answer.citations[0].quote
    answer = seed_assistant.ask("What did Lavrov say Moscow would send to NATO?")
    assert not answer.abstained and "official response" in answer.citations[0].quote
    # What Lavrov said is that the response would come; what the response says is not known.
    answer = seed_assistant.ask("What did Lavrov say about the response to NATO?")
    assert not answer.abstained and "official response" in answer.citations[0].quote
    assert seed_assistant.ask("What did Lavrov's response to NATO say?").abstained
    # What Wallace said before the meeting is what the sentence quotes.
    answer = seed_assistant.ask("What did Ben Wallace say ahead of the NATO meeting?")
    assert not answer.abstained and "increase in troops" in answer.citations[0].quote
    # Without the rule, the outcome question quotes the sentence about the plan.
    without = seed_assistant.derive(decline_pending_events=False)
    assert not without.ask("What was the outcome of the OSCE mission's assessment?").abstained


def test_a_sentence_counting_something_else_does_not_answer_how_many(
    seed_assistant: Assistant,
) -> None:
    # The kindergarten sentence counts civilians: it can't say how many soldiers were hurt.
    answer = seed_assistant.ask("How many Ukrainian troops were hurt when the shells hit?")
    assert answer.abstained, answer.text
    answer = seed_assistant.ask("How many civilians were hurt when the shells hit?")
    assert not answer.abstained and "two civilians" in answer.citations[0].quote
    without = seed_assistant.derive(decline_other_counts=False)
    assert not without.ask("How many Ukrainian troops were hurt when the shells hit?").abstained


def answered_from(
    texts: dict[str, str], question: str, settings: Settings | None = None
) -> Answer:
    """`question` answered by the cross-encoder from `texts` (article id -> text), each article
    one passage, ranked in the order given."""
    passages = [
        Passage(f"{i}:h:0", i, "Story", "Desk", "u", None, t, 0, len(t), 1 / n, n)
        for n, (i, t) in enumerate(texts.items(), start=1)
    ]
    lexical = LexicalIndex.build([p.chunk_id for p in passages], list(texts.values()))
    return reranked_answer(
        question,
        passages,
        lexical=lexical,
        article_texts=texts,
        settings=settings or Settings(),
        scorer=shared_cross_encoder(),
    )


def test_a_stock_sentence_repeated_in_another_article_is_quoted_once() -> None:
    # A deals series repeats its line about the earbuds; in the second article it is read
    # with the sentence after it, which points back. Quoted from both, it would be said twice.
    stock = (
        "When Apple announced the iPhone 15, it also revealed the second generation AirPods "
        "Pro with a USB-C connector."
    )
    texts = {
        "a": f"{stock} The iPad Air is down to $499 at Best Buy.",
        "b": f"{stock} That version has dropped to $190 at Amazon.",
    }
    answer = answered_from(texts, "What did Apple reveal alongside the iPhone 15?")
    assert sum("second generation AirPods" in c.quote for c in answer.citations) == 1, answer.text


def test_a_sentence_worded_inside_another_but_for_its_stop_is_quoted_once() -> None:
    # One outlet's short report is word for word the start of another's longer sentence.
    texts = {
        "a": "Dana Kessler has been fired from Harbor Labs. The board met on Friday.",
        "b": (
            "Dana Kessler has been fired from Harbor Labs, Inc., the nonprofit that governs "
            "the lab. Investors were told on Saturday."
        ),
    }
    answer = answered_from(texts, "Was Dana Kessler fired from Harbor Labs?")
    assert sum("has been fired" in c.quote for c in answer.citations) == 1, answer.text


def test_a_list_entry_is_quoted_with_the_heading_that_names_its_subject() -> None:
    # A layoffs tracker: each entry's sentence opens with its verb under the company's name.
    text = (
        "A list of this year's tech layoffs\n\n"
        "Qualtrics\n\nAnnounced on October 4 that 780 roles are being eliminated.\n\n"
        "Nokia\n\nAnnounced October 19 that it will cut up to 14,000 jobs. These cuts follow "
        "a dip in sales.\n\n"
        "Hopper\n\nIs reducing its full-time staff by 30%, the company said.\n"
    )
    answer = answered_from({"a": text}, "How many jobs did Qualtrics cut?")
    assert answer.citations, answer.text
    assert answer.citations[0].quote.startswith("Qualtrics\n\nAnnounced on October 4")
    # Every quote of an entry says whose it is, read with the sentence after it too.
    for question in ("Which companies announced layoffs?", "What did Nokia announce?"):
        for citation in answered_from({"a": text}, question).citations:
            assert not citation.quote.startswith(("Announced", "Is reducing")), citation.quote


def test_a_why_question_gets_the_reason_that_follows_the_claim() -> None:
    text = (
        "The council wants lorries kept off the Kessler Bridge until the repairs are done. "
        "It argues that their weight widens the cracks in the deck. Buses may still cross."
    )
    why = answered_from(
        {"a": text}, "Why does the council want lorries kept off the Kessler Bridge?"
    )
    assert why.citations and "widens the cracks" in why.citations[0].quote, why.text
    # Asked what it wants, the claim alone answers.
    what = answered_from(
        {"a": text}, "What does the council want done about lorries on the Kessler Bridge?"
    )
    assert what.citations and "widens the cracks" not in what.citations[0].quote, what.text


def test_what_someone_said_on_another_topic_does_not_answer_what_they_said_about_this() -> None:
    texts = {
        "a": "In reply to the journalist, Elon Musk avoided criticising the EU's approach but "
        "invited yet more relativism, writing: “Let the public hear exactly what this "
        "disinformation consists of and decide for themselves.” Regulators in Brussels said "
        "the platform had 24 hours to reply.",
        "b": "Advertisers have cut their spending on X by half since last year, according to the "
        "research firm Sensor Tower. Several large brands paused their campaigns in November.",
    }
    # His name lifts the score of his words on the EU over the bar, though they say nothing
    # about advertisers.
    question = "What did Elon Musk say about advertisers?"
    declined = answered_from(texts, question)
    assert declined.abstained
    assert declined.text.startswith("None of the passages found quotes Elon Musk on advertisers.")
    without = Settings(decline_off_topic_statements=False)
    assert not answered_from(texts, question, without).abstained
    # On the topic, in its words or in others the model is sure of, his words answer.
    for asked in (
        "What did Elon Musk say about disinformation?",
        "What did Musk say about the EU?",
    ):
        answer = answered_from(texts, asked)
        assert not answer.abstained and "Let the public hear" in answer.citations[0].quote
