"""The shape shared by the passes that attribute a pattern's matches (speech verbs, "according
to"): each match outside a quotation, in text order, is handed to `attribute`."""

from __future__ import annotations

import re
from typing import ClassVar

from assistant.text.attribution.clauses import Clauses
from assistant.text.attribution.drafts import Drafts
from assistant.text.attribution.layout import Article
from assistant.text.attribution.phrases import Phrases


class MatchPass:
    """Attributes every match of `pattern` outside a quotation of one article."""

    pattern: ClassVar[re.Pattern[str]]

    def __init__(
        self, article: Article, phrases: Phrases, drafts: Drafts, clauses: Clauses
    ) -> None:
        self.article = article
        self.phrases = phrases
        self.drafts = drafts
        self.clauses = clauses

    def run(self) -> None:
        """Every match outside a quotation, in text order."""
        for match in self.pattern.finditer(self.article.text):
            if not self.article.inside[match.start()]:
                self.attribute(match.start(), match.end())

    def attribute(self, start: int, end: int) -> None:
        raise NotImplementedError
