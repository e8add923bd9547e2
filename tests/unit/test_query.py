from __future__ import annotations

from assistant.schema import outlet_name
from assistant.text.question_analysis import SourceMatcher, analyse_question

MATCHER = SourceMatcher(
    ["The Age", "Fortune", "The Independent - Travel", "TechCrunch", "The Verge"]
)


def test_outlets_are_found_by_full_and_short_names_case_as_written() -> None:
    found = MATCHER.find("As TechCrunch and The Independent reported, fortune favours the bold")
    assert [source for _, _, source in found] == ["TechCrunch", "The Independent"]
    assert MATCHER.feeds("The Independent") == ("The Independent - Travel",)
    assert MATCHER.feeds("TechCrunch") == ("TechCrunch",)


def test_an_outlet_named_short_stands_for_all_its_feeds_and_a_feed_named_in_full_for_itself() -> (
    None
):
    matcher = SourceMatcher(
        [
            "FOX News - Health",
            "FOX News - Lifestyle",
            "Live Science: The Most Interesting Articles",
            "The Roar | Sports Writers Blog",
        ]
    )
    analysis = analyse_question(
        "Did FOX News say the drug was safe, while Live Science and FOX News - Health "
        "reported trials, and The Roar covered the match?",
        matcher,
    )
    assert analysis.sources == ("FOX News", "Live Science", "FOX News - Health", "The Roar")
    assert analysis.feeds_of(["FOX News"]) == ("FOX News - Health", "FOX News - Lifestyle")
    assert analysis.feeds_of(["FOX News - Health"]) == ("FOX News - Health",)
    assert analysis.feeds_of(["Live Science"]) == ("Live Science: The Most Interesting Articles",)
    assert analysis.outlet_of("the roar | sports writers blog") == "The Roar"
    assert analysis.outlet_of("fox news - lifestyle") == "FOX News"
    assert analysis.outlet_of("Wired") == "Wired"


def test_one_outlet_named_two_ways_is_one_outlet_by_its_first_name() -> None:
    matcher = SourceMatcher(["Cnbc | World Business News Leader", "Fortune"])
    analysis = analyse_question(
        "Did CNBC report that the two banks agreed to merge, as Fortune did, and was the bank "
        "fined a record sum for late filings, as reported by Cnbc?",
        matcher,
    )
    assert analysis.sources == ("CNBC", "Fortune")
    assert [clause.sources for clause in analysis.clauses] == [("CNBC", "Fortune"), ("CNBC",)]
    assert analysis.feeds_of(analysis.sources) == ("Cnbc | World Business News Leader", "Fortune")


def test_outlet_name_is_the_feed_title_before_its_section_or_tagline() -> None:
    assert outlet_name("The Independent - Life and Style") == "The Independent"
    assert outlet_name("Cnbc | World Business News Leader") == "Cnbc"
    assert outlet_name("Eos: Earth And Space Science News") == "Eos"
    assert outlet_name("TechCrunch") == "TechCrunch"
    assert outlet_name("Re: Tech") == "Re: Tech"  # too short a name to be the outlet's


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
    assert [source for _, _, source in found] == ["CNBC"]
    assert matcher.feeds("CNBC") == ("Cnbc | World Business News Leader",)


def test_a_feed_titled_in_lower_case_is_found_capitalised() -> None:
    matcher = SourceMatcher(["euronews", "Fortune", "today's wire"])
    found = matcher.find("Did Euronews, Today's Wire and Fortune report the talks?")
    assert [outlet for _, _, outlet in found] == ["Euronews", "Today's Wire", "Fortune"]
    assert matcher.feeds("Euronews") == ("euronews",)


def test_a_number_with_a_thousands_comma_stays_in_its_clause() -> None:
    analysis = analyse_question(
        "Which receiver needs almost 153 yards a game to reach 2,000 receiving yards this "
        "season, according to 'The Age', and scored two touchdowns, as reported by 'Fortune'?",
        MATCHER,
    )
    assert [clause.sources for clause in analysis.clauses] == [("The Age",), ("Fortune",)]
    assert "2,000 receiving yards" in analysis.clauses[0].text


def test_an_outlet_named_in_other_case_or_without_its_the_is_that_outlet() -> None:
    matcher = SourceMatcher(["The Verge", "Metro Ledger", "FOX News - Health"])
    assert matcher.outlet_named("the Verge") == "The Verge"
    assert matcher.outlet_named("metro ledger") == "Metro Ledger"
    assert matcher.outlet_named("FOX News") == "FOX News"
    assert matcher.outlet_named("Reuters") is None
