from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import LoadError
from assistant.ingest.readers import (
    MAX_RECORD_FAILURES,
    LoadFailure,
    Skipped,
    clean_text,
    decode_text,
    iter_files,
    join_split_subscripts,
    load_file,
    normalise_date,
    parse_json_corpus,
    read_articles,
    unwrap_lines,
)
from assistant.text.sentences import split_sentences
from tests.helpers import MULTIHOP_CORPUS, SEED_FILE

MB = 1024 * 1024


def test_seed_article_is_cleaned_of_page_furniture() -> None:
    [article] = load_file(SEED_FILE, max_bytes=16 * MB)
    assert article.title == "NATO accuses Russia of trying to “pretext” to invade Ukraine"
    assert article.source == "euronews"
    assert article.published_at == "2022-02-17"
    assert article.text.startswith("Russia has been accused of trying to fabricate")
    assert article.text.endswith("to the United States and NATO later Thursday and make it public.")
    for furniture in ("Skip to content", "euronews Gt", "Not all news on the site"):
        assert furniture not in article.text


def test_seed_text_is_unchanged_from_the_shared_seed() -> None:
    shared = SEED_FILE.parent.parent.parent / "shared" / "seeds" / SEED_FILE.name
    if shared.exists():
        assert SEED_FILE.read_bytes() == shared.read_bytes()


