"""Questions about an article's details (when, which outlet) and what answers them."""

from __future__ import annotations

from assistant.answer.article_details import asks_for_details, details_answer
from assistant.schema import Article


def test_questions_about_an_articles_details() -> None:
    assert asks_for_details("When was the article published?") == ""
    assert asks_for_details("Which outlet published this story?") == ""
    assert asks_for_details("What is the source of the article?") == ""
    assert asks_for_details("Who wrote the article about the bridge?") == "the bridge"
    assert asks_for_details("When was the story on the UAW strike published?") == (
        "the UAW strike"
    )
    assert asks_for_details("When was the bridge closed?") is None
    assert asks_for_details("Who published the report on Monday?") == "Monday"


def test_the_details_are_the_articles_own_cited_by_its_opening() -> None:
    text = "Bridge closes\n\nThe Kessler Bridge was closed to traffic on Monday after inspectors "
    text += "found cracks. Repairs will take six weeks."
    article = Article("a", "Bridge closes", "Harbor Daily", "http://h/a", "2023-10-02", text, "h")
    answer = details_answer("When was the article published?", [article])
    assert answer.text == "Harbor Daily published “Bridge closes” on 2023-10-02 [1]."
    assert answer.citations[0].quote.startswith("The Kessler Bridge was closed to traffic")
    answer = details_answer("Who wrote the article?", [article])
    assert answer.text.endswith(
        "[1]. Who wrote it is not recorded: an article's outlet and day are."
    )
    assert asks_for_details("Who is the author of this article?") == ""
    undated = Article("b", "Notes", "", "", None, text, "h2")
    assert details_answer("Who published the article?", [undated]).text == (
        "“Notes” names no outlet and no publication date [1]."
    )
