"""Copies of one story: signatures, the near-duplicate test, groups in memory and in the
registry (SQLite only: no model, no Chroma)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.index.article_index import Copies
from assistant.index.registry import Registry, SignatureRow
from assistant.ingest.duplicates import (
    SCHEME,
    CopyFinder,
    CopyGrouper,
    Signature,
    shingles,
    signature,
    similarity,
)
from assistant.schema import Answer, Article, Chunk, Citation

PARAGRAPHS = [
    "The harbour authority in Porto approved plans on Tuesday to dredge the northern channel, "
    "a project that engineers say will let container ships twice the current size dock at "
    "the city's main terminal by the end of next year.",
    "Work is expected to begin in March and to cost about 85 million euros, most of it paid "
    "by the port itself, with the remainder coming from a European Union fund for maritime "
    "infrastructure that the government applied to last spring.",
    "Fishermen who work the estuary have opposed the plan for months. Their association said "
    "the dredging would stir up silt that smothers the oyster beds along the southern bank "
    "and asked the authority to delay the work until an independent study is finished.",
    "The authority's chairman, Rui Almeida, told reporters that the environmental assessment "
    "had already examined the oyster beds and found that the risk was small, adding that "
    "the contractor would monitor the water quality every week while the work lasted.",
    "City councillors were divided. Some welcomed the jobs the larger ships would bring to "
    "the docks, while others warned that more lorries would clog the roads around the "
    "terminal, which residents already complain are choked at rush hour.",
]
ORIGINAL = "\n\n".join(PARAGRAPHS)
# Another outlet's own report of the same decision: same names, numbers and facts, its words.
SAME_TOPIC = "\n\n".join(
    [
        "Porto's port will get a deeper northern channel after its harbour authority voted on "
        "Tuesday for a dredging project priced at roughly 85 million euros.",
        "Rui Almeida, who chairs the authority, said bigger container vessels could use the "
        "main terminal from late next year, and that weekly checks of the water would "
        "accompany the work, due to start in March.",
        "Local fishermen fear for the oyster beds on the estuary's southern bank and want an "
        "independent study first. Councillors disagree about the extra lorry traffic the "
        "larger ships would bring to roads near the docks.",
        "Part of the bill will be met by a European Union maritime infrastructure fund; the "
        "port pays the rest.",
    ]
)


def _article(article_id: str, text: str, title: str = "Porto dredging") -> Article:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Article(article_id, title, "Wire", "", "2024-03-01", text, digest)


def _copies() -> dict[str, str]:
    dropped = "\n\n".join(PARAGRAPHS[:2] + PARAGRAPHS[3:])
    boilerplate = (
        ORIGINAL
        + "\n\nSubscribe to our newsletter for the latest port news every morning."
        + "\n\nCopyright 2024 Coastal Herald. All rights reserved."
    )
    reworded = (
        ORIGINAL.replace("approved plans", "backed plans")
        .replace("opposed the plan", "resisted the plan")
        .replace("were divided", "were split")
    )
    return {"dropped": dropped, "boilerplate": boilerplate, "reworded": reworded}


def test_shingles_are_runs_of_five_words_ignoring_case_and_punctuation() -> None:
    assert shingles("The Harbour, in PORTO: approved it.") == {
        b"the harbour in porto approved",
        b"harbour in porto approved it",
    }
    assert shingles("Too short.") == {b"too short"}
    assert shingles("") == set()


def test_signature_round_trips_through_its_blob() -> None:
    sig = signature(ORIGINAL)
    again = Signature.from_blob(sig.to_blob(), sig.size)
    assert again.size == sig.size == len(shingles(ORIGINAL))
    assert list(again.minhash.hashvalues) == list(sig.minhash.hashvalues)
    assert similarity(sig, again) == 1.0
    # Deterministic across processes: the signature depends on the text only.
    assert list(signature(ORIGINAL).minhash.hashvalues) == list(sig.minhash.hashvalues)


@pytest.mark.parametrize("edit", ["dropped", "boilerplate", "reworded"])
def test_a_lightly_edited_copy_is_a_near_duplicate(edit: str) -> None:
    assert similarity(signature(ORIGINAL), signature(_copies()[edit])) > 0


def test_another_report_of_the_same_event_is_not_a_copy() -> None:
    assert similarity(signature(ORIGINAL), signature(SAME_TOPIC)) == 0


def test_an_excerpt_of_a_third_is_not_a_copy() -> None:
    excerpt = "\n\n".join(PARAGRAPHS[:2])
    assert similarity(signature(ORIGINAL), signature(excerpt)) == 0


def test_very_short_texts_are_never_grouped() -> None:
    assert similarity(signature("Talks resume today."), signature("Talks resume today.")) == 0


def test_finder_groups_copies_under_the_earliest_and_leaves_others_alone() -> None:
    finder = CopyFinder()
    row, match = finder.assign(_article("a", ORIGINAL), signature(ORIGINAL))
    assert match is None and row.group_id == "a"
    for n, text in enumerate(_copies().values()):
        article = _article(f"copy{n}", text, title=f"Headline {n}")
        row, match = finder.assign(article, signature(text))
        # The match is the closest indexed copy, the original or an earlier copy of it.
        assert row.group_id == "a" and match is not None and match.group_id == "a"
    row, match = finder.assign(_article("other", SAME_TOPIC), signature(SAME_TOPIC))
    assert match is None and row.group_id == "other"
    # The representative leaves: the earliest remaining member names the group.
    finder.remove("a")
    assert {finder.members[f"copy{n}"].group_id for n in range(3)} == {"copy0"}


def test_a_changed_article_that_no_longer_copies_its_group_leaves_it() -> None:
    finder = CopyFinder()
    finder.assign(_article("a", ORIGINAL), signature(ORIGINAL))
    reworded = _copies()["reworded"]
    finder.assign(_article("b", reworded), signature(reworded))
    seq = finder.members["a"].seq
    # Still a copy after an edit: same group, same place in it.
    row, match = finder.assign(_article("a", _copies()["dropped"]), signature(_copies()["dropped"]))
    assert (row.group_id, row.seq, match and match.article_id) == ("a", seq, "b")
    # Rewritten: it leaves, and the group is named after the member that stays.
    row, match = finder.assign(_article("a", SAME_TOPIC), signature(SAME_TOPIC))
    assert match is None and row.group_id == "a" and row.seq > seq
    assert finder.members["b"].group_id == "b"


def _save(registry: Registry, articles: list[Article], rows: list[SignatureRow]) -> None:
    items = [
        (a, [Chunk(f"{a.id}:x:0", a.id, 0, 0, len(a.text), a.text)], [a.text]) for a in articles
    ]
    registry.save_articles(items, signatures=rows)


def _groups(registry: Registry) -> dict[str, str]:
    return {row.article_id: row.group_id for row in registry.signatures(SCHEME)}


def test_registry_keeps_groups_across_deletes_and_reloads(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "registry.sqlite3")
    grouper = CopyGrouper(registry)
    texts = {"a": ORIGINAL, **_copies(), "other": SAME_TOPIC}
    articles = [_article(key, text) for key, text in texts.items()]
    _save(registry, articles, [grouper.assign(a)[0] for a in articles])
    copies_of_a = {"a", "dropped", "boilerplate", "reworded"}
    assert _groups(registry) == {**dict.fromkeys(copies_of_a, "a"), "other": "other"}

    assert registry.delete_article("a")
    assert _groups(registry) == {**dict.fromkeys(copies_of_a - {"a"}, "dropped"), "other": "other"}
    # A new ingest loads what is stored and compares new articles with it, without recomputing.
    fresh = CopyGrouper(registry)
    again = _article("again", ORIGINAL, title="Porto dredging, again")
    row, match = fresh.assign(again)
    assert row.group_id == "dropped" and match is not None
    assert fresh.finder.members["boilerplate"].signature.size == len(shingles(texts["boilerplate"]))
    registry.close()


def test_registry_regroups_an_article_that_leaves_in_the_same_transaction(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "registry.sqlite3")
    grouper = CopyGrouper(registry)
    a, b = _article("a", ORIGINAL), _article("b", _copies()["boilerplate"])
    _save(registry, [a, b], [grouper.assign(a)[0], grouper.assign(b)[0]])
    rewritten = _article("a", SAME_TOPIC)
    _save(registry, [rewritten], [grouper.assign(rewritten)[0]])
    assert _groups(registry) == {"a": "a", "b": "b"}
    assert registry.copy_groups() == []
    registry.close()


def test_an_index_without_signatures_gets_them_on_the_next_ingest(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "registry.sqlite3")
    articles = [_article("a", ORIGINAL), _article("b", _copies()["dropped"])]
    _save(registry, articles, [])
    assert registry.articles_without_signatures(SCHEME) == ["a", "b"]
    assert CopyGrouper(registry).add_missing() == 2
    assert _groups(registry) == {"a": "a", "b": "a"}
    assert CopyGrouper(registry).add_missing() == 0
    registry.close()


def test_an_article_saved_again_without_a_signature_loses_its_stale_one(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "registry.sqlite3")
    grouper = CopyGrouper(registry)
    a, b = _article("a", ORIGINAL), _article("b", _copies()["reworded"])
    _save(registry, [a, b], [grouper.assign(a)[0], grouper.assign(b)[0]])
    _save(registry, [_article("a", SAME_TOPIC)], [])
    assert _groups(registry) == {"b": "b"}
    registry.close()


def test_copies_list_the_other_outlets_once_without_the_shown_ones() -> None:
    from assistant.index.registry import CopyRow

    copies = Copies.from_rows(
        [
            CopyRow("a", "a", "Reuters"),
            CopyRow("b", "a", "BBC"),
            CopyRow("c", "a", "bbc"),
            CopyRow("d", "a", "Reuters"),
            CopyRow("lone", "lone", "CNN"),
        ]
    )
    assert copies.group_of == dict.fromkeys("abcd", "a")
    assert copies.also_published_by["a"] == ("BBC",)
    assert copies.also_published_by["b"] == ("Reuters",)
    assert "lone" not in copies.group_of


def test_a_source_card_names_the_other_outlets_under_its_own() -> None:
    from assistant.schema import Citation
    from assistant.web.render import source_card

    text = "Work is expected to begin in March. Fishermen objected."
    citation = Citation(1, "a", "Porto dredging", "Wire", "", None, text[:35], 0, 35, 1.0)
    assert "also published by" not in source_card(citation, text)
    card = source_card(replace(citation, also_published_by=("BBC", "<Reuters>")), text)
    assert "also published by: BBC, &lt;Reuters&gt;" in card
    assert card.index("src-meta") < card.index("also published by") < card.index("card-context")


CITED_TEXT = "Work is expected to begin in March. Fishermen objected."


def cite(n: int, article: str, source: str, copies: tuple[str, ...] = ()) -> Citation:
    """A citation of CITED_TEXT's first sentence from `source`, its copies at `copies`."""
    return Citation(n, article, "Porto", source, "", None, CITED_TEXT[:35], 0, 35, 1.0, copies)


