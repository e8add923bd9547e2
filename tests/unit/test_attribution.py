"""Who said what on hand-written news sentences: each case pins the speaker, its fullest name
and the exact statement text, including the forms that trip simple patterns."""

from __future__ import annotations

import pytest

from assistant.text.attribution import (
    Statement,
    extract_statements,
    speaker_at,
    statements_by_speaker,
)


def said(text: str) -> list[tuple[str, str, str, str]]:
    """(speaker, canonical, statement text, kind) for every statement, in text order."""
    return [
        (s.speaker, s.canonical, text[s.start : s.end], s.kind) for s in extract_statements(text)
    ]


def test_quote_then_surname_resolves_to_the_full_name() -> None:
    text = (
        "Jens Stoltenberg, NATO secretary general, spoke in Brussels. "
        "“We are ready for any scenario,” Stoltenberg said."
    )
    assert said(text) == [
        ("Stoltenberg", "Jens Stoltenberg", "We are ready for any scenario", "direct")
    ]


def test_speaker_then_colon_then_quote() -> None:
    text = "Foreign Minister Anna Berg said: “The border stays open.”"
    assert said(text) == [("Anna Berg", "Anna Berg", "The border stays open.", "direct")]


def test_inverted_attribution_with_an_appositive() -> None:
    text = "“Prices will keep rising,” said Maria Lopez, the central bank governor."
    assert said(text) == [("Maria Lopez", "Maria Lopez", "Prices will keep rising", "direct")]


def test_quote_split_by_its_attribution_belongs_to_one_speaker() -> None:
    text = "“We will not retreat,” Maria Lopez said, “and we will not apologise.”"
    assert said(text) == [
        ("Maria Lopez", "Maria Lopez", "We will not retreat", "direct"),
        ("Maria Lopez", "Maria Lopez", "and we will not apologise.", "direct"),
    ]


def test_reported_speech_with_and_without_that() -> None:
    text = (
        "Russian Foreign Minister Sergei Lavrov said that Moscow would respond on Thursday. "
        "Separatist official Rodion Miroshnik said the separatists fought back."
    )
    assert said(text) == [
        ("Sergei Lavrov", "Sergei Lavrov", "Moscow would respond on Thursday", "reported"),
        ("Rodion Miroshnik", "Rodion Miroshnik", "the separatists fought back", "reported"),
    ]


def test_according_to_at_either_end_of_the_sentence() -> None:
    text = (
        "The talks collapsed late on Friday, according to Reuters.\n\n"
        "According to the ministry, the troops have left the border area."
    )
    assert said(text) == [
        ("Reuters", "Reuters", "The talks collapsed late on Friday", "reported"),
        ("the ministry", "the ministry", "the troops have left the border area", "reported"),
    ]


def test_according_to_a_role_then_the_name() -> None:
    text = (
        "Crowds have doubled this season, according to the club's head of marketing, Loretta Johns."
    )
    assert said(text) == [
        ("Loretta Johns", "Loretta Johns", "Crowds have doubled this season", "reported")
    ]


def test_told_skips_whom_they_told() -> None:
    text = "Defence Secretary Ben Wallace told reporters the troops had not moved at all."
    assert said(text) == [
        ("Ben Wallace", "Ben Wallace", "the troops had not moved at all", "reported")
    ]


@pytest.mark.parametrize(
    ("sentence", "verb", "content"),
    [
        (
            "James Heappey accused Moscow of spreading misinformation.",
            "accused",
            "Moscow of spreading misinformation",
        ),
        (
            "James Heappey warned that the next weeks would be dangerous.",
            "warned",
            "the next weeks would be dangerous",
        ),
        ("James Heappey denied any role in the decision.", "denied", "any role in the decision"),
        (
            "James Heappey claimed the report was based on old data.",
            "claimed",
            "the report was based on old data",
        ),
        (
            "James Heappey called the announcement “a blatant lie”.",
            "called",
            "the announcement “a blatant lie”",
        ),
    ],
)
def test_speech_verbs_beyond_said(sentence: str, verb: str, content: str) -> None:
    (statement,) = extract_statements(sentence)
    assert (statement.speaker, statement.verb, statement.kind) == (
        "James Heappey",
        verb,
        "reported",
    )
    assert sentence[statement.start : statement.end] == content


