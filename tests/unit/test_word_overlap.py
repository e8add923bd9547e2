"""The fast profile's sentence scoring (word overlap, no model)."""

from __future__ import annotations

from assistant.answer.word_overlap import score_sentences
from assistant.index.lexical import LexicalIndex
from assistant.schema import Passage


def test_a_question_in_the_text_is_never_scored_as_an_answer() -> None:
    text = (
        "Will Epic rely on the ruling in the meantime? "
        "Sweeney said Epic would rely on the ruling at once."
    )
    passage = Passage("a:h:0", "a", "t", "s", "u", None, text, 0, len(text), 1.0, rank=1)
    lexical = LexicalIndex.build(["a:h:0"], [text])
    scored = score_sentences("Will Epic rely on the ruling?", [passage], lexical, {"a": text})
    assert [text[s.start : s.end] for s in scored] == [
        "Sweeney said Epic would rely on the ruling at once."
    ]
