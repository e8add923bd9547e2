"""Citations labelled with who said them, on a hand-written article (no model)."""

from __future__ import annotations

from assistant.answer.speakers import CitationSpeakers
from assistant.schema import Article, Citation

TEXT = (
    "The council met on Monday. “We will not raise taxes this year,” Mayor Linda Okafor said. "
    "Okafor added that the budget would be published in March. "
    "The meeting ended at noon."
)
ARTICLE = Article(
    id="a1",
    title="Council meets",
    source="Town Crier",
    url="",
    published_at="2023-10-02",
    text=TEXT,
    content_hash="h1",
)


def cite(n: int, sentence: str) -> Citation:
    start = TEXT.index(sentence)
    return Citation(
        n=n,
        article_id="a1",
        title=ARTICLE.title,
        source=ARTICLE.source,
        url="",
        published_at=ARTICLE.published_at,
        quote=sentence,
        start=start,
        end=start + len(sentence),
        score=1.0,
    )


def test_quotes_of_statements_name_their_speaker_and_others_do_not() -> None:
    speakers = CitationSpeakers(lambda article_id: ARTICLE if article_id == "a1" else None)
    quoted = cite(1, "“We will not raise taxes this year,” Mayor Linda Okafor said.")
    reported = cite(2, "Okafor added that the budget would be published in March.")
    plain = cite(3, "The meeting ended at noon.")
    labelled = speakers.label([quoted, reported, plain])
    assert [c.speaker for c in labelled] == ["Linda Okafor", "Linda Okafor", None]
    assert labelled[0].to_dict()["speaker"] == "Linda Okafor"


def test_an_unknown_article_leaves_the_citation_unlabelled() -> None:
    speakers = CitationSpeakers(lambda article_id: None)
    citation = cite(1, "Okafor added that the budget would be published in March.")
    assert speakers.label([citation])[0].speaker is None
