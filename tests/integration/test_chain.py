from __future__ import annotations

import json

import pytest
from langchain_core.runnables import Runnable

from assistant.api import Assistant
from assistant.errors import QuestionError

HISTORY = [
    {"role": "user", "content": "What did Stoltenberg say about troop withdrawal?"},
    {
        "role": "assistant",
        "content": "Stoltenberg said moving a tank does not prove a withdrawal [1].",
    },
]


def test_chain_is_a_runnable_with_invoke_stream_batch(seed_assistant: Assistant) -> None:
    chain = seed_assistant.chain
    assert isinstance(chain, Runnable)
    question = {"question": "How many troops has Moscow stationed near Ukraine?", "history": []}
    answer = chain.invoke(question)
    assert "150,000" in answer.citations[0].quote
    parts = list(chain.stream(question))
    assert parts[-1].complete and parts[-1].text == answer.text
    assert all(not p.complete for p in parts[:-1])
    assert all(answer.text.startswith(p.text) for p in parts)
    batch = chain.batch([question, {"question": "What did Olaf Scholz say about Nord Stream 2?"}])
    assert not batch[0].abstained and batch[1].abstained


def test_follow_up_is_answered_about_the_previous_topic(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask(
        "What did the British defence secretary say about it?", history=HISTORY
    )
    assert answer.standalone_question.endswith("say about troop withdrawal?")
    assert any("Ben Wallace" in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "message"), [("", "empty"), ("   ", "empty"), ("x" * 50_000, "50,000 characters")]
)
def test_bad_questions_are_clear_errors(
    seed_assistant: Assistant, question: str, message: str
) -> None:
    with pytest.raises(QuestionError, match=message):
        seed_assistant.ask(question)


def test_answer_serialises_to_json(seed_assistant: Assistant) -> None:
    data = json.loads(
        json.dumps(seed_assistant.ask("Who called the reports disturbing?").to_dict())
    )
    assert set(data) >= {"text", "citations", "abstained", "timings", "question"}
    assert {"quote", "start", "end", "title", "source", "published_at"} <= set(data["citations"][0])
    assert data["timings"]["retrieve_ms"] > 0


def test_empty_index_says_so(fresh_assistant: Assistant) -> None:
    answer = fresh_assistant.ask("Anything?")
    assert answer.abstained and "No articles are indexed" in answer.text


def test_a_follow_up_naming_a_new_person_is_answered_about_that_person(
    seed_assistant: Assistant,
) -> None:
    answer = seed_assistant.ask("And what did Truss say?", history=HISTORY)
    assert answer.standalone_question == "What did Truss say?"
    assert answer.question == "And what did Truss say?"
    assert "Liz Truss said" in answer.citations[0].quote
    assert all("Heappey" not in c.quote for c in answer.citations)


AUSTIN = [
    {"role": "user", "content": "What did Lloyd Austin call disturbing?"},
    {
        "role": "assistant",
        "content": "He called “disturbing” the reports of mutual accusations of bombings by "
        "Ukrainian forces and Russian-backed separatists [1].",
    },
]


@pytest.mark.parametrize("streamed", [False, True])
def test_what_else_quotes_something_the_previous_answer_did_not_say(
    seed_assistant: Assistant, streamed: bool
) -> None:
    question = "What else did he say about them?"
    if streamed:
        *_, answer = seed_assistant.stream(question, history=AUSTIN)
    else:
        answer = seed_assistant.ask(question, history=AUSTIN)
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("Austin said Washington and its allies")
    assert all("disturbing" not in c.quote for c in answer.citations)
    # Once both of his statements were given, nothing more is: said as such.
    both = [
        *AUSTIN,
        {"role": "user", "content": question},
        {"role": "assistant", "content": answer.text},
    ]
    nothing = seed_assistant.ask("Anything else?", history=both)
    assert nothing.abstained and nothing.citations == []
    assert "nothing more" in nothing.text
    # Asked without "else", the sentence the previous answer gave is the answer again.
    again = seed_assistant.ask("What did he call disturbing?", history=AUSTIN)
    assert "“disturbing” reports" in again.citations[0].quote


def test_a_question_that_only_points_back_asks_who_is_meant(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("What did he say about it?")
    assert answer.abstained and answer.needs_clarification
    assert answer.citations == [] and answer.related == [] and answer.passages == []
    assert "“he”" in answer.text and "“it”" in answer.text
    assert answer.to_dict()["needs_clarification"] is True
    # Streaming gives the same single answer.
    parts = list(seed_assistant.stream("What did he say about it?"))
    assert len(parts) == 1 and parts[0].text == answer.text
    # The reply names the person, and the question is answered about them.
    history = [
        {"role": "user", "content": "What did he say about troop withdrawal?"},
        {"role": "assistant", "content": answer.text},
    ]
    reply = seed_assistant.ask("Stoltenberg", history=history)
    assert reply.standalone_question == "What did Stoltenberg say about troop withdrawal?"
    assert not reply.abstained and not reply.needs_clarification
    assert reply.citations[0].quote.startswith("Stoltenberg pointed out")


def test_a_question_word_alone_asks_for_a_subject_or_takes_the_previous_one(
    seed_assistant: Assistant,
) -> None:
    answer = seed_assistant.ask("Why?")
    assert answer.abstained and answer.needs_clarification and answer.passages == []
    assert answer.text.startswith("What would you like to know?")
    history = [
        {"role": "user", "content": "Did Russia withdraw troops?"},
        {"role": "assistant", "content": "Russia announced on Tuesday that … [1]."},
    ]
    again = seed_assistant.ask("Why?", history=history)
    assert again.standalone_question == "Why did Russia withdraw troops?"
    assert not again.abstained and again.citations, again.text


@pytest.mark.parametrize("typed", ["Stoltenbreg", "Stoltenburg"])
def test_a_misspelt_name_is_searched_as_the_articles_spell_it(
    seed_assistant: Assistant, typed: str
) -> None:
    answer = seed_assistant.ask(f"What did {typed} say about troop withdrawal?")
    assert not answer.abstained
    assert answer.standalone_question == "What did Stoltenberg say about troop withdrawal?"
    assert answer.corrections == {typed: "Stoltenberg"}
    assert answer.correction_note == f"Showing results for Stoltenberg (you typed {typed})."
    assert answer.citations[0].quote.startswith("Stoltenberg pointed out")
    assert answer.to_dict()["corrections"] == {typed: "Stoltenberg"}


def test_an_unknown_name_is_not_corrected_into_another(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("What did Olaf Scholz say about Nord Stream 2?")
    assert answer.abstained and answer.corrections == {} and answer.correction_note == ""
    assert answer.standalone_question == "What did Olaf Scholz say about Nord Stream 2?"