def test_added_and_participles_continue_the_same_speaker() -> None:
    text = (
        "Stoltenberg said Russia had enough troops to invade, adding that “moving a tank "
        "does not prove a withdrawal”."
    )
    assert said(text) == [
        ("Stoltenberg", "Stoltenberg", "Russia had enough troops to invade", "reported"),
        ("Stoltenberg", "Stoltenberg", "moving a tank does not prove a withdrawal", "direct"),
    ]


def test_participle_takes_the_subject_of_its_sentence() -> None:
    text = "Ukraine disputed the claim, saying the separatists shelled its forces first."
    assert said(text) == [
        ("Ukraine", "Ukraine", "the separatists shelled its forces first", "reported")
    ]


def test_pronoun_resolves_to_the_person_named_before() -> None:
    text = (
        "Russian President Vladimir Putin met the envoy in Moscow on Monday. "
        "He said Russia was ready to talk about security."
    )
    assert said(text) == [
        ("Vladimir Putin", "Vladimir Putin", "Russia was ready to talk about security", "reported")
    ]


def test_pronoun_across_paragraphs() -> None:
    text = (
        "Jane Doe, a spokeswoman for the agency, declined to give details.\n\n"
        "“We are reviewing the report carefully,” she said."
    )
    assert said(text) == [
        ("Jane Doe", "Jane Doe", "We are reviewing the report carefully", "direct")
    ]


def test_pronoun_in_a_paragraph_an_organisation_speaks_in_is_not_an_earlier_person() -> None:
    # The seed article: "He" is Putin, whom the paragraph never names, not Stoltenberg.
    text = (
        "NATO chief Jens Stoltenberg said Russia had “enough troops” to invade.\n\n"
        "The Kremlin denies any intention to invade. He argues that they pose a threat."
    )
    assert [(s.canonical, text[s.start : s.end]) for s in extract_statements(text)] == [
        ("Jens Stoltenberg", "Russia had “enough troops” to invade"),
        ("The Kremlin", "any intention to invade"),
    ]


def test_pronoun_is_the_person_acting_not_the_one_owning_nor_a_name_after_it() -> None:
    text = (
        "OpenAI held a meeting on Friday during which Ilya Sutskever defended Sam Altman’s "
        "ouster. He dismissed suggestions that pushing Altman out amounted to a “hostile "
        "takeover,” and claimed that it was necessary."
    )
    assert {s.canonical for s in extract_statements(text)} == {"Ilya Sutskever"}
    # With no one else in the sentence, the owner is who the pronoun is.
    text = "Sam Altman’s ouster stunned the industry. He said it was “a weird experience.”"
    assert [s.canonical for s in extract_statements(text)] == ["Sam Altman"]


def test_pronoun_prefers_the_speaker_of_the_paragraph_over_a_later_mention() -> None:
    text = (
        "“I went through the draft and nobody called,” Oleg Markov said. Defender Charlie "
        "Dean broke his foot in training that week. “I was almost like a cheater,” he said."
    )
    assert [s.canonical for s in extract_statements(text)] == ["Oleg Markov", "Oleg Markov"]


def test_title_reference_resolves_to_the_named_person() -> None:
    text = (
        "NATO Secretary General Jens Stoltenberg arrived in Brussels on Tuesday. "
        "The secretary general said the alliance was united."
    )
    assert said(text) == [
        ("The secretary general", "Jens Stoltenberg", "the alliance was united", "reported")
    ]


def test_organisations_are_kept_as_written() -> None:
    text = (
        "Separatist authorities in the Luhansk region said there had been more shelling. "
        "The Kremlin denied any intention to invade Ukraine. "
        "Ukraine’s military command said shells hit a kindergarten building."
    )
    assert said(text) == [
        (
            "Separatist authorities",
            "Separatist authorities",
            "there had been more shelling",
            "reported",
        ),
        ("The Kremlin", "The Kremlin", "any intention to invade Ukraine", "reported"),
        (
            "Ukraine’s military command",
            "Ukraine’s military command",
            "shells hit a kindergarten building",
            "reported",
        ),
    ]


