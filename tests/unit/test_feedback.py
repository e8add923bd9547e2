from __future__ import annotations

from assistant.retrieval.feedback import feedback_terms

RARE = {"zorvath": 5.0, "quillmark": 4.0, "founder": 2.5, "said": 0.3, "trial": 1.5}


def idf(token: str) -> float:
    return RARE.get(token, 3.0)


def sentences(*words: str) -> list[frozenset[str]]:
    return [frozenset(words)]


def test_a_rare_word_shared_by_several_articles_is_fed_back() -> None:
    results = [
        ("a1", sentences("zorvath", "said", "trial")),
        ("a2", sentences("zorvath", "quillmark", "said")),
        ("a3", sentences("zorvath", "said")),
        ("a4", sentences("weather", "said")),
    ]
    # "said" recurs everywhere but is common; "quillmark" is rare but in one article only.
    assert feedback_terms(results, {"trial"}, idf, 5) == ["zorvath"]


def test_words_of_the_question_are_not_fed_back() -> None:
    results = [("a1", sentences("zorvath")), ("a2", sentences("zorvath"))]
    assert feedback_terms(results, {"zorvath"}, idf, 5) == []


def test_passages_of_one_article_count_once() -> None:
    results = [("a1", sentences("zorvath")), ("a1", sentences("zorvath"))]
    assert feedback_terms(results, set(), idf, 5) == []


def test_best_first_ties_in_a_fixed_order_and_at_most_count() -> None:
    results = [
        ("a1", sentences("zorvath", "quillmark", "bravo", "alpha")),
        ("a2", sentences("zorvath", "quillmark", "bravo", "alpha")),
    ]
    # zorvath 2 x 5.0, quillmark 2 x 4.0, then alpha and bravo tie at 2 x 3.0: alphabetical.
    assert feedback_terms(results, set(), idf, 3) == ["zorvath", "quillmark", "alpha"]
    assert feedback_terms(results, set(), idf, 0) == []
    assert feedback_terms([], set(), idf, 3) == []