def test_corroboration_counts_reports_and_outlets_and_copies_once() -> None:
    from assistant.web.render import render_answer

    one = Answer(question="q", text="x [1]", citations=[cite(1, "a", "Wire")])
    assert one.corroboration_note == ""  # one report by one outlet: nothing to count
    three = Answer(
        question="q",
        text="x [1] [2] [3]",
        citations=[
            cite(1, "a", "Wire", ("BBC", "Reuters")),
            cite(2, "b", "Herald"),
            cite(3, "c", "Herald"),
        ],
    )
    assert three.corroboration_note == (
        "Quoted from 3 reports by 2 outlets (Wire, Herald). The same story also appeared at "
        "BBC, Reuters: copies, each counted once."
    )
    assert three.to_dict()["corroboration_note"] == three.corroboration_note
    assert 'class="corroboration"' in render_answer(three, lambda _: CITED_TEXT)
    # A copy outlet that is also cited in its own right is not a copy of another's story.
    cited = [cite(1, "a", "Wire", ("Herald",)), cite(2, "b", "Herald")]
    both = Answer(question="q", text="x", citations=cited)
    assert "appeared at" not in both.corroboration_note
    assert Answer(question="q", text="no", abstained=True).corroboration_note == ""


def test_corroboration_counts_an_outlets_sections_as_one_outlet() -> None:
    answer = Answer(
        question="q",
        text="x [1] [2] [3]",
        citations=[
            cite(1, "a", "FOX News - Health", ("FOX News - Lifestyle", "Reuters | Wire")),
            cite(2, "b", "FOX News - Lifestyle"),
            cite(3, "c", "Cnbc | World Business News Leader"),
        ],
    )
    assert answer.corroboration_note == (
        "Quoted from 3 reports by 2 outlets (FOX News, Cnbc). The same story also appeared at "
        "Reuters: a copy, counted once."
    )