def test_an_adverb_opening_a_sentence_is_no_part_of_a_name() -> None:
    # "Maybe Google ..." was the fullest form of "Google", and its statements were Maybe
    # Google's.
    text = (
        "Maybe Google will sway the jury instead. Who knows! "
        "In the briefing, Google suggested that Epic should have joined its billing program."
    )
    assert [canonical for _, canonical, _, _ in said(text)] == ["Google"]
    asked = (
        "Didn’t Bankman-Fried know? "
        "Bankman-Fried said he had relied on his lawyers for the company's policies."
    )
    assert [canonical for _, canonical, _, _ in said(asked)] == ["Bankman-Fried"]


def test_acronym_resolves_to_the_organisation_it_abbreviates() -> None:
    text = (
        "The European Consumer Organisation (BEUC) filed the complaint on Monday. "
        "“This practice must be stopped,” BEUC said."
    )
    assert said(text) == [
        ("BEUC", "European Consumer Organisation", "This practice must be stopped", "direct")
    ]


def test_nested_quote_belongs_to_the_outer_speaker() -> None:
    text = "“He told me “we will win this” and I believed him,” said Anna Smith."
    assert said(text) == [
        ("Anna Smith", "Anna Smith", "He told me “we will win this” and I believed him", "direct")
    ]


def test_two_speakers_in_one_sentence() -> None:
    text = "Pochettino said the match would be tight, while Arteta said his team was ready."
    assert said(text) == [
        ("Pochettino", "Pochettino", "the match would be tight", "reported"),
        ("Arteta", "Arteta", "his team was ready", "reported"),
    ]


def test_straight_quotes_and_a_continuation_in_the_same_paragraph() -> None:
    text = (
        '"It would have been crazy," Darnell Mooney said after the game. '
        '"I wish I could have had it."'
    )
    assert said(text) == [
        ("Darnell Mooney", "Darnell Mooney", "It would have been crazy", "direct"),
        ("Darnell Mooney", "Darnell Mooney", "I wish I could have had it.", "direct"),
    ]


def test_quotation_reopened_over_paragraphs() -> None:
    text = (
        '"It was my first opportunity in Paris," Mikel Arteta said on Friday.\n\n'
        '"He was critical, he looked after me like a little brother.\n\n'
        '"He was a big part of the success I had."'
    )
    assert [(canonical, body) for _, canonical, body, _ in said(text)] == [
        ("Mikel Arteta", "It was my first opportunity in Paris"),
        ("Mikel Arteta", "He was critical, he looked after me like a little brother."),
        ("Mikel Arteta", "He was a big part of the success I had."),
    ]


def test_question_quote_with_the_attribution_after_it() -> None:
    text = "“How much would it take to get an answer?” Michael Lewis recounted."
    assert said(text) == [
        ("Michael Lewis", "Michael Lewis", "How much would it take to get an answer?", "direct")
    ]


def test_a_clause_after_the_verb_is_not_the_previous_quote() -> None:
    text = (
        "“It was a bigger down day than I thought,” Gary Glover said. “Markets held on.” "
        "Glover said the market was volatile but quite range-bound."
    )
    assert [body for _, _, body, _ in said(text)] == [
        "It was a bigger down day than I thought",
        "Markets held on.",
        "the market was volatile but quite range-bound",
    ]


def test_block_quotation_after_said_colon() -> None:
    text = (
        "Commenting in a statement, Ursula Pachl, deputy director general of BEUC, said:\n\n"
        "The choice the tech giant is providing to consumers is unfair and illegal.\n\n"
        "“It also raises concerns,” Pachl further noted."
    )
    assert said(text) == [
        (
            "Ursula Pachl",
            "Ursula Pachl",
            "The choice the tech giant is providing to consumers is unfair and illegal.",
            "direct",
        ),
        ("Pachl", "Ursula Pachl", "It also raises concerns", "direct"),
    ]


