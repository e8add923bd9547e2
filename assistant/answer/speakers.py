"""Who said each cited quote: the speaker of the attributed statement a citation lies in."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

from assistant.schema import Article, Citation
from assistant.text.attribution import Statement, extract_statements, speaker_at
from assistant.text.attribution.statement import extractor_version

# Articles whose statements are kept: the articles of recent answers come back often.
_CACHED_ARTICLES = 512
# A quote is someone's statement when at least this share of it lies inside the statement, or
# it holds the whole statement: a sentence that only touches a quotation is the writer's own.
_MIN_SHARE = 0.3


# (article id, content hash, rules version) -> the statements stored at ingest, or None.
StoredStatements = Callable[[str, str, str], list[Statement] | None]


class CitationSpeakers:
    """Labels citations with their speakers. Statements are the ones ingest stored for the
    article text the citation was verified against (found again here when none are stored for
    that text and these rules: an index from before they were stored), cached per article
    version, so a replaced article gets its new statements."""

    def __init__(
        self,
        article_for: Callable[[str], Article | None],
        stored: StoredStatements | None = None,
    ) -> None:
        self.article_for = article_for
        self.stored = stored
        self._cache: OrderedDict[tuple[str, str], list[Statement]] = OrderedDict()
        self._lock = threading.Lock()

    def statements(self, article: Article) -> list[Statement]:
        key = (article.id, article.content_hash)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        found = (
            self.stored(article.id, article.content_hash, extractor_version())
            if self.stored is not None
            else None
        )
        if found is None:
            found = extract_statements(article.text)
        with self._lock:
            self._cache[key] = found
            while len(self._cache) > _CACHED_ARTICLES:
                self._cache.popitem(last=False)
        return found

    def label(
        self, citations: list[Citation], prefer: Callable[[Statement], bool] | None = None
    ) -> list[Citation]:
        """The citations, each with `speaker` set when its quote is an attributed statement.
        A quote that holds statements of several speakers ("Russia announced … But NATO called
        this announcement false.") is labelled with the one `prefer` picks, when it picks one
        (the speaker a "what did NATO say" question asks about), else with the one it overlaps
        most."""
        labelled = []
        for citation in citations:
            article = self.article_for(citation.article_id)
            if article is None or article.text[citation.start : citation.end] != citation.quote:
                labelled.append(citation)
                continue
            statements = self.statements(article)
            preferred = [s for s in statements if prefer(s)] if prefer is not None else []
            statement = None
            for pool in (preferred, statements):
                found = speaker_at(pool, citation.start, citation.end)
                if found is not None and _is_statement_of(citation, found):
                    statement = found
                    break
            if statement is not None:
                citation = replace(citation, speaker=statement.canonical)
            labelled.append(citation)
        return labelled


def _is_statement_of(citation: Citation, statement: Statement) -> bool:
    overlap = min(citation.end, statement.end) - max(citation.start, statement.start)
    whole = citation.start <= statement.start and statement.end <= citation.end
    return whole or overlap >= _MIN_SHARE * max(1, citation.end - citation.start)
