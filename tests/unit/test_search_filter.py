"""Filter dates are checked once, on the calendar, with a message a person can act on."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.errors import QuestionError
from assistant.schema import SearchFilter


@pytest.mark.parametrize("value", ["2022-13-45", "2023-02-29", "yesterday", "20220217", "2022-W07"])
def test_a_day_that_is_not_on_the_calendar_is_refused(value: str) -> None:
    with pytest.raises(QuestionError) as caught:
        SearchFilter.from_dict({"date_from": value})
    expected = f"Dates are written YYYY-MM-DD, e.g. 2022-02-17: “{value}” is not one"
    assert str(caught.value) == expected


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(QuestionError, match="ends before it starts"):
        SearchFilter.from_dict({"date_from": "2022-03-01", "date_to": "2022-02-01"})


def test_good_dates_are_kept_as_iso_days() -> None:
    flt = SearchFilter.from_dict(
        {"date_from": " 2024-02-29 ", "date_to": date(2024, 3, 1), "sources": ["euronews"]}
    )
    assert (flt.date_from, flt.date_to, flt.sources) == ("2024-02-29", "2024-03-01", ("euronews",))
    assert SearchFilter.from_dict({"date_from": "", "date_to": "  "}).empty


def test_the_page_filter_uses_the_same_check() -> None:
    from assistant.web.app import ChatPage

    assert ChatPage.filters(["a"], None, "2022-02-17", "")["date_from"] == "2022-02-17"
    with pytest.raises(QuestionError, match="“2022-13-45” is not one"):
        ChatPage.filters(None, None, "2022-13-45", None)