def test_embedded_post_is_its_author_statement() -> None:
    text = (
        "The boys in blue are back pic.twitter.com/0awNdmkXtT — Manchester City (@ManCity) "
        "November 3, 2023"
    )
    assert said(text) == [
        ("Manchester City", "Manchester City", "The boys in blue are back", "direct")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Russia has been accused of trying to fabricate a pretext.",
        "Goodman added 0.5 per cent and Dexus climbed 2.8 per cent.",
        "The Keep is now marketed with the catch-all term “medicine.”",
        "The Yankees could be on the verge of adding Soto, but they might not be done.",
        "He calls the top 10 users weekly to better understand their usage.",
        "Bankman-Fried, however, maintained his innocence.",
    ],
)
def test_not_statements(text: str) -> None:
    assert extract_statements(text) == []


def test_spans_are_exact_offsets() -> None:
    text = "Intro line.\n\n“A quote here,” Jane Doe said.\nJane Doe said the plan would work well."
    for statement in extract_statements(text):
        assert (
            text[statement.start : statement.end].strip() == text[statement.start : statement.end]
        )
        assert 0 <= statement.start < statement.end <= len(text)


def test_group_by_speaker_and_label_a_citation() -> None:
    text = (
        "“We are ready,” Jens Stoltenberg said. Russian Foreign Minister Sergei Lavrov said "
        "Moscow would answer later. “We will watch closely,” Stoltenberg added."
    )
    statements = extract_statements(text)
    grouped = statements_by_speaker(statements)
    assert list(grouped) == ["Jens Stoltenberg", "Sergei Lavrov"]
    assert [text[s.start : s.end] for s in grouped["Jens Stoltenberg"]] == [
        "We are ready",
        "We will watch closely",
    ]
    citation_start = text.index("Moscow would")
    labelled = speaker_at(statements, citation_start - 5, citation_start + 10)
    assert isinstance(labelled, Statement) and labelled.canonical == "Sergei Lavrov"
    assert speaker_at(statements, 0, 0) is None


def test_shared_surname_goes_to_the_person_named_last() -> None:
    text = (
        "Jason Kelce joined the podcast on Wednesday. Later, Travis Kelce spoke about his "
        "tweets. Kelce said he had been trying to delete them for years."
    )
    assert said(text) == [
        ("Kelce", "Travis Kelce", "he had been trying to delete them for years", "reported")
    ]


def test_according_to_after_an_attributed_quote_adds_no_statement() -> None:
    text = "“I am on the edge of revolt,” wrote Barry Diller in a letter, according to Bloomberg."
    assert said(text) == [("Barry Diller", "Barry Diller", "I am on the edge of revolt", "direct")]


def test_abbreviated_title_is_not_the_name() -> None:
    text = (
        "Dr. Gregg Sylvester, chief medical officer at the foundation, noted that the flu can hurt."
    )
    assert said(text) == [("Gregg Sylvester", "Gregg Sylvester", "the flu can hurt", "reported")]


def test_a_pronoun_after_an_aside_in_brackets_skips_the_aside() -> None:
    text = (
        "Dana Reyes testified on Tuesday. “The fund was in worse shape than I knew,” Reyes "
        "said. (There was a staff revolt, according to Tom Hale's Broken Ledger.) Reyes asked "
        "her boss why. “He had not known how to tell me,” she said."
    )
    spoken = said(text)
    assert spoken[-1][1:3] == ("Dana Reyes", "He had not known how to tell me"), spoken


def test_an_owner_is_the_speaker_without_its_possessive() -> None:
    text = (
        "In Reyes’s telling, the fund struggled. Dana Reyes joined in 2018. "
        "Losses grew, according to the company's own report. "
        "A revolt followed, according to Tom Hale's book."
    )
    speakers = [(speaker, canonical) for speaker, canonical, _, _ in said(text)]
    assert speakers == [("the company", "the company"), ("Tom Hale", "Tom Hale")], speakers


def test_a_description_set_off_by_its_name_is_that_name() -> None:
    text = (
        "Mark Cole, one of the defence lawyers, sat still. “All of it was built on lies,” said "
        "the assistant US attorney, Thane Rehn, in his opening statement."
    )
    assert said(text) == [("Thane Rehn", "Thane Rehn", "All of it was built on lies", "direct")]
    # No name after the comma: the description stands.
    text = "“Prices will keep rising,” said the central bank governor, who spoke in Paris."
    assert said(text)[0][:2] == ("the central bank governor", "the central bank governor")
