"""HTML for the chat page: answers with source cards, related passages, the article viewer.

Article text, titles and outlets are untrusted input: every one of them goes through
html.escape here, so markup inside an article shows as text and no script from it can run.
Each fragment is a single HTML block without blank lines, so the chat's Markdown renderer
passes it through untouched."""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable

from assistant.schema import Answer, Article, Citation, Passage
from assistant.text.relative_days import days_line
from assistant.text.sentences import split_sentences
from assistant.web.guide import SourceGuide

_MARKER = re.compile(r"\[(\d+)\]")
CONTEXT_CHARS = 320


def esc(text: object) -> str:
    return html.escape(str(text or ""), quote=True)


def _inline(text: str) -> str:
    """Escaped text on one line: newlines would end the HTML block for the Markdown parser."""
    return esc(re.sub(r"\s*\n\s*", " ", text))


def _safe_url(url: str) -> str | None:
    return url if url.lower().startswith(("http://", "https://")) else None


def meta_line(title: str, source: str, published_at: str | None) -> str:
    parts = [f'<span class="src-title">{_inline(title) or "Untitled"}</span>']
    details = " · ".join(esc(p) for p in (source, published_at) if p)
    if details:
        parts.append(f'<span class="src-meta">{details}</span>')
    return " ".join(parts)


def speaker_chip(speaker: str | None) -> str:
    """Who said the quoted words, as a chip on the card's head ("" when nobody is quoted)."""
    if not speaker:
        return ""
    return f'<span class="card-speaker" title="Who said it">{_inline(speaker)}</span>'


def also_published_line(outlets: tuple[str, ...]) -> str:
    """The outlets that published copies of the story, under the card's outlet line ("" when
    none): the reader learns the quote is not one outlet's alone."""
    if not outlets:
        return ""
    names = ", ".join(_inline(outlet) for outlet in outlets)
    return f'<div class="card-also">also published by: {names}</div>'


def days_named_line(days: tuple[tuple[str, str], ...]) -> str:
    """The days the quote names, read against its publication day ("" when none): which
    Tuesday "on Tuesday" was."""
    if not days:
        return ""
    line = _inline(days_line(days))
    return f'<div class="card-days" title="Read against the publication day">{line}</div>'


