from __future__ import annotations

import json

import pytest
from langchain_core.runnables import Runnable

from assistant.core import Assistant
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
