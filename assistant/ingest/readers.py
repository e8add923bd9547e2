"""Reading articles from txt, md, html and json/jsonl files, and cleaning page furniture."""

from __future__ import annotations

import errno
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from assistant.errors import LoadError
from assistant.schema import Article

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json", ".jsonl"}
ACCEPTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES
SIDECAR_SUFFIX = ".meta.json"

# Lines that sites put around every article. Matched on a whole stripped line, case-insensitive.
_FURNITURE_LINES = [
    r"skip to (main )?content",
    r"(advertisement|advertising|sponsored( content)?)",
    r"(share|share this( article| story)?|print|email|tweet|comments?)",
    r"(sign up|subscribe)( (to|for) (our|the) newsletters?)?.*",
    r"(read more|related( articles| stories)?|most read|more from .{1,40}|you may also like)",
    r"(accept|manage) (all )?cookies.*",
    r"we use cookies.*",
    r"(copyright|©|\(c\)).{0,120}",
    r".{0,80}all rights reserved\.?",
    r"follow us on .{1,60}",
    r"(image|photo|video) (credit|source|caption)s?:.{0,200}",
]
# Disclaimers that aggregators append: recognised by what they say, not by which site says it.
_DISCLAIMER_PATTERNS = [
    r"not all news on (the|this) site expresses the point of view",
    r"(translated|transmitted) .{0,80}(automatically|programmatic)",
    r"the views expressed .{0,80}(do not|don't) (necessarily )?reflect",
    r"this (article|story) (was|has been) (automatically )?(generated|translated)",
]
_FURNITURE_RE = re.compile(r"^(?:" + "|".join(_FURNITURE_LINES) + r")$", re.IGNORECASE)
_DISCLAIMER_RE = re.compile("|".join(_DISCLAIMER_PATTERNS), re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…\"”’')\]:]$")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


# Bad records of a corpus file listed one by one; past this many, one line counts the rest.
MAX_RECORD_FAILURES = 20


@dataclass(frozen=True)
class LoadFailure:
    """A file (or one record of a corpus file) that could not be read, with the reason."""

    origin: str
    reason: str


@dataclass(frozen=True)
class Skipped:
    """A path that a folder scan did not read on purpose (a link that loops, dangles or leads to
    a folder read already), with the reason."""

    origin: str
    reason: str


