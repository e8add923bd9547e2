from __future__ import annotations

import pytest

from assistant.answer.already_said import SaidBefore, already_said
from assistant.answer.condense import (
    asks_for_news_of_nothing,
    asks_if_true,
    condense_question,
    unresolved_reference,
)

FIRST = [
    {"role": "user", "content": "What did Stoltenberg say about troop withdrawal?"},
    {
        "role": "assistant",
        "content": "He said a tank on a train does not prove a troop withdrawal [1].",
    },
]


def test_it_takes_the_previous_topic() -> None:
    assert (
        condense_question("What did the British defence secretary say about it?", FIRST)
        == "What did the British defence secretary say about troop withdrawal?"
    )


def test_he_takes_the_previous_person() -> None:
    assert condense_question("What did he say about Russia's capability?", FIRST) == (
        "What did Stoltenberg say about Russia's capability?"
    )


def test_an_elliptical_follow_up_asks_the_previous_question_about_its_subject() -> None:
    expected = "What did the Kremlin say about troop withdrawal?"
    assert condense_question("And the Kremlin?", FIRST) == expected
    assert condense_question("What about Truss?", FIRST) == (
        "What did Truss say about troop withdrawal?"
    )
    assert condense_question("And in Crimea?", FIRST) == (
        "What did Stoltenberg say about troop withdrawal, in Crimea?"
    )


def test_a_follow_up_that_names_a_new_person_keeps_its_own_subject() -> None:
    assert condense_question("And what did Truss say?", FIRST) == "What did Truss say?"
    assert condense_question("And who disputed the separatists' claim?", FIRST) == (
        "Who disputed the separatists' claim?"
    )
    # A pronoun still takes the previous topic; the new person stays the subject.
    assert condense_question("What did Truss say about it?", FIRST) == (
        "What did Truss say about troop withdrawal?"
    )


def test_a_chain_of_follow_ups_keeps_its_thread() -> None:
    history = [
        *FIRST,
        {"role": "user", "content": "What about Truss?"},
        {"role": "assistant", "content": "Truss said such reports ... [1]."},
    ]
    assert condense_question("What did she say about Russia?", history) == (
        "What did Truss say about Russia?"
    )


def test_a_speaker_phrase_is_the_person_a_pronoun_stands_for() -> None:
    history = [
        {"role": "user", "content": "What did the British defence secretary say about it?"},
        {"role": "assistant", "content": "..."},
    ]
    assert condense_question("What else did he say?", history) == (
        "What else did the British defence secretary say?"
    )


def test_a_reply_to_a_clarifying_question_fills_the_pronoun() -> None:
    history = [
        {"role": "user", "content": "What did he say about the troops?"},
        {"role": "assistant", "content": "Who or what do you mean by “he”? ..."},
    ]
    assert condense_question("Stoltenberg", history) == (
        "What did Stoltenberg say about the troops?"
    )


def test_questions_that_only_point_back() -> None:
    assert unresolved_reference("What did he say about it?") == ["he", "it"]
    assert unresolved_reference("What did they agree to?") == ["they"]
    assert unresolved_reference("Why did it happen?") == ["it"]
    assert unresolved_reference("What else did she say about them?") == ["she", "them"]
    # A subject of its own: a name, or a noun that the pronoun refers to inside the question.
    assert unresolved_reference("What did NATO say about it?") == []
    assert unresolved_reference("What did the minister say he would do?") == []
    assert unresolved_reference("How many troops were stationed there?") == []
    assert unresolved_reference("How many troops has Moscow stationed?") == []


def test_standalone_questions_are_left_alone() -> None:
    assert (
        condense_question("How many troops has Moscow stationed?", FIRST)
        == "How many troops has Moscow stationed?"
    )
    assert condense_question("What did he say?", []) == "What did he say?"
    assert condense_question("Thanks", FIRST) == "Thanks"


TRIAL = [
    {"role": "user", "content": "Who is Sam Bankman-Fried?"},
    {"role": "assistant", "content": "The founder of FTX, on trial for fraud [1]."},
]


def test_a_thing_the_last_exchange_spoke_of_keeps_the_story() -> None:
    assert condense_question("When did the trial start?", TRIAL) == (
        "When did the trial start (Sam Bankman-Fried)?"
    )
    # The thread holds through a chain of such questions.
    history = [
        *TRIAL,
        {"role": "user", "content": "When did the trial start?"},
        {"role": "assistant", "content": "The trial kicked off with jury selection [1]."},
    ]
    assert condense_question("Who sat on the jury?", history) == (
        "Who sat on the jury (Sam Bankman-Fried)?"
    )


def test_a_thing_not_spoken_of_or_a_name_of_its_own_starts_a_new_subject() -> None:
    assert condense_question("How many people died in the earthquake?", TRIAL) == (
        "How many people died in the earthquake?"
    )
    assert condense_question("When did the Epic trial start?", TRIAL) == (
        "When did the Epic trial start?"
    )
    separatists = [
        {"role": "user", "content": "What did the separatists in Luhansk claim?"},
        {"role": "assistant", "content": "They said Ukraine shelled their territory [1]."},
    ]
    assert condense_question("And who disputed the separatists' claim?", separatists) == (
        "Who disputed the separatists' claim?"
    )


AUSTIN = [
    {"role": "user", "content": "What did Lloyd Austin call disturbing?"},
    {
        "role": "assistant",
        "content": "He called “disturbing” the reports of mutual accusations of bombings [1].",
    },
]


def test_what_else_asks_about_the_person_not_the_previous_answer_again() -> None:
    # The previous question's words would find the sentence its answer already gave.
    assert condense_question("What else did he say about them?", AUSTIN) == (
        "What else did Lloyd Austin say?"
    )
    assert condense_question("And what else did he say?", AUSTIN) == (
        "What else did Lloyd Austin say?"
    )
    # Only a pronoun is dropped: a topic of its own stays.
    assert condense_question("What else did he say about the sanctions?", AUSTIN) == (
        "What else did Lloyd Austin say about the sanctions?"
    )


@pytest.mark.parametrize(
    "follow_up", ["Anything else?", "What else?", "Tell me more.", "And anything more?", "More"]
)
def test_a_request_for_more_asks_the_previous_question_again(follow_up: str) -> None:
    assert condense_question(follow_up, AUSTIN) == "What did Lloyd Austin call disturbing?"


def test_earlier_answers_are_kept_only_for_a_follow_up_asking_for_more() -> None:
    said = already_said("What else did he say?", AUSTIN)
    assert said == ("He called “disturbing” the reports of mutual accusations of bombings .",)
    assert already_said("What did he say about the sanctions?", AUSTIN) == ()
    assert already_said("What else did he say?", []) == ()
    before = SaidBefore(said)
    # The sentence the answer gave in its own words, and the sentence quoted word for word.
    assert before.repeats(
        "US Secretary of Defense Lloyd Austin, meanwhile, has called “disturbing” reports of "
        "mutual accusations of bombings by Ukrainian forces and Russian-backed separatists."
    )
    assert before.repeats("He called “disturbing” the reports of mutual accusations of bombings.")
    assert not before.repeats(
        "Austin said Washington and its allies “are still putting the details together”."
    )


def test_a_question_about_nothing_in_particular_keeps_the_thread() -> None:
    assert unresolved_reference("When did this happen?") == ["this"]
    assert unresolved_reference("Why does that matter?") == ["that"]
    assert unresolved_reference("Did this report say anything new?") == []
    history = [
        {"role": "user", "content": "What did the British say?"},
        {"role": "assistant", "content": "Truss said such reports were a pretext [1]."},
        {"role": "user", "content": "When did this happen?"},
        {"role": "assistant", "content": "Who or what do you mean by “this”? ..."},
    ]
    # A new question's "it" stands for what the thread asked about, not "this happen".
    assert condense_question("Which outlets reported it?", history) == (
        "Which outlets reported the British?"
    )
    # A bare reply answers the clarifying question.
    assert condense_question("The troop withdrawal?", history) == (
        "When did the troop withdrawal happen?"
    )


def test_a_bare_question_word_asks_the_previous_question_again() -> None:
    def after(previous: str) -> list[dict[str, str]]:
        return [{"role": "user", "content": previous}, {"role": "assistant", "content": "… [1]."}]

    assert condense_question("Why?", after("Did Russia withdraw troops?")) == (
        "Why did Russia withdraw troops?"
    )
    assert condense_question("And when?", after("Did Russia withdraw troops?")) == (
        "When did Russia withdraw troops?"
    )
    assert condense_question("Who?", after("When did NATO meet?")) == "Who did NATO meet?"
    # "Why not?" asks about what did not happen: left as it is.
    assert condense_question("Why not?", after("Did NATO agree?")) == "Why not?"
    assert condense_question("Why?", []) == "Why?"


def test_asking_for_the_latest_asks_about_the_subject_of_the_conversation() -> None:
    history = [
        {"role": "user", "content": "What did the council say about the ferry service?"},
        {"role": "assistant", "content": "… [1]."},
    ]
    assert condense_question("What's the latest?", history) == (
        "What's the latest on the ferry service?"
    )
    assert condense_question("Any updates?", history) == "What's the latest on the ferry service?"
    # Nothing before it: nothing to search for.
    assert condense_question("What's the latest?", []) == "What's the latest?"
    assert asks_for_news_of_nothing("What's the latest?")
    assert not asks_for_news_of_nothing("What's the latest on the ferry service?")


def test_asking_whether_a_claim_is_true() -> None:
    for question in (
        "Is that true?",
        "Is it really true?",
        "Really?",
        "And is that correct?",
        "Can that be confirmed?",
        "Are the reports accurate?",
    ):
        assert asks_if_true(question), question
    for question in ("Is it true that Russia withdrew troops?", "Is the bridge open?"):
        assert not asks_if_true(question), question


def _conversation(*questions: str) -> list[dict[str, str]]:
    return [
        message
        for question in questions
        for message in (
            {"role": "user", "content": question},
            {"role": "assistant", "content": "An answer [1]."},
        )
    ]


def test_a_count_of_mentions_is_asked_again_of_a_new_subject_and_narrowed_to_an_outlet() -> None:
    counted = _conversation("How many articles mention Taylor Swift?")
    assert condense_question("And Travis Kelce?", counted) == (
        "How many articles mention Travis Kelce?"
    )
    assert condense_question("What about the Kansas City Chiefs?", counted) == (
        "How many articles mention the Kansas City Chiefs?"
    )
    assert condense_question("Which of them are from Sporting News?", counted) == (
        "Which articles from Sporting News mention Taylor Swift?"
    )
    assert condense_question("And from Fortune?", counted) == (
        "How many articles from Fortune mention Taylor Swift?"
    )
    # The subject of a count is the person a pronoun stands for, not the outlet.
    narrowed = _conversation("How many Sporting News articles mention Taylor Swift?")
    assert condense_question("What did she say about the Chiefs?", narrowed) == (
        "What did Taylor Swift say about the Chiefs?"
    )


def test_a_pronoun_is_not_the_person_its_own_question_names() -> None:
    history = _conversation("What did Taylor Swift say?", "And Travis Kelce?")
    assert condense_question("What did Travis Kelce say about her?", history) == (
        "What did Travis Kelce say about Taylor Swift?"
    )
    # "her" as an object is the person; before what she owns, her possessive.
    truss = _conversation("What did Liz Truss say?")
    assert condense_question("What did Stoltenberg say about her?", truss) == (
        "What did Stoltenberg say about Liz Truss?"
    )
    assert condense_question("What did she say about her plans?", truss) == (
        "What did Liz Truss say about her plans?"
    )
    # A possessive may be the named person's own.
    stoltenberg = _conversation("What did Stoltenberg say?")
    assert condense_question("What did Stoltenberg say about his army?", stoltenberg) == (
        "What did Stoltenberg say about Stoltenberg's army?"
    )
    # Nobody else was named: the pronoun stays as written.
    alone = _conversation("What did Stoltenberg say?")
    assert condense_question("What did Stoltenberg say about him?", alone) == (
        "What did Stoltenberg say about him?"
    )
