"""Answers to "What did X say (about Y)?" from X's own statements first.

Retrieval finds the passages about Y, but the sentence that mentions Y best is often someone
else's statement about it ("What did the Kremlin say about an invasion?" is as well answered,
by words, by a British minister's "pretexts for invasion"). So the statements attributed to X
in the articles of the first passages are cut out as passages of their own (the sentences that
hold each statement), and the answerer reads those first; only when none of them answers is
the question answered from all the passages, as any other."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from assistant.answer.already_said import SaidBefore
from assistant.answer.base import ArticleTexts
from assistant.answer.word_overlap import cite_whole_quotations
from assistant.schema import Answer, Article, Passage
from assistant.text.attribution import Statement
from assistant.text.sentences import split_sentences
from assistant.text.tokens import tokenize

# "What did X say / tell / claim ... (about Y)?", "How did X respond to Y?", "What else did X
# say?".
_SAID_BY = re.compile(
    r"^\s*(?:and\s+|so\s+|but\s+)?(?:what(?:\s+else)?|how)\s+(?:did|does|do|has|have|had)\s+"
    r"(?P<speaker>.+?)\s+"
    r"(?:say|said|tell|told|claim(?:ed)?|announced?|stated?|argued?|warn(?:ed)?|think|thought|"
    r"repl(?:y|ied)|respond(?:ed)?|react(?:ed)?|comment(?:ed)?|accused?|call(?:ed)?|"
    r"described?|den(?:y|ied))\b",
    re.IGNORECASE,
)
# "What was X's response / reaction / position ...?"
_RESPONSE_OF = re.compile(
    r"^\s*(?:and\s+|so\s+|but\s+)?what\s+(?:was|is|were|are)\s+(?P<speaker>.+?)['’]s?\s+"
    r"(?:response|reaction|position|view|stance|comment|statement|reply|answer|message)s?\b",
    re.IGNORECASE,
)
# Speaker phrases that name nobody: the question's own pronouns and the groups the
# who-said-what view handles.
_NOBODY = re.compile(
    r"^(?:he|she|they|it|we|you|i|them|the (?:two |opposing |different |various )?"
    r"(?:sides?|parties|camps)|each side|both sides|(?:the )?articles?|(?:the )?reports?)$",
    re.IGNORECASE,
)

# "… about the troop withdrawal?", "… on Nord Stream 2?"
_ABOUT = re.compile(
    r"\s+(?:about|on|over|regarding|concerning)\s+(?P<topic>[^?]+?)[\s?.!]*$", re.IGNORECASE
)

ArticleFor = Callable[[str], Article | None]
StatementsIn = Callable[[Article], list[Statement]]
"""The attributed statements of an article (cached per article version: answer/speakers.py)."""


@dataclass(frozen=True)
class SpeakerQuestion:
    speaker: str  # as the question writes it: "Ukraine's military command"
    words: frozenset[str]  # its words as the index spells them (stemmed, stop words out)
    # What the question asks the speaker about, as the index spells it: "troop withdraw" for
    # "What did Putin say about the troop withdrawal?"; empty for "What did Putin say?".
    topic: frozenset[str] = frozenset()
    # The same as the question writes it after "about", "on" …: "the troop withdrawal" ("" when
    # the question words it otherwise).
    about: str = ""


def speaker_asked_about(question: str) -> SpeakerQuestion | None:
    """The speaker a "what did X say" question asks about; None for any other question."""
    match = _SAID_BY.match(question) or _RESPONSE_OF.match(question)
    if match is None:
        return None
    speaker = match.group("speaker").strip(" ,")
    words = frozenset(tokenize(speaker))
    if not words or _NOBODY.match(speaker):
        return None
    rest = question[match.end() :]
    about = _ABOUT.match(rest)
    return SpeakerQuestion(
        speaker,
        words,
        frozenset(tokenize(rest)) - words,
        about.group("topic").strip() if about else "",
    )


def is_said_by(statement: Statement, asked: SpeakerQuestion) -> bool:
    """Whether the statement's speaker is the one asked about: every word of the question's
    speaker is in the speaker's name as written or in its fullest form ("Putin" is
    "Vladimir Putin"; "Ukraine's military command" is not "Ukraine")."""
    names = set(tokenize(statement.canonical)) | set(tokenize(statement.speaker))
    return asked.words <= names


def statement_passages(
    question: str,
    passages: list[Passage],
    asked: SpeakerQuestion,
    *,
    article_for: ArticleFor,
    statements_in: StatementsIn,
    depth: int,
) -> list[Passage]:
    """The speaker's statements in the articles of the first `depth` passages, each as a
    passage of the sentences that hold it: those sharing most of the question's other words
    (its topic) first, then in the order of their articles and of the text. The answerer
    reads only its first few passages, and a speaker can be quoted a dozen times."""
    found: list[Passage] = []
    seen_articles: set[str] = set()
    for passage in passages[:depth]:
        if passage.article_id in seen_articles:
            continue
        seen_articles.add(passage.article_id)
        # One read of the article: its statements' offsets index this version's text.
        article = article_for(passage.article_id)
        if article is None:
            continue
        own = [s for s in statements_in(article) if is_said_by(s, asked)]
        if not own:
            continue
        text = article.text
        sentences = split_sentences(text)
        spans: list[tuple[int, int]] = []
        for statement in sorted(own, key=lambda s: s.start):
            inside = [s for s in sentences if s.end > statement.start and s.start < statement.end]
            if not inside:
                continue
            start, end = inside[0].start, inside[-1].end
            if spans and start < spans[-1][1]:  # one sentence holding two of the statements
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
        found.extend(
            replace(
                passage,
                chunk_id=f"{passage.chunk_id}#statement-{start}",
                text=text[start:end],
                start=start,
                end=end,
            )
            for start, end in spans
        )
    topic = set(tokenize(question)) - asked.words
    ordered = sorted(found, key=lambda p: -len(topic.intersection(tokenize(p.text))))
    return [replace(p, rank=number) for number, p in enumerate(ordered, start=1)]


def statements_answer(
    question: str,
    statements: list[Passage],
    *,
    article_texts: ArticleTexts,
    count: int,
    said: SaidBefore | None = None,
) -> Answer | None:
    """Asked what X said about nothing in particular ("What did Dana Reyes say?", "What else
    did she say?"): X's first `count` statements as `statement_passages` gives them, in the
    order of their articles and of the text, leaving out what the conversation already quoted.
    No model picks among them: X's words all answer, and a statement the text gives as "…,"
    she said" names no one the model could match to X (each citation's score is its passage's).
    None when no statement is left."""
    fresh: list[Passage] = []
    for passage in statements:
        # The same words in another article (a post quoted by two reports) are said once.
        quoted = SaidBefore([p.text for p in fresh])
        if (said and said.repeats(passage.text)) or quoted.repeats(passage.text):
            continue
        fresh.append(passage)
        if len(fresh) == count:
            break
    texts = article_texts(p.article_id for p in fresh)
    spans = [(p, p.start, p.end, p.score) for p in fresh if p.article_id in texts]
    if not spans:
        return None
    citations, parts = cite_whole_quotations(spans, texts)
    return Answer(question=question, text=" ".join(parts), citations=citations)