def test_article_id_depends_on_origin_not_content(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("First version of the story. It has two sentences.")
    first = load_file(path, max_bytes=MB)[0]
    path.write_text("Second version of the story, rewritten entirely.")
    second = load_file(path, max_bytes=MB)[0]
    assert first.id == second.id
    assert first.content_hash != second.content_hash


def test_front_matter_gives_metadata(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(
        "---\ntitle: A title\nsource: The Outlet\npublished_at: 2023-10-01\n---\nBody text here.\n"
    )
    [article] = load_file(path, max_bytes=MB)
    assert (article.title, article.source, article.published_at) == (
        "A title",
        "The Outlet",
        "2023-10-01",
    )
    assert article.text == "Body text here."


def test_html_main_text_without_navigation(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    body = " ".join(["The council approved the new budget after a long debate on Tuesday."] * 4)
    page.write_text(
        "<html><head><title>Budget approved</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>Budget approved</h1><p>{body}</p>"
        "<p>The mayor said the vote was a turning point for the city and its schools.</p></article>"
        "<footer>Copyright 2024 City Paper. All rights reserved. Contact us.</footer></body></html>"
    )
    [article] = load_file(page, max_bytes=MB)
    assert "council approved the new budget" in article.text
    assert "turning point" in article.text
    assert "Sport" not in article.text and "All rights reserved" not in article.text
    assert article.title == "Budget approved"


def test_multihop_corpus_loads_as_is() -> None:
    if not MULTIHOP_CORPUS.exists():
        pytest.skip("shared benchmark data not present")
    articles = load_file(MULTIHOP_CORPUS, max_bytes=16 * MB)
    assert len(articles) == 609
    assert len({a.id for a in articles}) == 609
    raw = json.loads(MULTIHOP_CORPUS.read_text())
    assert articles[0].text == raw[0]["body"].strip()
    assert articles[0].source == raw[0]["source"] and articles[0].published_at


def test_jsonl_records_and_bad_records(tmp_path: Path) -> None:
    good = parse_json_corpus(
        '{"title": "T1", "text": "Body one.", "url": "http://x/1"}\n'
        '{"title": "T2", "body": "Body two."}\n',
        origin=str(tmp_path / "c.jsonl"),
        jsonl=True,
    )
    assert [a.title for a in good.articles] == ["T1", "T2"] and good.failures == []
    with pytest.raises(LoadError, match="malformed JSON"):
        parse_json_corpus('[{"title": "x", "body": "y"', origin="c.json", jsonl=False)
    with pytest.raises(LoadError, match=r"^record 1: no body"):
        parse_json_corpus('[{"title": "x"}]', origin="c.json", jsonl=False)


def test_bad_jsonl_lines_are_reported_by_line_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text(
        '{"title": "One", "body": "First story."}\n'
        "\n"
        '{"title": "Cut", "body": \n'
        '{"title": "No body"}\n'
        '["not", "an", "object"]\n'
        '{"title": "Six", "body": "Sixth line\u2028story."}\n'
    )
    loaded = read_articles(path, max_bytes=MB)
    assert [a.title for a in loaded.articles] == ["One", "Six"]
    assert loaded.articles[1].text == "Sixth line\u2028story."
    reasons = [f.reason for f in loaded.failures]
    assert reasons[0].startswith("line 3: malformed JSON (")
    assert reasons[1:] == ["line 4: no body/text", "line 5: not a JSON object"]
    with pytest.raises(LoadError, match=r"^line 3: malformed JSON"):
        load_file(path, max_bytes=MB)


def test_bad_records_of_a_json_list_are_reported_by_position(tmp_path: Path) -> None:
    records = [{"title": "A", "body": "Story a."}, {"title": "B"}, 7, {"body": "Story d."}]
    path = tmp_path / "list.json"
    path.write_text(json.dumps(records))
    loaded = read_articles(path, max_bytes=MB)
    assert [a.title for a in loaded.articles] == ["A", "list #4"]
    assert [f.reason for f in loaded.failures] == [
        "record 2: no body/text",
        "record 3: not a JSON object",
    ]
    path.write_text(json.dumps([1, 2, {"title": "x"}]))
    with pytest.raises(LoadError, match=r"^none of its 3 records could be read; first: record 1"):
        read_articles(path, max_bytes=MB)


def test_fixing_a_bad_record_keeps_the_other_ids(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"body": "One."}\n{"body": \n{"body": "Three."}\n')
    before = [a.id for a in read_articles(path, max_bytes=MB).articles]
    path.write_text('{"body": "One."}\n{"body": "Two."}\n{"body": "Three."}\n')
    after = [a.id for a in read_articles(path, max_bytes=MB).articles]
    assert after[0] == before[0] and after[2] == before[1]


def test_many_bad_records_are_listed_up_to_a_limit(tmp_path: Path) -> None:
    path = tmp_path / "noisy.jsonl"
    lines = ['{"body": "The one good story."}'] + ["{oops"] * (MAX_RECORD_FAILURES + 5)
    path.write_text("\n".join(lines))
    loaded = read_articles(path, max_bytes=MB)
    assert len(loaded.articles) == 1
    assert len(loaded.failures) == MAX_RECORD_FAILURES + 1
    assert loaded.failures[0].reason.startswith("line 2: ")
    assert loaded.failures[-1].reason == "and 5 more bad records"


@pytest.mark.parametrize(
    ("record", "title"),
    [
        ({"title": "Given title", "body": "Text of it."}, "Given title"),
        ({"body": "Storm hits the coast\nWaves rose to six metres."}, "Storm hits the coast"),
        ({"body": "No headline here. Just sentences."}, "single"),
    ],
)
def test_a_single_json_object_is_one_article_titled_like_a_text_file(
    tmp_path: Path, record: dict[str, str], title: str
) -> None:
    path = tmp_path / "single.json"
    path.write_text(json.dumps(record))
    [article] = load_file(path, max_bytes=MB)
    assert article.title == title


def test_upload_ids_come_from_name_and_content(tmp_path: Path) -> None:
    path = tmp_path / "news.txt"
    path.write_text("Story A. It happened.")
    first = read_articles(path, max_bytes=MB, by_content=True).articles[0]
    assert first.id == read_articles(path, max_bytes=MB, by_content=True).articles[0].id
    path.write_text("Story B. Something else happened.")
    second = read_articles(path, max_bytes=MB, by_content=True).articles[0]
    assert second.id != first.id
    (tmp_path / "other").mkdir()
    moved = tmp_path / "other" / "news.txt"
    moved.write_text("Story A. It happened.")
    assert read_articles(moved, max_bytes=MB, by_content=True).articles[0].id == first.id


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x00\x01\x02binary", "binary"),
        (b"caf\xe9 au lait", "not UTF-8"),
    ],
)
def test_undecodable_bytes_get_a_reason(raw: bytes, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        decode_text(raw)


def test_utf16_with_bom_is_read() -> None:
    assert decode_text("Grüße aus Köln.".encode("utf-16")) == "Grüße aus Köln."


def test_load_file_reasons(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(LoadError, match="empty file"):
        load_file(empty, max_bytes=MB)
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (MB // 2))
    with pytest.raises(LoadError, match="over the 1 MB limit"):
        load_file(big, max_bytes=MB)
    other = tmp_path / "image.png"
    other.write_bytes(b"\x89PNG")
    with pytest.raises(LoadError, match="unsupported file type"):
        load_file(other, max_bytes=MB)


def test_iter_files_expands_folders_and_reports_missing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "a.meta.json").write_text("{}")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("y")
    found = list(iter_files([tmp_path, tmp_path / "missing.txt"]))
    assert [p.name for p in found if isinstance(p, Path)] == ["a.txt", "b.md"]
    assert [f.reason for f in found if isinstance(f, LoadFailure)] == ["no such file or folder"]


def test_links_that_loop_or_dangle_are_skipped_with_a_reason(tmp_path: Path) -> None:
    folder = tmp_path / "links"
    folder.mkdir()
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")
    (folder / "gone.txt").symlink_to("nowhere.txt")
    (folder / "self").symlink_to(".")
    (folder / "up").symlink_to("..")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "real.md").write_text("A real story.")
    (folder / "more").symlink_to(elsewhere)
    found = list(iter_files([folder, tmp_path / "links" / "a.txt"]))
    skipped = {Path(s.origin).name: s.reason for s in found if isinstance(s, Skipped)}
    assert skipped == {
        "a.txt": "link loops back on itself",
        "b.txt": "link loops back on itself",
        "gone.txt": "link to a file or folder that does not exist",
        "self": "link to a folder that is read already (a loop or a copy)",
        "up": "link to a folder that is read already (a loop or a copy)",
    }
    assert [p.resolve() for p in found if isinstance(p, Path)] == [
        (elsewhere / "real.md").resolve()
    ]
    [named] = [f for f in found if isinstance(f, LoadFailure)]
    assert named.reason == "link loops back on itself"


def test_clean_text_keeps_article_sentences() -> None:
    body, headline = clean_text(
        "Big News Today\n\nAdvertisement\nThe first sentence.\nShare\n\nLast one.\nSite Tag"
    )
    assert headline == "Big News Today"
    assert body == "The first sentence.\n\nLast one."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-11-27T14:00:00+00:00", "2023-11-27"),
        ("17 February 2022", "2022-02-17"),
        ("", None),
        ("soon", None),
    ],
)
def test_normalise_date(value: str, expected: str | None) -> None:
    assert normalise_date(value) == expected


WRAPPED = """Kessler Bridge reopens

The Kessler Bridge reopened on Tuesday after eight weeks of repairs, the
transport office said, and traffic returned to normal by the evening
rush hour. Council member Ravi Patel said the city had learned from the
closure.

What changed:
- the support beams were replaced along the whole of the eastern side
- inspections will now take place every six months instead of each year

The ferry service will keep its three extra evening crossings until the
end of the year, its operator said.
"""


def test_a_hard_wrapped_text_file_keeps_its_sentences_whole(tmp_path: Path) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text(WRAPPED)
    [article] = load_file(path, max_bytes=MB)
    assert article.title == "Kessler Bridge reopens"
    sentences = [article.text[s.start : s.end] for s in split_sentences(article.text)]
    assert sentences == [
        "The Kessler Bridge reopened on Tuesday after eight weeks of repairs, the transport "
        "office said, and traffic returned to normal by the evening rush hour.",
        "Council member Ravi Patel said the city had learned from the closure.",
        "What changed:",
        "- the support beams were replaced along the whole of the eastern side",
        "- inspections will now take place every six months instead of each year",
        "The ferry service will keep its three extra evening crossings until the end of the "
        "year, its operator said.",
    ]


def test_text_written_a_paragraph_to_a_line_is_not_joined() -> None:
    text = (
        "One short paragraph a line, as most news files here are written by their pipeline\n"
        "A subheading of the kind some sites keep without a full stop at its end\n"
        "Another paragraph that ends the usual way, with a full stop after its last word.\n"
        "And a last one that runs well past the width any mail client would wrap its lines "
        "at, as paragraphs of news articles usually do when they are written one to a line."
    )
    assert unwrap_lines(text) == text
    assert len(unwrap_lines(WRAPPED)) == len(WRAPPED)


def test_a_formula_subscript_on_a_line_of_its_own_is_joined_back(tmp_path: Path) -> None:
    # Text taken from a web page whose <sub> elements became lines of their own.
    body = (
        "High-purity liquid O\n2 is usually obtained by the fractional distillation of "
        "liquefied air. Ozone (O\n3) absorbs ultraviolet light, and bauxite holds Al\n2O\n3."
    )
    path = tmp_path / "oxygen.json"
    path.write_text(json.dumps({"title": "Oxygen", "body": body}))
    [article] = load_file(path, max_bytes=MB)
    assert article.text == (
        "High-purity liquid O2 is usually obtained by the fractional distillation of "
        "liquefied air. Ozone (O3) absorbs ultraviolet light, and bauxite holds Al2O3."
    )
    assert len(split_sentences(article.text)) == 2


def test_line_breaks_before_numbers_that_are_no_subscripts_stay() -> None:
    text = (
        "Scores from the weekend\nRaiders\n1 2 3 4 Final\n"
        "The chief executive spoke to the CEO\n2023 results were better.\n"
        "Live updates\n11:15 p.m. The game ended.\nChapter\n1"
    )
    assert join_split_subscripts(text) == text
