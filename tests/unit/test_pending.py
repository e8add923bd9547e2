from __future__ import annotations

import pytest

from assistant.answer.pending import answers_too_early, asks_how_it_turned_out, reports_pending

OSCE = (
    "An observation mission from the Organization for Security and Cooperation in Europe (OSCE) "
    "is expected to present its assessment of the situation later Thursday."
)
LAVROV = (
    "Russian Foreign Minister Sergei Lavrov said Moscow would send its official response on "
    "those issues to the United States and NATO later Thursday and make it public."
)
WALLACE = (
    "“We have seen the opposite of some statements. We have seen an increase in troops over the "
    "past 48 hours, up to 7,000,” British Defense Secretary Ben Wallace said ahead of a NATO "
    "meeting on Thursday."
)


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("What did the OSCE observation mission conclude in its assessment?", OSCE),
        # Lavrov said the response would come; it is not quoted.
        ("What did Lavrov's official response to the United States actually say?", LAVROV),
        # What Wallace's quotation says happened is his claim; the sentence's own event, the
        # meeting, lies ahead.
        ("What decisions were taken at the NATO meeting on Thursday?", WALLACE),
        ("What has the council decided about the lagoon?", "The council is due to vote in May."),
        ("Who won the vote?", "The vote is set to take place later this week."),
    ],
)
def test_a_sentence_written_before_the_event_cannot_say_how_it_turned_out(
    question: str, sentence: str
) -> None:
    assert answers_too_early(question, sentence)


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # The question asks about the plan itself.
        ("What did Lavrov say Moscow would do?", LAVROV),
        ("When will the OSCE present its assessment?", OSCE),
        # The sentence reports something done besides what is to come.
        (
            "What did the council decide?",
            "The council voted 9 to 4 to approve the lagoon, which will power 50,000 homes.",
        ),
        (
            "What was announced on Monday?",
            "The company unveiled a phone that will ship in March.",
        ),
        ("How many homes was the lagoon said to power?", "The lagoon will power 61,000 homes."),
        # A yes/no question is no "how did it turn out".
        ("Did the mission present its assessment?", OSCE),
        # What Lavrov said is that the response would come.
        ("What did Lavrov say about Moscow's response?", LAVROV),
        # What he said is what the sentence quotes, said before the meeting.
        ("What did the British defence secretary say about troop withdrawal?", WALLACE),
    ],
)
def test_what_the_rule_leaves_answered(question: str, sentence: str) -> None:
    assert not answers_too_early(question, sentence)


def test_questions_about_how_something_turned_out() -> None:
    assert asks_how_it_turned_out("What decisions were taken at the meeting?")
    assert asks_how_it_turned_out("Who has the party chosen as its leader?")
    assert not asks_how_it_turned_out("What is the lagoon expected to cost?")
    assert not asks_how_it_turned_out("Did the vote pass?")
    assert not asks_how_it_turned_out("What will the lagoon power?")


def test_what_a_sentence_reports_as_to_come() -> None:
    assert reports_pending("Talks are scheduled to resume ahead of the summit.")
    assert reports_pending("The minister said the plan would be published later today.")
    # A number ending in "ed" and a name are no past tense.
    assert reports_pending("Two hundred United Nations staff will arrive on Friday.")
    assert not reports_pending("The talks resumed and will continue on Friday.")
    assert not reports_pending("Troops were withdrawn, the ministry said.")
    assert not reports_pending("The council approved the plan last week.")


def test_a_sentence_split_out_of_a_quotation_reads_its_quoted_words_as_quoted() -> None:
    tail = "We have seen an increase in troops,” Ben Wallace said ahead of a NATO meeting."
    assert reports_pending(tail)
    head = "Ben Wallace said ahead of the meeting: “We have seen an increase."
    assert reports_pending(head)


def test_a_sentence_about_a_plan_reports_no_speech() -> None:
    # "expected" is the look-ahead, not a report of what the mission said.
    assert answers_too_early("What did the OSCE mission say about the shelling?", OSCE)
