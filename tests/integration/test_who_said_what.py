"""The "who said what" view on the seed article, through Assistant.ask: a column per speaker,
each quoting only that speaker's own statements, every quote verified."""

from __future__ import annotations

from pathlib import Path

from assistant.api import Assistant
from tests.helpers import CORPUS


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


TRIAL = (
    "Fund chief takes the stand\n\n"
    "Dana Reyes took the stand on Tuesday in the trial over the collapse of the Harbor Fund. "
    "Reyes, the fund's former chief executive, spent six hours answering questions from both "
    "sides. Prosecutors said Reyes had moved the money between accounts without telling "
    "investors.\n\n"
    "“I was told to move it, and I did what I was told,” she said. “Nobody checked the books "
    "for two years,” she added.\n\n"
    "The trial resumes on Monday, when the defence will call its first witness.\n"
)


def test_what_someone_said_is_their_own_words_though_the_text_says_she(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    # Her words are given as "…,” she said": read with the question, they name no one the
    # model could match to her, and the sentences that name her are not her words.
    (tmp_path / "trial.txt").write_text(TRIAL)
    fresh_assistant.ingest([tmp_path / "trial.txt", CORPUS])
    answer = fresh_assistant.ask("What did Dana Reyes say?")
    assert [c.speaker for c in answer.citations] == ["Dana Reyes", "Dana Reyes"], answer.text
    assert "told to move it" in answer.citations[0].quote
    assert "Nobody checked the books" in answer.citations[1].quote
    # Asked for more, the conversation's quotes are not repeated.
    history = [
        {"role": "user", "content": "What did Dana Reyes say?"},
        {"role": "assistant", "content": answer.citations[0].quote},
    ]
    more = fresh_assistant.ask("What else did she say?", history=history)
    assert [c.quote for c in more.citations] == [answer.citations[1].quote], more.text
