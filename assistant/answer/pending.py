"""Events a sentence reports as still to come, and questions about how they turned out.

News is often written before the event: "The OSCE mission is expected to present its assessment
later Thursday", "Lavrov said Moscow would send its official response later Thursday", "Wallace
said ahead of a NATO meeting on Thursday". Such a sentence names what a question like "What did
the OSCE mission conclude in its assessment?" or "What decisions were taken at the NATO meeting?"
asks about (the cross-encoder scores it high), yet it cannot answer it: when it was written,
the assessment, the response, the meeting had not happened.

A sentence is about a pending event when, leaving out what it quotes (a speaker's own words are
their claim, not the sentence's event; a sentence split out of a quotation has its quoted words
up to the closing mark), it looks ahead ("is expected to", "will", "would", "ahead of", "later
Thursday", "plans to", "yet to") and reports nothing done: no verb in the past tense but a
reporting one ("said", "told"). A question asks how something turned out when it is a
wh-question in the past or perfect tense ("What did ... conclude", "What decisions were taken",
"Who won", "What has ... decided") that does not itself look ahead ("What did he say Moscow
would do?" and "How many homes was it said to power?" ask about the plan, and the sentence that
states it answers them).
"""

from __future__ import annotations

import re

_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_LOOKS_AHEAD = re.compile(
    r"\b(?:"
    r"(?:is|are|was|were)\s+(?:expected|due|set|scheduled|slated|poised|going)\s+to"
    r"|will|would|shall"
    r"|(?:plans?|planned|intends?|intended|aims?)\s+to"
    r"|ahead\s+of|yet\s+to|upcoming|forthcoming"
    rf"|later\s+(?:today|tonight|this\s+(?:week|month|year)|(?:on\s+)?{_WEEKDAY})"
    r")\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
# Verbs that report what someone said: the event of such a sentence is what they say.
_REPORTING = {
    "said",
    "told",
    "added",
    "announced",
    "stated",
    "noted",
    "warned",
    "claimed",
    "reported",
    "wrote",
    "insisted",
    "argued",
    "explained",
    "confirmed",
    "suggested",
}
# Participles of the look-ahead itself ("is expected to", "was scheduled to"): no past event.
_LOOK_AHEAD_PARTICIPLES = {"expected", "scheduled", "planned", "intended", "slated", "poised"}
_IRREGULAR_PAST = {
    "was",
    "were",
    "had",
    "did",
    "took",
    "made",
    "gave",
    "went",
    "came",
    "saw",
    "seen",
    "won",
    "lost",
    "met",
    "held",
    "left",
    "began",
    "begun",
    "fought",
    "sent",
    "hit",
    "struck",
    "built",
    "found",
    "chose",
    "chosen",
    "kept",
    "led",
    "paid",
    "sold",
    "bought",
    "brought",
    "taken",
    "given",
    "done",
    "fell",
    "rose",
    "grew",
    "shot",
}
# "was" and "were" before "expected to" / "due to" are the look-ahead itself.
_LOOK_AHEAD_BE = re.compile(
    r"\b(?:was|were)\s+(?=(?:expected|due|set|scheduled|slated|poised|going)\s+to\b)",
    re.IGNORECASE,
)
# Words that end in "ed" but are no past tense.
_NOT_PAST = {"hundred", "indeed", "need", "speed", "proceed", "exceed", "succeed", "embed", "shed"}
_ASKS_WHAT_WAS_SAID = re.compile(
    r"\b(?:say|says|said|tell|told|claim|claimed|call|called|describe|described|warn|warned|"
    r"accuse|accused|announce|announced|state|stated|comment|commented)\b",
    re.IGNORECASE,
)
_QUOTE_MARK = re.compile(r"[“”\"]")
# "What did <sayer> say/tell/claim ...": who is asked about.
_SAYER = re.compile(
    r"\b(?:what|how)\s+(?:did|does|do|has|have|had)\s+(?P<sayer>.+?)\s+(?:\w+ly\s+)?"
    r"(?:say|tell|claim|call|describe|warn|accuse|announce|state|comment)\b",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"\w['’]s\b|s['’](?=\s)")
# "would be published", "will be held": the participle is part of what is to come.
_TO_BE_DONE = re.compile(r"\bbe\s+[A-Za-z]+", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")
_WH = r"^\s*(?:what|which|who|whom|whose|how|when|where|why)\b"
_WH_PAST = re.compile(_WH + r".*\b(?:did|was|were|had|has|have)\b", re.IGNORECASE)
_WH_VERB = re.compile(_WH + r"\s+([A-Za-z]+)", re.IGNORECASE)
# "How many homes was the lagoon said to power?" asks about the plan.
_ASKS_ABOUT_PLAN = re.compile(r"\b(?:said|supposed|meant|designed)\s+to\b", re.IGNORECASE)


def asks_how_it_turned_out(question: str) -> bool:
    """A wh-question in the past or perfect tense ("What did ...", "Who won ...") that does
    not itself look ahead."""
    if _LOOKS_AHEAD.search(question) or _ASKS_ABOUT_PLAN.search(question):
        return False
    verb = _WH_VERB.match(question)
    return bool(_WH_PAST.match(question)) or (verb is not None and _is_past(verb.group(1)))


def _is_past(word: str) -> bool:
    lower = word.lower()
    if lower in _NOT_PAST:
        return False
    return lower in _IRREGULAR_PAST or (len(lower) > 4 and lower.endswith("ed"))


def reports_pending(sentence: str) -> bool:
    """Whether the sentence, its quotations left out, looks ahead and reports nothing done."""
    narrative = _QUOTED.sub(" ", sentence)
    # A sentence split out of a quotation: its words up to the closing mark are quoted too.
    if "”" in narrative:
        narrative = narrative[narrative.rindex("”") + 1 :]
    if "“" in narrative:
        narrative = narrative[: narrative.index("“")]
    if not _LOOKS_AHEAD.search(narrative):
        return False
    narrative = _TO_BE_DONE.sub(" ", _LOOK_AHEAD_BE.sub(" ", narrative))
    for match in _WORD.finditer(narrative):
        word = match.group()
        lower = word.lower()
        if lower in _REPORTING or lower in _LOOK_AHEAD_PARTICIPLES:
            continue
        if word[0].isupper() and match.start() > 0:
            continue  # a name ("United States")
        if _is_past(word):
            return False
    return True


def answers_too_early(question: str, sentence: str) -> bool:
    """The question asks how something turned out, and the sentence only says it is to come.
    A question about what someone said is answered by the words a sentence quotes, whenever
    the sentence says they were spoken; and "What did Lavrov say?" by the sentence reporting
    what he said ("Lavrov said Moscow would send its response"), though not "What did Lavrov's
    response say?": that asks what a thing to come holds."""
    if _ASKS_WHAT_WAS_SAID.search(question) and _QUOTE_MARK.search(sentence):
        return False
    sayer = _SAYER.search(question)
    if sayer and not _POSSESSIVE.search(sayer.group("sayer")) and _reports_speech(sentence):
        return False
    return asks_how_it_turned_out(question) and reports_pending(sentence)


def _reports_speech(sentence: str) -> bool:
    return any(word.lower() in _REPORTING for word in _WORD.findall(sentence))
