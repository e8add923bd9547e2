"""How many articles mention something, and which: "How many articles mention Taylor Swift?",
"Which outlets mentioned Nvidia?", "In how many reports is the Bletchley summit named?". A
relevance search answers such a question with its best passage and no count; the count is
exact instead, taken over every article the question's filters let through: an article
mentions the subject when one of its sentences has every word of it (in any form the
tokenizer folds together), and that sentence is its citation, so each counted article shows
where it says so. Copies of one story count once; the outlets are tallied."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import numpy as np

from assistant.answer.abstention import NOTHING_MORE_TEXT
from assistant.answer.already_said import SaidBefore
from assistant.answer.digest import passage_of
from assistant.answer.word_overlap import cite_whole_quotations
from assistant.index.lexical import LexicalIndex
from assistant.index.table import ChunkTable
from assistant.schema import Answer, Article, Passage, outlet_name
from assistant.text.sentences import split_sentences
from assistant.text.tokens import tokenize

_UNITS = (
    r"(?:news\s+)?(?:articles?|reports?|stories|story|pieces?|items?|outlets?|sources?|"
    r"publications?|sites?|websites?|newspapers?|papers?)"
)
_MENTION = (
    r"(?P<verb>mention(?:s|ed)?|refer(?:s|red)?\s+to|name[sd]?|cite[sd]?|feature[sd]?|"
    r"discuss(?:es|ed)?|cover(?:s|ed)?|report(?:s|ed)?\s+on|(?:are|were|is|was)\s+about|"
    r"(?:talk(?:s|ed)?|wr[io]te|write)\s+about)"
)
# Verbs of mentioning: the words themselves are asked about. The others ("cover", "report on")
# ask about a story, which articles tell in words of their own ("Altman's ouster" for "Sam
# Altman's firing"): counted by its words only when it is a name ("Taylor Swift").
_MENTIONING = re.compile(r"mention|refer|name|cite|feature|appear", re.IGNORECASE)
# "How many (of the) articles (from TechCrunch) mention X", "How many outlets reported on X",
# "How many articles are there about X", "In how many articles is X mentioned", "Which
# articles mention X", "How often is X mentioned", "How often do the articles mention X".
_ASKS = (
    re.compile(
        rf"^\s*(?P<how>how\s+many|which|what)\s+(?:different\s+)?(?:of\s+the\s+)?"
        rf"(?P<before>(?:[\w’'.&-]+\s+){{0,3}}?)(?P<unit>{_UNITS})"
        rf"(?P<between>(?:\s+[\w’'.&-]+){{0,6}}?)\s+"
        rf"(?:(?:have|had|has|do|did|does)\s+)?{_MENTION}\s+(?P<subject>.+?)[\s?.!]*$",
        re.IGNORECASE,
    ),
    re.compile(
        rf"^\s*(?P<how>how\s+many)\s+(?P<before>(?:[\w’'.&-]+\s+){{0,3}}?)(?P<unit>{_UNITS})"
        rf"(?P<between>(?:\s+[\w’'.&-]+){{0,6}}?)\s+"
        rf"(?:are|were)\s+there\s+(?:about|on|that\s+{_MENTION})\s+"
        rf"(?P<subject>.+?)[\s?.!]*$",
        re.IGNORECASE,
    ),
    re.compile(
        rf"^\s*in\s+(?P<how>how\s+many|which|what)\s+(?P<unit>{_UNITS})"
        rf"(?P<between>(?:\s+[\w’'.&-]+){{0,6}}?)\s+(?:is|was|are|were|does|do|did)\s+"
        rf"(?P<subject>.+?)\s+(?P<verb>mentioned|named|covered|discussed|cited|featured|"
        rf"appear)[\s?.!]*$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^\s*(?P<how>how\s+(?:often|many\s+times))\s+(?:is|was|are|were|do|does|did)\s+"
        r"(?P<subject>.+?)\s+(?P<verb>mentioned|named|cited|covered|discussed|appear)"
        r"[\s?.!]*$",
        re.IGNORECASE,
    ),
    # "Which outlet published the most about X?": the tally answers it, most first.
    re.compile(
        r"^\s*(?P<how>which|what)\s+(?P<unit>outlets?|sources?|publications?|sites?|"
        r"newspapers?|papers?)\s+(?:has\s+|have\s+)?"
        r"(?P<verb>published|wrote|ran|reported|covered|carried)\s+(?:the\s+)?most\s+"
        r"(?:(?:articles|stories|reports|pieces|news)\s+)?(?:about|on)\s+(?P<subject>.+?)"
        r"[\s?.!]*$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^\s*(?P<how>how\s+(?:often|many\s+times))\s+(?:do|does|did)\s+(?:the\s+)?"
        r"(?:articles|reports|outlets|they)\s+(?P<verb>mention|name|cite|refer\s+to)\s+"
        r"(?P<subject>.+?)[\s?.!]*$",
        re.IGNORECASE,
    ),
    # "When was X first mentioned?", "When was X last named?"
    re.compile(
        r"^\s*(?P<how>when)\s+(?:was|were|is|are)\s+(?P<subject>.+?)\s+"
        r"(?P<edge>first|last|most\s+recently)\s+"
        r"(?P<verb>mentioned|named|cited|reported|covered)[\s?.!]*$",
        re.IGNORECASE,
    ),
    # "When did the articles first mention X?"
    re.compile(
        r"^\s*(?P<how>when)\s+(?:did|do|does)\s+(?:the\s+)?(?:articles|reports|outlets|they)"
        r"\s+(?P<edge>first|last)\s+(?P<verb>mention|name|cite|report\s+on|write\s+about)\s+"
        r"(?P<subject>.+?)[\s?.!]*$",
        re.IGNORECASE,
    ),
)
# "Which article first mentioned X?": the earliest (or latest) of them, not a list.
_EDGE = re.compile(r"\b(?P<edge>first|earliest|last|latest|most\s+recent(?:ly)?)\b", re.I)
_OUTLET_UNIT = re.compile(
    r"outlets?|sources?|publications?|sites?|websites?|newspapers?|papers?", re.IGNORECASE
)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class MentionQuestion:
    """What a mentions question asks: its `subject`, whether it counts (how many) or lists
    (which), whether it counts outlets rather than articles, the words around the unit
    ("TechCrunch", "from TechCrunch"), where an outlet may be named, whether it asks how
    often ("How many times is X mentioned?": the sentences are counted too), and whether it
    asks for the first or last article that mentions it ("When was X first mentioned?")."""

    subject: str
    counts: bool
    outlets: bool
    where: str = ""
    times: bool = False
    edge: str = ""  # "first" or "last": which article that mentions it is asked for


def _mentions_match(question: str) -> tuple[re.Match[str], MentionQuestion] | None:
    """The match of a mentions question (against `question` with its spaces normalised) and
    what it asks; None for any other question."""
    text = " ".join(question.split())
    match = next((m for m in (p.match(text) for p in _ASKS) if m is not None), None)
    if match is None:
        return None
    asked = _what_is_asked(match)
    return (match, asked) if asked is not None else None


def asks_about_mentions(question: str) -> MentionQuestion | None:
    """The mentions question `question` is, or None."""
    found = _mentions_match(question)
    return found[1] if found is not None else None


def _what_is_asked(match: re.Match[str]) -> MentionQuestion | None:
    subject = _LEADING_ARTICLE.sub("", match.group("subject").strip(" “”\"'‘’"))
    # Only "How many articles are there about X" has no verb: it asks about a story.
    verb = match.group("verb") or "about"
    if not tokenize(subject) or not (_MENTIONING.match(verb) or _is_a_name(subject)):
        return None
    how = " ".join(match.group("how").lower().split())
    unit = match.groupdict().get("unit") or ""
    between = match.groupdict().get("between") or ""
    edge = match.groupdict().get("edge") or ""
    picked = _EDGE.search(between) if how in {"which", "what"} else None
    if picked:
        edge, between = picked.group("edge"), _EDGE.sub(" ", between)
    return MentionQuestion(
        subject=subject,
        counts=how.startswith("how"),
        outlets=bool(_OUTLET_UNIT.fullmatch(unit.split()[-1])) if unit else False,
        where=" ".join(
            part.strip() for part in (match.groupdict().get("before") or "", between)
        ).strip(),
        times=how in {"how often", "how many times"},
        edge="first" if edge.lower() in {"first", "earliest"} else ("last" if edge else ""),
    )


def with_subject(question: str, subject: str) -> str | None:
    """The mentions question asked again of another subject ("How many articles mention
    Travis Kelce?" for "And Travis Kelce?" after "… mention Taylor Swift?"); None when
    `question` is no mentions question."""
    found = _mentions_match(question)
    if found is None:
        return None
    match = found[0]
    text = match.string
    return f"{text[: match.start('subject')]}{subject}{text[match.end('subject') :]}"


def from_outlet(question: str, outlet: str, *, listing: bool) -> str | None:
    """The mentions question narrowed to an outlet's articles ("Which of them are from
    Fortune?" after "How many articles mention Taylor Swift?": "Which articles from Fortune
    mention Taylor Swift?"), listing them or counting them as the follow-up asks; None when
    `question` is no mentions question that names its articles."""
    found = _mentions_match(question)
    if found is None or not found[0].groupdict().get("unit"):
        return None
    match = found[0]
    text = match.string
    how = "which" if listing else "how many"
    asking = how.capitalize() if match.start("how") == 0 else how
    return (
        f"{text[: match.start('how')]}{asking}{text[match.end('how') : match.end('unit')]} "
        f"from {outlet}{text[match.end('unit') :]}"
    )


def _is_a_name(subject: str) -> bool:
    """Whether each word of `subject` that `tokenize` keeps starts with a capital or a digit
    ("Taylor Swift", "OpenAI", "UAW 2023"): a name, not a story told in common words ("Sam
    Altman's firing"). A name written with a small first letter ("iPhone") reads as a word."""
    words = [w for w in re.findall(r"[\w’'-]+", subject) if tokenize(w)]
    return bool(words) and all(w[0].isupper() or w[0].isdigit() for w in words)


@dataclass(frozen=True)
class Mention:
    """An article's first sentence that has every word of the subject, and how many of its
    sentences have them."""

    article: Article
    start: int
    end: int
    sentences: int = 1


def find_mentions(
    subject: str,
    lexical: LexicalIndex,
    table: ChunkTable,
    mask: np.ndarray,
    article: Callable[[str], Article | None],
) -> list[Mention]:
    """Every article among the table's rows that `mask` lets through with a sentence holding
    all of `subject`'s words, with its first such sentence and how many such sentences it has.
    Only chunks holding every word are read (a sentence lies inside one chunk)."""
    words = set(tokenize(subject))
    if not words or not table.chunk_ids:
        return []
    rows = mask.copy()
    for word in words:
        rows &= lexical.scores([word]) > 0
    chunks_of: dict[str, list[int]] = {}
    for row in np.flatnonzero(rows):
        chunks_of.setdefault(str(table.article_ids[row]), []).append(int(row))
    mentions: list[Mention] = []
    for article_id, chunk_rows in chunks_of.items():
        found = article(article_id)
        if found is None:
            continue
        # Chunks overlap by a sentence: a sentence is one mention however many hold it.
        spans = {
            span
            for row in chunk_rows
            for span in _sentences_with(
                found.text, int(table.starts[row]), int(table.ends[row]), words
            )
        }
        if spans:
            mentions.append(Mention(found, *min(spans), sentences=len(spans)))
    return mentions


def _sentences_with(text: str, start: int, end: int, words: set[str]) -> list[tuple[int, int]]:
    """The spans of the sentences of text[start:end] that have all of `words`."""
    window = text[start:end]
    return [
        (start + sentence.start, start + sentence.end)
        for sentence in split_sentences(window, max_chars=len(window) + 1)
        if words <= set(tokenize(window[sentence.start : sentence.end]))
    ]


def mentions_answer(
    question: str,
    asked: MentionQuestion,
    mentions: Iterable[Mention],
    group_of: dict[str, str],
    limit: int,
    said: SaidBefore | None = None,
) -> Answer:
    """The count (articles, stories, outlets, each outlet's articles) and the latest `limit`
    stories not quoted before, oldest first as a timeline reads. A story with copies is quoted
    once, from its earliest article, its citation naming the outlets of the others."""
    found = sorted(mentions, key=lambda m: (m.article.published_at or "", m.article.id))
    if not found:
        return no_mention(question, asked.subject)
    if asked.edge:
        return _edge_mention(question, asked, found)
    subject = f"“{asked.subject}”"
    stories: dict[str, list[Mention]] = {}
    for mention in found:
        stories.setdefault(group_of.get(mention.article.id, mention.article.id), []).append(mention)
    outlets = Counter(outlet_name(m.article.source) or "no outlet named" for m in found)
    unsaid = [
        members
        for members in stories.values()
        if not (said and said.repeats(members[0].article.text[members[0].start : members[0].end]))
    ]
    if said and not unsaid:
        return Answer(question=question, text=NOTHING_MORE_TEXT, abstained=True)
    quoted = unsaid[-limit:]
    spans = [_quoted(members) for members in quoted]
    texts = {members[0].article.id: members[0].article.text for members in quoted}
    citations, parts = cite_whole_quotations(spans, texts)
    count = _count_line(len(found), len(stories), outlets, subject, asked.outlets)
    if asked.times:
        sentences = counted(sum(m.sentences for m in found), "sentence")
        count = f"{subject} is mentioned in {sentences}. {count}"
    answer = Answer(question=question, text=" ".join([count, *parts]), citations=citations)
    if len(stories) > len(citations):
        which = "latest not quoted before" if said else "latest"
        unit = "articles" if len(stories) == len(found) else "stories"
        answer.period_note = (
            f"The {len(citations)} {which} of the {len(stories)} {unit} are quoted; “Tell me "
            "more” quotes earlier ones."
        )
    return answer


def _edge_mention(question: str, asked: MentionQuestion, found: list[Mention]) -> Answer:
    """The earliest (or latest) dated article among those that mention the subject, cited by
    its first mention. The earliest in the library, which is all the answer can say: the
    story may have been told before any article here."""
    subject = f"“{asked.subject}”"
    dated = [m for m in found if m.article.published_at]
    if not dated:
        return Answer(
            question=question,
            text=f"None of the {counted(len(found), 'article')} that mention {subject} has a "
            "publication date.",
            abstained=True,
        )
    mention = dated[0] if asked.edge == "first" else dated[-1]
    (citation,), _ = cite_whole_quotations(
        [
            (
                passage_of(mention.article, mention.start, mention.end),
                mention.start,
                mention.end,
                0.0,
            )
        ],
        {mention.article.id: mention.article.text},
    )
    which = "earliest" if asked.edge == "first" else "latest"
    among = (
        f"The {which} of the {counted(len(found), 'article')} that mention {subject}"
        if len(found) > 1
        else f"The only article that mentions {subject}"
    )
    outlet = mention.article.source or "an article with no outlet named"
    day = (mention.article.published_at or "")[:10]
    return Answer(
        question=question,
        text=f"{among} is {outlet}'s “{mention.article.title}” of {day}: {citation.quote} [1]",
        citations=[citation],
    )


def _quoted(members: list[Mention]) -> tuple[Passage, int, int, float]:
    """The span to cite for a story: its earliest article's mention; the outlets of its copies
    are the citation's "also published by"."""
    first = members[0]
    copies = tuple(dict.fromkeys(m.article.source for m in members[1:] if m.article.source))
    passage = replace(passage_of(first.article, first.start, first.end), also_published_by=copies)
    return passage, first.start, first.end, 0.0


def _count_line(
    articles: int, stories: int, outlets: Counter[str], subject: str, by_outlet: bool
) -> str:
    """ "12 articles from 5 outlets mention “Nvidia”: TechCrunch 5, The Verge 3, …" """
    in_articles = counted(articles, "article")
    from_outlets = counted(len(outlets), "outlet")
    if by_outlet:
        verb = "mentions" if len(outlets) == 1 else "mention"
        lead = f"{from_outlets} {verb} {subject}, in {in_articles}"
    else:
        verb = "mentions" if articles == 1 else "mention"
        lead = f"{in_articles} from {from_outlets} {verb} {subject}"
    copies = articles - stories
    if copies:
        are = "is a copy" if copies == 1 else "are copies"
        lead += f" ({counted(stories, 'story', 'stories')}: {copies} {are} of another's)"
    tally = ", ".join(f"{outlet} {count}" for outlet, count in outlets.most_common())
    return f"{lead}: {tally}."


def counted(count: int, one: str, many: str | None = None) -> str:
    """ "1 article", "3 articles", "2 stories" (`many` when the plural is not `one` + "s")."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def no_mention(question: str, subject: str) -> Answer:
    """The answer when no article in scope mentions `subject`."""
    return Answer(
        question=question,
        text=f"No article mentions “{subject}” (all of its words in one sentence).",
        abstained=True,
    )
