"""The "who said what" view on the seed article, through Assistant.ask: a column per speaker,
each quoting only that speaker's own statements, every quote verified."""

from __future__ import annotations

from assistant.api import Assistant


def test_each_speaker_gets_their_own_statements(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("Who said what about the troop withdrawal?")
    assert answer.layout == "by_speaker", answer.text
    assert len(answer.groups) >= 2
    labels = [group.label for group in answer.groups]
    assert len(set(labels)) == len(labels)
    for group in answer.groups:
        assert group.citations
        for n in group.citations:
            citation = answer.citations[n - 1]
            assert citation.speaker == group.label
            article = seed_assistant.article(citation.article_id)
            assert article is not None
            assert article.text[citation.start : citation.end] == citation.quote
        assert answer.text.count(f"{group.label}: ") == 1
    # The claim and the counter-claim: Russia says it is withdrawing, the UK says otherwise.
    assert "Russia" in labels and any(name in labels for name in ("James Heappey", "Ben Wallace"))
