from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.index.lexical import LexicalIndex
from assistant.text.tokens import tokenize


def test_tokenize_stems_drops_stopwords_and_folds_spellings() -> None:
    assert tokenize("The Defence Secretary said 150,000 troops were stationed") == [
        "defens",
        "secretari",
        "said",
        "150000",
        "troop",
        "station",
    ]
    assert tokenize("defense") == tokenize("defence")
    assert tokenize("Russia's army") == tokenize("Russia army")


def test_bm25_ranks_and_persists(tmp_path: Path) -> None:
    index = LexicalIndex.build(
        ["c1", "c2", "c3"],
        ["Troops massed at the border.", "The budget vote passed.", "Troops left the border area."],
    )
    scores = index.scores(tokenize("troops border"))
    assert scores[1] == 0 and scores[0] > 0 and scores[2] > 0
    assert index.scores(tokenize("zebra")).tolist() == [0.0, 0.0, 0.0]
    index.save(tmp_path / "bm25", "gen-1")
    loaded = LexicalIndex.load(tmp_path / "bm25", "gen-1")
    assert loaded is not None and loaded.chunk_ids == ["c1", "c2", "c3"]
    assert np.allclose(loaded.scores(tokenize("troops border")), scores)
    assert LexicalIndex.load(tmp_path / "bm25", "gen-2") is None


def test_idf_prefers_rare_words() -> None:
    index = LexicalIndex.build(["a", "b", "c"], ["common rare", "common", "common"])
    assert index.idf("rare") > index.idf("common")
    assert index.idf("unseen") == index.idf("rare")
