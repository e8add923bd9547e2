"""The attribution pass over one article, step by step: lay the article out, collect its
names, attribute every speech verb and every "according to", then the paragraph statements,
then the quotations left over, and last resolve each speaker. The order matters: each step
leaves alone the quotations and spans an earlier one took."""

from __future__ import annotations

from assistant.text.attribution.according import According
from assistant.text.attribution.blocks import Blocks
from assistant.text.attribution.clauses import Clauses
from assistant.text.attribution.drafts import Drafts
from assistant.text.attribution.layout import Article
from assistant.text.attribution.leftover_quotes import LeftoverQuotes
from assistant.text.attribution.names import Names
from assistant.text.attribution.phrases import Phrases
from assistant.text.attribution.resolution import Resolver
from assistant.text.attribution.speech_verbs import SpeechVerbs
from assistant.text.attribution.statement import Statement


def extract_statements(text: str) -> list[Statement]:
    """Every statement in `text` that the rules can attribute, in text order."""
    article = Article(text)
    names = Names(article)
    phrases = Phrases(article, names)
    drafts = Drafts()
    clauses = Clauses(article, phrases, drafts)
    SpeechVerbs(article, phrases, drafts, clauses).run()
    According(article, phrases, drafts, clauses).run()
    blocks = Blocks(article, phrases, drafts)
    blocks.block_quotes()
    blocks.posts()
    LeftoverQuotes(article, phrases, names, drafts).run()
    return Resolver(article, names, drafts).resolve()
