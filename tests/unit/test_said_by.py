""""What did X say" questions: the speaker they ask about, and which statements are X's."""

from __future__ import annotations

from assistant.answer.said_by import is_said_by, speaker_asked_about, statements_answer
from assistant.schema import Passage
from assistant.text.attribution import extract_statements
from tests.helpers import CORPUS


def test_the_speaker_of_a_what_did_x_say_question() -> None:
    asked = speaker_asked_about("What did Putin say about talks on these issues?")
    assert asked is not None and asked.speaker == "Putin"
    assert asked.about == "talks on these issues"
    other = speaker_asked_about("What did Lavrov say the West should do?")
    assert other is not None and other.about == "" and other.topic
    assert speaker_asked_about("How did the Kremlin respond to the sanctions?").speaker == (  # type: ignore[union-attr]
        "the Kremlin"
    )
    assert speaker_asked_about("What was NATO's response to the announcement?").speaker == "NATO"  # type: ignore[union-attr]
    assert speaker_asked_about("What did they say?") is None
    assert speaker_asked_about("How many troops has Moscow stationed near Ukraine?") is None


def test_statements_are_matched_to_the_speaker_by_name() -> None:
    text = next(CORPUS.glob("*.txt")).read_text(encoding="utf-8")
    statements = extract_statements(text)
    putin = speaker_asked_about("What did Putin say?")
    kremlin = speaker_asked_about("What did the Kremlin say about an invasion?")
    assert putin is not None and kremlin is not None
    putins = [s for s in statements if is_said_by(s, putin)]
    assert putins and all(s.canonical == "Vladimir Putin" for s in putins)
    kremlins = [text[s.start : s.end] for s in statements if is_said_by(s, kremlin)]
    assert len(kremlins) == 2 and kremlins[0] == "any intention to invade"


def test_what_else_did_x_say_asks_about_nothing_in_particular() -> None:
    asked = speaker_asked_about("What else did Caroline Ellison say?")
    assert asked is not None and asked.speaker == "Caroline Ellison" and not asked.topic
    about = speaker_asked_about("What did Putin say about the troop withdrawal?")
    assert about is not None and about.topic and not about.topic & about.words


def test_a_statement_two_reports_quote_is_listed_once() -> None:
    post = "i loved my time at openai. it was transformative for me personally."
    texts = {
        "a": f"In a post on X, Altman wrote that he loved his time at OpenAI. {post}",
        "b": f"Altman posted on Friday. {post}",
    }
    passages = [
        Passage(f"{i}:h:0#s", i, "T", "Desk", "u", None, post, t.index(post), len(t), 1.0, rank=n)
        for n, (i, t) in enumerate(texts.items(), start=1)
    ]
    answer = statements_answer(
        "What did Altman say?",
        passages,
        article_texts=lambda ids: {i: texts[i] for i in ids},
        count=3,
    )
    assert answer is not None and [c.quote for c in answer.citations] == [post]