def context_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(before, quote, after): the quote with the sentence before and after it, trimmed."""
    sentences = split_sentences(text)
    before_start, after_end = start, end
    for i, sentence in enumerate(sentences):
        if sentence.end > start and sentence.start <= start and i > 0:
            before_start = sentences[i - 1].start
        if sentence.start < end <= sentence.end and i + 1 < len(sentences):
            after_end = sentences[i + 1].end
    before, after = text[before_start:start], text[end:after_end]
    if len(before) > CONTEXT_CHARS:
        before = "…" + before[-CONTEXT_CHARS:].split(" ", 1)[-1]
    if len(after) > CONTEXT_CHARS:
        after = after[:CONTEXT_CHARS].rsplit(" ", 1)[0] + "…"
    return before, text[start:end], after


def _open_link(article_id: str, start: int, end: int, label: str = "Open article") -> str:
    # The chat's sanitizer drops data-* attributes; the link target carries what the page's
    # click handler needs instead: #open:<article id>:<start>:<end>.
    target = f"#open:{esc(article_id)}:{int(start)}:{int(end)}"
    return f'<a href="{target}" class="open-article">{esc(label)}</a>'


def source_card(citation: Citation, article_text: str | None) -> str:
    if article_text is not None and article_text[citation.start : citation.end] == citation.quote:
        before, quote, after = context_around(article_text, citation.start, citation.end)
    else:
        before, quote, after = "", citation.quote, ""
    return (
        f'<div class="source-card source-{citation.n}">'
        f'<div class="card-head"><span class="card-n">{citation.n}</span>'
        f"{meta_line(citation.title, citation.source, citation.published_at)}"
        f"{speaker_chip(citation.speaker)}</div>"
        f"{also_published_line(citation.also_published_by)}"
        f"{days_named_line(citation.days)}"
        f'<p class="card-context">{_inline(before)} <mark class="quote">{_inline(quote)}</mark> '
        f"{_inline(after)}</p>"
        f'<div class="card-foot">{_open_link(citation.article_id, citation.start, citation.end)}'
        "</div></div>"
    )


def related_card(passage: Passage) -> str:
    return (
        '<div class="related-card">'
        f'<div class="card-head"><span class="related-tag">related</span>'
        f"{meta_line(passage.title, passage.source, passage.published_at)}</div>"
        f'<p class="card-context">{_inline(passage.text[:400])}'
        f"{'…' if len(passage.text) > 400 else ''}</p>"
        f'<div class="card-foot">{_open_link(passage.article_id, passage.start, passage.end)}'
        "</div></div>"
    )


def pick_related(passages: list[Passage], n: int = 3) -> list[Passage]:
    """Up to n passages, one per article first (in rank order), then the next best ones: three
    cuts of the same article tell a reader less than the closest passage of three articles."""
    firsts: dict[str, Passage] = {}
    for passage in passages:
        firsts.setdefault(passage.article_id, passage)
    chosen = list(firsts.values())[:n]
    chosen += [p for p in passages if p not in chosen][: n - len(chosen)]
    return sorted(chosen, key=passages.index)


def _linked_text(answer: Answer, text: str | None = None) -> str:
    """`text` (the answer's own by default) with each [n] a link to source card n."""
    known = {c.n for c in answer.citations}

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in known:
            return match.group(0)
        return f'<a href="#source:{n}" class="cite-marker" title="Show source {n}">[{n}]</a>'

    return _MARKER.sub(link, _inline(answer.text if text is None else text))


def _outlet_columns(answer: Answer, cards: dict[int, str]) -> str:
    """One column per outlet (or speaker): its name, its own answer and its source cards; then
    the outlets named in the question that have no matching report."""
    columns = "".join(
        '<div class="outlet-column">'
        f'<div class="outlet-name">{_inline(group.label)}</div>'
        f'<p class="outlet-answer">{_linked_text(answer, group.text)}</p>'
        f"{''.join(cards[n] for n in group.citations if n in cards)}</div>"
        for group in answer.groups
    )
    missing = (
        '<p class="outlet-missing">No matching report from: '
        f"{esc(', '.join(answer.missing_outlets))}.</p>"
        if answer.missing_outlets
        else ""
    )
    return f'<div class="outlet-columns">{columns}</div>{missing}'


def _lead(answer: Answer) -> str:
    """The lines of a column answer's text above its columns ("In the 25 articles that mention
    …": what the columns were counted from), shown before them."""
    first = f"{answer.groups[0].label}:"
    lines = answer.text.split("\n")
    lead = itertools.takewhile(lambda line: not line.startswith(first), lines)
    return "".join(f'<p class="answer-text">{_inline(line)}</p>' for line in lead if line)


def _timeline(answer: Answer, cards: dict[int, str]) -> str:
    """The citations on a vertical line, one stop per publication day, oldest first."""
    stops = "".join(
        '<li class="timeline-stop">'
        f'<div class="timeline-date">{esc(group.label)}</div>'
        f"{''.join(cards[n] for n in group.citations if n in cards)}</li>"
        for group in answer.groups
    )
    return (
        '<div class="sources-heading">Timeline (by publication date)</div>'
        f'<ol class="timeline">{stops}</ol>'
    )


def _read_as(answer: Answer, asked: str | None) -> str:
    """The follow-up as the assistant read it, when that differs from what was typed: a reader
    sees which earlier turn "it" was taken from."""
    standalone = (answer.standalone_question or "").strip()
    note = "".join(
        f'<p class="read-as">{_inline(line)}</p>'
        for line in (answer.correction_note, answer.period_note, answer.outlet_note)
        if line
    )
    if not asked or not standalone or standalone.lower() == asked.strip().lower():
        return note
    return f'{note}<p class="read-as">Read as: {_inline(standalone)}</p>'


def render_answer(
    answer: Answer,
    article_text: Callable[[str], str | None],
    *,
    asked: str | None = None,
    related: list[Passage] | None = None,
) -> str:
    """The final answer: text with linked [n] markers, then numbered source cards; or, when
    the assistant abstained, its message and the related passages, folded away so that the
    message stays in view. `asked` is the question as typed; `related` replaces
    answer.related (e.g. passages picked from more articles)."""
    read_as = _read_as(answer, asked)
    if answer.abstained:
        passages = pick_related(answer.related if related is None else related)
        cards = "".join(related_card(p) for p in passages)
        folded = (
            '<details class="related-box"><summary class="related-heading">'
            f"Closest passages ({len(passages)}, related, not evidence)</summary>{cards}</details>"
            if cards
            else ""
        )
        return (
            f'<div class="answer abstained">{read_as}'
            f'<p class="abstain-text">{_inline(answer.text)}</p>{folded}</div>'
        )
    texts: dict[str, str | None] = {}
    cards: dict[int, str] = {}
    for citation in answer.citations:
        if citation.article_id not in texts:
            texts[citation.article_id] = article_text(citation.article_id)
        cards[citation.n] = source_card(citation, texts[citation.article_id])
    note = answer.corroboration_note
    tally = f'<p class="corroboration">{_inline(note)}</p>' if note else ""
    if answer.layout in ("by_outlet", "by_speaker") and answer.groups:
        columns = _outlet_columns(answer, cards)
        lead = _lead(answer)
        return f'<div class="answer by-outlet">{read_as}{lead}{columns}{tally}</div>'
    if answer.layout == "timeline" and answer.groups:
        return (
            f'<div class="answer">{read_as}<p class="answer-text">{_linked_text(answer)}</p>'
            f"{_timeline(answer, cards)}{tally}</div>"
        )
    sources = (
        '<div class="sources-heading">Sources</div>'
        f'<div class="sources">{"".join(cards.values())}</div>'
        if cards
        else ""
    )
    return (
        f'<div class="answer">{read_as}<p class="answer-text">{_linked_text(answer)}</p>'
        f"{sources}{tally}</div>"
    )


def render_partial(text: str) -> str:
    cursor = '<span class="cursor">▍</span>'
    return f'<div class="answer streaming"><p class="answer-text">{_inline(text)}{cursor}</p></div>'


def render_question(text: str) -> str:
    """The user's question as text: markup typed into the box is shown, never rendered."""
    return f'<p class="question-text">{_inline(text)}</p>'


def sentence_case(text: str) -> str:
    """A message as a sentence: errors are written in lower case to be embedded in logs."""
    text = text.strip()
    return text[:1].upper() + text[1:]


def render_message(text: str) -> str:
    body = _inline(sentence_case(text))
    return f'<div class="answer notice"><p class="answer-text">{body}</p></div>'


def plain_answer(answer: Answer) -> str:
    """What the copy button puts on the clipboard: the answer and its sources as text."""
    lines = [answer.text]
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for c in answer.citations:
            where = ", ".join(p for p in (c.title, c.source, c.published_at or "") if p)
            lines.append(f"[{c.n}] “{c.quote}” — {where}")
    return "\n".join(lines)


def render_article(article: Article, start: int = 0, end: int = 0) -> str:
    """The full article, paragraphs kept, with article.text[start:end] highlighted."""
    text = article.text
    valid = 0 <= start < end <= len(text)
    if valid:
        body = (
            esc(text[:start])
            + f'<mark class="quote" id="article-quote">{esc(text[start:end])}</mark>'
            + esc(text[end:])
        )
    else:
        body = esc(text)
    paragraphs = "".join(f"<p>{p}</p>" for p in re.split(r"\n\s*\n", body) if p.strip())
    paragraphs = paragraphs.replace("\n", "<br>")
    url = _safe_url(article.url)
    meta = (article.source, article.published_at)
    link = (
        f' · <a href="{esc(url)}" target="_blank" rel="noopener noreferrer">original</a>'
        if url
        else ""
    )
    return (
        f'<div class="article-view"><h3>{esc(article.title) or "Untitled"}</h3>'
        f'<div class="src-meta">{" · ".join(esc(p) for p in meta if p)}'
        f"{link}</div>"
        f'<div class="article-body" id="article-body">{paragraphs}</div></div>'
    )


def render_guide(guide: SourceGuide, article: Article) -> str:
    items = "".join(
        # No quote marks around the sentence: it often carries its own and they would double.
        f"<li>{_inline(s.text)} {_open_link(article.id, s.start, s.end, 'in context')}</li>"
        for s in guide.summary
    )
    return (
        '<div class="guide"><div class="guide-title">'
        f"{meta_line(article.title, article.source, article.published_at)}</div>"
        f'<div class="guide-label">Key sentences</div><ul class="guide-summary">{items}</ul></div>'
    )


def render_header(article_count: int, outlets: int) -> str:
    if article_count:
        knows = (
            f"Answers questions about {article_count} indexed news "
            f"article{'s' if article_count != 1 else ''} from {outlets} "
            f"outlet{'s' if outlets != 1 else ''}, quoting them word for word."
        )
    else:
        knows = "No articles indexed yet: add some in the side panel to start asking."
    return (
        '<div class="app-header"><h1>Article Assistant</h1>'
        f'<p class="app-tagline">{esc(knows)}</p></div>'
    )


def render_ingest_result(lines_ok: list[str], failures: list[tuple[str, str]]) -> str:
    ok = "".join(f"<li>{esc(line)}</li>" for line in lines_ok)
    bad = "".join(
        f'<li><span class="fail-name">{esc(name)}</span>: {esc(reason)}</li>'
        for name, reason in failures
    )
    parts = []
    if ok:
        parts.append(f'<ul class="ingest-ok">{ok}</ul>')
    if bad:
        parts.append(
            f'<div class="ingest-fail-title">Not added</div><ul class="ingest-fail">{bad}</ul>'
        )
    return f'<div class="ingest-result">{"".join(parts)}</div>'


def render_article_table(rows: list[tuple[str, str, str, int]], empty: str = "") -> str:
    """Articles as an HTML table (title, outlet, date, chunks) that wraps on phones."""
    if not rows:
        return f'<p class="hint">{esc(empty or "No articles indexed yet.")}</p>'
    body = "".join(
        f'<tr><td>{_inline(title)}</td><td>{esc(source)}</td><td class="date">{esc(date)}</td>'
        f'<td class="num">{int(chunks)}</td></tr>'
        for title, source, date, chunks in rows
    )
    return (
        '<div class="table-scroll"><table class="article-table"><thead><tr><th>Title</th>'
        '<th>Outlet</th><th class="date">Date</th><th class="num">Chunks</th></tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )
