from __future__ import annotations

from assistant.text.question_analysis import SourceMatcher, analyse_question

MATCHER = SourceMatcher(
    ["The Age", "Fortune", "The Independent - Travel", "TechCrunch", "The Verge"]
)


def test_outlets_are_found_by_full_and_short_names_case_as_written() -> None:
    found = MATCHER.find("As TechCrunch and The Independent reported, fortune favours the bold")
    assert [source for _, _, source in found] == ["TechCrunch", "The Independent - Travel"]


def test_clauses_keep_their_attribution() -> None:
    analysis = analyse_question(
        "Which person inflated the value of a Manhattan apartment, according to 'Fortune', and is "
        "also accused of adjusting its valuation to hide a loss, as reported by 'The Age'?",
        MATCHER,
    )
    assert analysis.sources == ("Fortune", "The Age")
    assert [clause.sources for clause in analysis.clauses] == [("Fortune",), ("The Age",)]
    assert analysis.clauses[0].text.startswith("Which person inflated")


def test_a_plain_question_is_one_clause() -> None:
    analysis = analyse_question("How many troops has Moscow stationed near Ukraine?", MATCHER)
    assert analysis.sources == ()
    assert [c.text for c in analysis.clauses] == [
        "How many troops has Moscow stationed near Ukraine"
    ]


def test_a_title_cased_acronym_outlet_matches_in_capitals_only_when_short() -> None:
    matcher = SourceMatcher(["Cnbc | World Business News Leader", "Fortune", "The Verge"])
    found = matcher.find("As CNBC and FORTUNE reported, THE VERGE did not; cnbc in lower case")
    assert [source for _, _, source in found] == ["Cnbc | World Business News Leader"]


def test_a_number_with_a_thousands_comma_stays_in_its_clause() -> None:
    analysis = analyse_question(
        "Which receiver needs almost 153 yards a game to reach 2,000 receiving yards this "
        "season, according to 'The Age', and scored two touchdowns, as reported by 'Fortune'?",
        MATCHER,
    )
    assert [clause.sources for clause in analysis.clauses] == [("The Age",), ("Fortune",)]
    assert "2,000 receiving yards" in analysis.clauses[0].text
