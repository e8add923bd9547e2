"""Words for matching: one tokenizer (lower case, stop words out, stemmed) for BM25, query
analysis and answer scoring."""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
# Short English stop-word list: function words only, so that names, numbers and verbs survive.
STOPWORDS = frozenset(
    """a an the and or but if then else of to in on at by for with from into onto over under about
    as is are was were be been being am do does did doing have has had having it its it's this
    that these those there here what which who whom whose when where why how i me my we our you
    your he him his she her they them their not no nor so than too very can could should would
    will shall may might must just also any all some such only own same s t""".split()
)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


# British and American spellings of words that news often uses, folded to one form.
_SPELLING = {
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "pretence": "pretense",
    "centre": "center",
    "theatre": "theater",
    "programme": "program",
    "labour": "labor",
    "favour": "favor",
    "honour": "honor",
    "neighbour": "neighbor",
    "behaviour": "behavior",
    "rumour": "rumor",
    "harbour": "harbor",
    "colour": "color",
    "armour": "armor",
    "neighbouring": "neighboring",
    "organisation": "organization",
    "organise": "organize",
    "criticise": "criticize",
    "recognise": "recognize",
    "mobilise": "mobilize",
    "authorise": "authorize",
    "apologise": "apologize",
    "emphasise": "emphasize",
}


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-words dropped, Snowball-stemmed; numbers lose thousands separators
    so that "150,000" and "150000" match."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(text.lower()):
        word = match.group().replace("’", "'")
        if word[0].isdigit():
            tokens.append(word.replace(",", ""))
        elif word not in STOPWORDS:
            word = word.removesuffix("'s")
            tokens.append(_stem(_SPELLING.get(word, word)))
    return tokens