@dataclass
class FileArticles:
    """The articles read from one file, and the records of a corpus file that could not be read
    (each with its 1-based line or position); the good records are kept."""

    articles: list[Article]
    failures: list[LoadFailure]


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_id_for(key: str) -> str:
    """Stable id from where the article comes from (path or url), not from its content."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def iter_files(paths: list[Path]) -> Iterator[Path | LoadFailure | Skipped]:
    """Expand folders into accepted files (sorted), reporting paths that don't exist and links
    that cannot be followed. A link to a folder is followed unless it leads into (or around)
    a folder this scan reads anyway, which is how link loops end."""
    read: list[Path] = []
    for path in paths:
        if not path.exists():
            yield LoadFailure(str(path), _link_problem(path) or "no such file or folder")
        elif path.is_dir():
            yield from _scan_folder(path, read)
        elif path.name.endswith(SIDECAR_SUFFIX):
            continue
        else:
            yield path


def _scan_folder(folder: Path, read: list[Path]) -> Iterator[Path | Skipped]:
    read.append(folder.resolve())
    for child in sorted(folder.rglob("*")):
        if child.is_symlink():
            problem = _link_problem(child)
            if problem is None and child.is_dir():
                real = child.resolve()
                if any(real.is_relative_to(done) or done.is_relative_to(real) for done in read):
                    problem = "link to a folder that is read already (a loop or a copy)"
                else:
                    # rglob does not descend into linked folders: follow them here, loop-safe.
                    yield from _scan_folder(child, read)
                    continue
            if problem:
                yield Skipped(str(child), problem)
                continue
        if child.is_file() and _is_article_file(child):
            yield child


def _link_problem(path: Path) -> str | None:
    """Why a symbolic link cannot be read, or None for a link that works (or no link)."""
    if not path.is_symlink():
        return None
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "link loops back on itself"
        return "link to a file or folder that does not exist"
    return None


def _is_article_file(path: Path) -> bool:
    if path.name.startswith(".") or path.name.endswith(SIDECAR_SUFFIX):
        return False
    return path.suffix.lower() in ACCEPTED_SUFFIXES


def load_file(path: Path, *, max_bytes: int) -> list[Article]:
    """Read one file into articles. Raises LoadError with a one-line reason, also for the
    first bad record of a corpus file (read_articles keeps the good records instead)."""
    loaded = read_articles(path, max_bytes=max_bytes)
    if loaded.failures:
        raise LoadError(loaded.failures[0].reason)
    return loaded.articles


def read_articles(path: Path, *, max_bytes: int, by_content: bool = False) -> FileArticles:
    """Read one file into articles; a corpus file's bad records are returned beside the good
    ones. Raises LoadError with a one-line reason when nothing in the file can be read.

    `by_content`: the id comes from the file's name and each article's content, not from its
    path, for files whose path says nothing about which article they are (uploads)."""
    suffix = path.suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        accepted = ", ".join(sorted(ACCEPTED_SUFFIXES))
        raise LoadError(f"unsupported file type {suffix or '(none)'}; accepted: {accepted}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from exc
    if size == 0:
        raise LoadError("empty file")
    if size > max_bytes:
        raise LoadError(
            f"file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:.0f} MB limit "
            "(ASSISTANT_MAX_FILE_MB)"
        )
    raw = path.read_bytes()
    text = decode_text(raw)
    origin = str(path.resolve())
    name = path.name if by_content else None
    if suffix in JSON_SUFFIXES:
        return parse_json_corpus(text, origin=origin, jsonl=suffix == ".jsonl", content_name=name)
    if suffix in HTML_SUFFIXES:
        article = parse_html(text, origin=origin, meta=_read_sidecar(path), content_name=name)
    else:
        article = parse_plain(
            text,
            origin=origin,
            meta=_read_sidecar(path),
            fallback_title=path.stem,
            content_name=name,
        )
    return FileArticles([article], [])


def decode_text(raw: bytes) -> str:
    """Decode UTF-8 (BOMs honoured); refuse binary data and other encodings with a reason."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise LoadError("not valid UTF-16 text despite its byte-order mark") from exc
    if b"\x00" in raw[:8192]:
        raise LoadError("binary file (NUL bytes), not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"not UTF-8 text (invalid byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "re-save the file as UTF-8"
        ) from exc


def _read_sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LoadError(f"metadata file {sidecar.name} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise LoadError(f"metadata file {sidecar.name} must hold a JSON object")
    return data


def parse_plain(
    text: str,
    *,
    origin: str,
    meta: dict[str, Any] | None = None,
    fallback_title: str = "",
    content_name: str | None = None,
) -> Article:
    """A txt/md article: optional front matter, then the body with page furniture removed."""
    meta = dict(meta or {})
    match = _FRONT_MATTER.match(text)
    if match:
        meta = {**_parse_front_matter(match.group(1)), **meta}
        text = text[match.end() :]
    body, headline = clean_text(text, title=str(meta.get("title") or ""))
    body = unwrap_lines(body)
    title = str(meta.get("title") or headline or fallback_title)
    return _make_article(body, title=title, meta=meta, origin=origin, content_name=content_name)


# A line that starts a block of its own (a list item, a heading, a quote, a table row, a fence).
_BLOCK_START = re.compile(r"^\s*(?:[-*+•#>|]|\d+[.)]\s|```)")
_WRAP_WIDTH = 100
_ENDS_SENTENCE = re.compile(r"[.!?…:;\"”’')\]]$")


def unwrap_lines(body: str) -> str:
    """A hard-wrapped txt or md file (paragraphs broken at a fixed width, as e-mail and many
    editors write them) with each break inside a paragraph turned into a space, so that a
    sentence is not cut at the wrap and quoted in pieces. One character for one: offsets don't
    move. A file written a paragraph to a line is left as it is, and so are breaks before list
    items, headings and after a line that ends a sentence."""
    lines = body.split("\n")
    inner = [
        number
        for number in range(len(lines) - 1)
        if lines[number].strip() and lines[number + 1].strip()
    ]
    wraps = [number for number in inner if _wraps(lines[number], lines[number + 1])]
    written = [line for line in lines if line.strip()]
    long_lines = sum(len(line) > _WRAP_WIDTH for line in written)
    # A wrapped file: no line much over the width (a long URL aside), and most breaks inside
    # paragraphs wrap; else it is a file of short paragraphs, headings and bylines.
    if len(wraps) < 2 or len(wraps) < 0.6 * len(inner) or long_lines > 0.05 * len(written):
        return body
    chars, wrapped, offset = list(body), set(wraps), 0
    for number, line in enumerate(lines[:-1]):
        offset += len(line)  # the break after this line
        if number in wrapped:
            chars[offset] = " "
        offset += 1
    return "".join(chars)


def _wraps(line: str, following: str) -> bool:
    return (
        40 <= len(line.strip()) <= _WRAP_WIDTH
        and not _ENDS_SENTENCE.search(line.rstrip())
        and not _BLOCK_START.match(following)
    )


def _parse_front_matter(block: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in block.splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta


def clean_text(text: str, *, title: str = "") -> tuple[str, str]:
    """Drop page furniture at the edges of an article and return (body, headline).

    Furniture is recognised by shape: known navigation/footer lines, disclaimers, and short
    unpunctuated stubs (site tags, bylines) at the very end. A short unpunctuated first line is
    the headline: it becomes the title when none is given and leaves the body."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    lines = [line for line in lines if not _FURNITURE_RE.match(line.strip())]
    lines = [line for line in lines if not _DISCLAIMER_RE.search(line)]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and _is_stub(lines[-1]):
        lines.pop()
        while lines and not lines[-1].strip():
            lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    headline = ""
    if lines and _is_headline(lines[0], title):
        headline = lines.pop(0).strip()
        while lines and not lines[0].strip():
            lines.pop(0)
    body = "\n".join(lines).strip()
    body = re.sub(r"\n{3,}", "\n\n", body)
    return body, headline


def _is_stub(line: str) -> bool:
    stripped = line.strip()
    return 0 < len(stripped.split()) <= 3 and not _SENTENCE_END.search(stripped)


def _is_headline(line: str, title: str) -> bool:
    stripped = line.strip()
    if title and _squash(stripped) == _squash(title):
        return True
    return 0 < len(stripped.split()) <= 20 and not re.search(r"[.!?:]$", stripped)


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def parse_html(
    html: str,
    *,
    origin: str,
    meta: dict[str, Any] | None = None,
    content_name: str | None = None,
) -> Article:
    """Main text of an HTML page via trafilatura (navigation, footers and comments dropped)."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True, favor_precision=True
    )
    if document is None or not (document.text or "").strip():
        raise LoadError("no article text found in the HTML page")
    meta = dict(meta or {})
    found = {
        "title": document.title,
        "source": document.sitename,
        "url": document.url,
        "published_at": document.date,
    }
    merged = {**{k: v for k, v in found.items() if v}, **meta}
    body, _ = clean_text(document.text, title=str(merged.get("title") or ""))
    title = str(merged.get("title") or Path(origin).stem)
    return _make_article(body, title=title, meta=merged, origin=origin, content_name=content_name)


def parse_json_corpus(
    text: str, *, origin: str, jsonl: bool, content_name: str | None = None
) -> FileArticles:
    """A corpus file: a JSON list of objects (or one per line for jsonl, or a single object)
    with body/text and optional title/source/url/published_at. Bodies are kept as they are.

    Each record is its own article: a bad one is reported by its 1-based line (jsonl) or
    position (json list) and the others are read. A file whose every record is bad raises."""
    entries = _json_lines(text) if jsonl else _json_records(text)
    if not entries:
        raise LoadError("no articles in the JSON file")
    stem = Path(origin).stem
    single = len(entries) == 1
    articles: list[Article] = []
    failures: list[str] = []
    # Record positions count bad records too, so fixing one later leaves the others' ids alone.
    for index, (where, record) in enumerate(entries):
        try:
            if isinstance(record, LoadError):
                raise record
            articles.append(
                _json_article(record, origin, index, stem, single=single, content_name=content_name)
            )
        except LoadError as exc:
            failures.append(f"{where}: {exc}")
    if not articles:
        if len(failures) == 1:
            raise LoadError(failures[0])
        raise LoadError(f"none of its {len(failures)} records could be read; first: {failures[0]}")
    shown = [LoadFailure(origin, reason) for reason in failures[:MAX_RECORD_FAILURES]]
    if len(failures) > MAX_RECORD_FAILURES:
        more = len(failures) - MAX_RECORD_FAILURES
        shown.append(LoadFailure(origin, f"and {more} more bad records"))
    return FileArticles(articles, shown)


def _json_lines(text: str) -> list[tuple[str, Any]]:
    """(where, record or the LoadError that says why the line is not one) per non-blank line.
    Split on newlines only: JSON strings may hold U+2028 and other line separators."""
    entries: list[tuple[str, Any]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            entries.append((where, json.loads(line)))
        except json.JSONDecodeError as exc:
            entries.append((where, LoadError(f"malformed JSON ({exc.msg} at column {exc.colno})")))
        except RecursionError:
            entries.append((where, LoadError("JSON nested too deeply")))
    return entries


def _json_records(text: str) -> list[tuple[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise LoadError("JSON nested too deeply") from exc
    if isinstance(data, dict):
        data = data.get("articles", data.get("data", [data]))
    records = data if isinstance(data, list) else [data]
    return [(f"record {number}", record) for number, record in enumerate(records, start=1)]


def _json_article(
    record: Any, origin: str, index: int, stem: str, *, single: bool, content_name: str | None
) -> Article:
    if not isinstance(record, dict):
        raise LoadError("not a JSON object")
    body = record.get("body") or record.get("text") or record.get("content")
    if not isinstance(body, str) or not body.strip():
        raise LoadError("no body/text")
    key = str(record.get("url") or record.get("id") or f"{origin}#{index}")
    # Without a title, the headline rule of txt files, then the file name (numbered in a list).
    _, headline = clean_text(body)
    title = str(record.get("title") or headline or (stem if single else f"{stem} #{index + 1}"))
    return _make_article(
        body.strip(), title=title, meta=record, origin=key, content_name=content_name
    )


# A chemical formula whose subscript a page-to-text conversion put on a line of its own
# ("ozone (O\n3)", "liquid O\n2 is", "Al\n2O\n3"): the line break cut the sentence there. The
# word before the break must read as element symbols (with counts, brackets and a charge); the
# subscript is one or two digits not followed by another digit or a colon (a year, a clock time).
_SPLIT_SUBSCRIPT = re.compile(r"(?<![^\s(\[])([A-Z(][A-Za-z0-9()+\-−]*)\n(\d{1,2})(?![\d:])")
_ELEMENTS = frozenset(
    """H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se
    Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb
    Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm
    Bk Cf Es Fm Md No Lr R""".split()  # R: an organic group, as in "R-CO-NR2"
)


def join_split_subscripts(body: str) -> str:
    """The body with each formula subscript put back after its symbol ("O\n2" -> "O2")."""

    def join(match: re.Match[str]) -> str:
        letters = re.sub(r"[^A-Za-z]", " ", match.group(1)).split()
        symbols = [s for word in letters for s in re.findall(r"[A-Z][a-z]?|[a-z]+", word)]
        formula = bool(symbols) and all(s in _ELEMENTS for s in symbols)
        return match.group(1) + match.group(2) if formula else match.group(0)

    # Again until nothing changes: "Al\n2O\n3" reads as a formula only once "Al2" is joined.
    joined = _SPLIT_SUBSCRIPT.sub(join, body)
    while joined != body:
        body, joined = joined, _SPLIT_SUBSCRIPT.sub(join, joined)
    return joined


def _make_article(
    body: str,
    *,
    title: str,
    meta: dict[str, Any],
    origin: str,
    content_name: str | None = None,
) -> Article:
    body = join_split_subscripts(body)
    if not body.strip():
        raise LoadError("no article text left after cleaning")
    url = str(meta.get("url") or "")
    digest = content_hash(body + "\x1f" + title + "\x1f" + str(meta.get("source") or ""))
    # An upload's path is only its name, so the same name with other content is another article.
    key = url or (f"upload\x1f{content_name}\x1f{digest}" if content_name else origin)
    return Article(
        id=str(meta.get("id") or article_id_for(key)),
        title=" ".join(title.split()),
        source=str(meta.get("source") or meta.get("sitename") or ""),
        url=url,
        published_at=normalise_date(meta.get("published_at") or meta.get("date")),
        text=body,
        content_hash=digest,
        origin=origin,
    )


def normalise_date(value: Any) -> str | None:
    """ISO date (YYYY-MM-DD) from the usual shapes, or None."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        return "-".join(match.groups())
    for fmt in ("%d %B %Y", "%B %d, %Y", "%d/%m/%Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None
