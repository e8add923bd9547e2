"""Follow-up questions without an LLM: a pronoun or an elliptical follow-up ("And Truss?") takes
the previous question's subject; a follow-up that names its own subject keeps it.

Also tells when a question only points back ("What did he say about it?") with nothing earlier
to point at, so that the assistant asks who or what is meant instead of guessing."""

from __future__ import annotations

import re

from assistant.answer import mentions
from assistant.answer.already_said import asks_for_more
from assistant.text.patterns import NAME_IN_QUESTION, SPEAKER_QUESTION
from assistant.text.tokens import tokenize

_TOPIC_AFTER = re.compile(r"\b(?:about|regarding|concerning)\s+(?P<topic>[^?]+)\??\s*$", re.I)
# "it", "that", "this", "them", "there" standing for a thing: at the end of the question or
# before punctuation ("say about it?", "react to that?"), not as a determiner ("that report").
_THING_PRONOUN = re.compile(r"\b(it|that|this|them|there)\b(?=\s*[?.!,]|\s*$)", re.I)
_PERSON_PRONOUN = re.compile(r"\b(he|she|him|his|her)\b", re.I)
# A pronoun that is the subject of the question itself ("what did he ..."), not of a clause
# inside it ("what did the minister say he would do").
_SUBJECT_PRONOUN = re.compile(
    r"\b(?:did|does|do|has|have|had|is|was|are|were|will|would|can|could|should|might)\s+"
    r"(he|she|they|it|(?:this|that)(?=\s+(?:happen|mean|matter|start|begin|end|come|change|"
    r"affect|cause|lead|take)\w*\b|\s*[?.!]*\s*$))\b",
    re.I,
)
# "... about them?" at the end of a question.
_ABOUT_THING = re.compile(
    r"\s+(?:about|on|regarding|concerning)\s+(?:it|that|this|them|those|these)(?=\s*[?.!]*\s*$)",
    re.I,
)
# A follow-up that only asks for more of the same ("Anything else?", "Tell me more."): the
# previous question again (the answer then leaves out what was already said).
_ONLY_MORE = re.compile(
    r"^\s*(?:(?:and|so|ok|okay)\s*,?\s+)?(?:anything|what|something|who|any)\s+(?:else|more)"
    r"(?:\s+(?:is there|was there))?[\s?.!]*$"
    r"|^\s*(?:please\s+)?(?:tell me|say) more[\s?.!]*$|^\s*more[\s?.!]*$",
    re.I,
)
# "Why?", "And when?": the previous question asked again with this question word.
_BARE_QUESTION_WORD = re.compile(
    r"^\s*(?:(?:and|but|so)\s*,?\s+)?(why|when|where|how|who)\s*[?.!]*\s*$", re.I
)
_OPENING_QUESTION_WORD = re.compile(r"^\s*(?:what|who|whom|when|where|why|how|which)\b\s*", re.I)
_YES_NO_OPENING = re.compile(
    r"^\s*(?:did|does|do|is|was|are|were|has|have|had|will|would|can|could|should)\b", re.I
)
# "What's the latest?", "Any updates?": news of the subject the conversation is on.
_LATEST_NEWS = re.compile(
    r"^\s*(?:(?:and|so|ok(?:ay)?)\s*,?\s+)?(?:(?:what['’]s|what\s+is)\s+the\s+"
    r"(?:latest|newest|most\s+recent)(?:\s+(?:news|update))?|any\s+(?:updates?|news|more\s+news))"
    r"\s*[?.!]*\s*$",
    re.I,
)
_LEADING_CONJUNCTION = re.compile(r"^\s*(?:and|also|but|so)\s+(?=\w)", re.I)
_ELLIPTICAL = re.compile(
    r"^\s*(?:(?:and|but|so)\s+)?(?:what|how)\s+about\s+(?P<about>.+?)[\s?.!]*$"
    r"|^\s*(?:and|also)\s+(?P<joined>.+?)[\s?.!]*$"
    r"|^\s*(?P<bare>.+?)[\s.!]*(?P<asked>\?)?[\s?.!]*$",
    re.I,
)
# Words that make a question a clause of its own rather than a fragment ("and the Kremlin?").
_CLAUSE_WORDS = frozenset(
    """what who whom whose when where why how which did does do is are was were has have had
    can could will would should say said says""".split()
)
_MAX_FRAGMENT_WORDS = 5
# "Which of them are from Fortune?", "How many of those were from The Verge?", "And from
# Fortune?": the articles of the list just given that one outlet published.
_OF_THEM_FROM = re.compile(
    r"^\s*(?:(?:and|so)\s+)?(?P<how>which|what|how\s+many)\s+of\s+(?:them|those|these)\s+"
    r"(?:are|were|is|was|came|come)\s+from\s+(?P<outlet>.+?)[\s?.!]*$"
    r"|^\s*(?:and|what\s+about|how\s+about)\s+(?:the\s+ones\s+|those\s+)?from\s+"
    r"(?P<outlet_only>.+?)[\s?.!]*$",
    re.I,
)
_SUBJECT = re.compile(
    r"\b(?:did|does|has|had|is|was)\s+(?P<subject>(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)"
)
# "the trial", "the company's fine": the thing a definite noun phrase names.
_DEFINITE_THING = re.compile(r"\b[Tt]he\s+(?P<thing>[a-z][\w-]*)")
_NAME_RUN = re.compile(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*")
_QUESTION_WORDS = {
    "What",
    "Who",
    "When",
    "Where",
    "Why",
    "How",
    "Which",
    "Did",
    "Does",
    "Is",
    "Are",
    "And",
}
_NOT_TOPIC = frozenset(
    "did does do say said this that it they them these those he she him her his".split()
)
# Words that carry no subject of their own: "what else did he say about it" asks nothing yet.
_GENERIC = frozenset(
    tokenize("say said says tell told think mean else happen react respond talk comment thing")
)


def previous_user_question(history: list[dict[str, str]]) -> str | None:
    for message in reversed(history):
        if message.get("role") == "user" and str(message.get("content", "")).strip():
            return str(message["content"]).strip()
    return None


def _topic(question: str) -> str:
    """What a question asks about, for a pronoun of the next one to stand for: its "about"
    phrase, else its words without the question words, pronouns and words that name nothing
    ("" for "When did this happen?")."""
    match = _TOPIC_AFTER.search(question)
    if match:
        return match.group("topic").strip()
    words = re.sub(r"[?.!()]", "", question).split()
    return " ".join(
        w
        for w in words
        if w not in _QUESTION_WORDS and w.lower() not in _NOT_TOPIC and tokenize(w) != ["happen"]
    )


def _person(question: str) -> str | None:
    speaker = SPEAKER_QUESTION.search(question)
    if speaker:
        return speaker.group("speaker")
    # "How many Fortune articles mention Taylor Swift?" is about her, not the outlet.
    asked = mentions.asks_about_mentions(question)
    if asked is not None and _NAME_RUN.fullmatch(asked.subject):
        return asked.subject
    for match in _NAME_RUN.finditer(question):
        name = " ".join(w for w in match.group().split() if w not in _QUESTION_WORDS)
        if name:
            return name
    return None


# "Is that true?", "Really?", "Can that be confirmed?": asks the articles to judge a claim.
_ASKS_IF_TRUE = re.compile(
    r"^\s*(?:(?:and|but|so|ok(?:ay)?)\s*,?\s+)?(?:"
    r"(?:is|was|are|were)\s+(?:that|this|it|they|these|those|the reports?|the claims?)\s+"
    r"(?:really\s+|actually\s+)?(?:true|right|correct|accurate|confirmed|so)|"
    r"really|"
    r"(?:can|could)\s+(?:that|this|it)\s+be\s+(?:true|confirmed|verified)"
    r")[\s?.!]*$",
    re.IGNORECASE,
)


def asks_if_true(question: str) -> bool:
    """Whether the question asks whether a claim is true, and nothing else: the articles tell
    who claims what, not which claim is right."""
    return bool(_ASKS_IF_TRUE.match(question))


def asks_for_news_of_nothing(question: str) -> bool:
    """Whether the question asks for the latest news without saying of what ("What's the
    latest?"): with nothing earlier to say it, there is nothing to search for."""
    return bool(_LATEST_NEWS.match(question))


def unresolved_reference(question: str) -> list[str]:
    """The pronouns of a question that only points back: its subject is "he", "she" or "they",
    or all it asks about is "it" or "that", and it names nobody. Empty when it has a subject."""
    if NAME_IN_QUESTION.search(question.strip()):
        return []
    subjects = [m.group(1) for m in _SUBJECT_PRONOUN.finditer(question)]
    people = [word for word in subjects if word.lower() != "it"]
    things = [word for word in subjects if word.lower() == "it"]
    things += [m.group(1) for m in _THING_PRONOUN.finditer(question)]
    if people:
        return list(dict.fromkeys(people + things))
    if things and not [t for t in tokenize(question) if t not in _GENERIC]:
        return list(dict.fromkeys(things))
    return []


def _fragment(question: str, *, reply: bool) -> str | None:
    """The subject of an elliptical follow-up ("And the Kremlin?", "What about Truss?",
    "Truss?"). With `reply` (the previous question pointed back at nothing, so the assistant
    asked) a bare "Stoltenberg" counts too; otherwise a bare phrase without a question mark is
    not taken for a question ("Thanks")."""
    match = _ELLIPTICAL.match(question)
    if not match:
        return None
    if match.group("bare") and not (reply or match.group("asked")):
        return None
    rest = (match.group("about") or match.group("joined") or match.group("bare") or "").strip()
    words = re.findall(r"[\w’'-]+", rest)
    if not words or len(words) > _MAX_FRAGMENT_WORDS:
        return None
    if any(word.lower() in _CLAUSE_WORDS for word in words):
        return None
    return rest


def _asked_again(previous: str, word: str) -> str:
    """ "Why?" after "Did Russia withdraw troops?": "Why did Russia withdraw troops?"; after
    "What did the British say?": "Why did the British say?"."""
    word = word.capitalize()
    if _YES_NO_OPENING.match(previous):
        return f"{word} {previous[0].lower()}{previous[1:]}"
    rest = _OPENING_QUESTION_WORD.sub("", previous, count=1)
    return f"{word} {rest}" if rest != previous else f"{word} {previous}"


def _fill_pronouns(question: str, previous: str, earlier: tuple[str, ...] = ()) -> str:
    topic = _topic(previous)
    person = _person_meant(question, (previous, *earlier))
    result = question
    if topic and _THING_PRONOUN.search(result):
        result = _THING_PRONOUN.sub(topic, result, count=1)
    if person and _PERSON_PRONOUN.search(result):
        result = _PERSON_PRONOUN.sub(lambda m: person + _possessive(m), result, count=1)
    return result


def _person_meant(question: str, asked: tuple[str, ...]) -> str | None:
    """The person a pronoun of `question` stands for: the one the latest of the questions
    `asked` (newest first) named, unless `question` names that person itself and the pronoun
    is no possessive ("What did Travis Kelce say about her?" is not about him; "What did
    Stoltenberg say about his army?" may be): then the one named before."""
    people = (person for person in map(_person, asked) if person)
    pronoun = _PERSON_PRONOUN.search(question)
    if pronoun is None or _possessive(pronoun):
        return next(people, None)
    named = set(tokenize(question))
    return next((p for p in people if not set(tokenize(p)) <= named), None)


def _possessive(pronoun: re.Match[str]) -> str:
    """ "'s" for "his" and for "her" before what it owns ("her plans"); not for "her" as an
    object ("say about her?")."""
    word = pronoun.group(1).lower()
    owns = re.match(r"\s*[\w’']", pronoun.string[pronoun.end() :]) is not None
    return "'s" if word == "his" or (word == "her" and owns) else ""


def _with_subject(previous: str, subject: str) -> str:
    """The previous question asked again about a new subject."""
    counted = mentions.with_subject(previous, subject)
    if counted is not None:
        return counted
    looks_like_subject = subject[0].isupper() or subject.lower().startswith(("the ", "a "))
    for pattern, group in ((SPEAKER_QUESTION, "speaker"), (_SUBJECT, "subject")):
        match = pattern.search(previous)
        if match and looks_like_subject:
            return previous[: match.start(group)] + subject + previous[match.end(group) :]
    return f"{previous.rstrip(' ?.!')}, {subject}?"


def _answer_to_clarification(previous: str, reply: str) -> str:
    """The previous question with its first unresolved pronoun replaced by the reply (the
    assistant asked who or what "he" or "it" meant, and this is the answer)."""
    pattern = _PERSON_PRONOUN if reply[0].isupper() else _THING_PRONOUN
    if not pattern.search(previous):
        pattern = _THING_PRONOUN if pattern is _PERSON_PRONOUN else _PERSON_PRONOUN
    if not pattern.search(previous):
        # "When did this happen?": the pronoun is the subject.
        subject = _SUBJECT_PRONOUN.search(previous)
        if subject:
            words = reply.split(maxsplit=1)
            if words[0] in {"The", "A", "An"}:  # "The troop withdrawal", now mid-sentence
                reply = reply[0].lower() + reply[1:]
            return previous[: subject.start(1)] + reply + previous[subject.end(1) :]
    return pattern.sub(reply, previous, count=1)


def _resolve(question: str, previous: str, earlier: tuple[str, ...] = ()) -> str:
    if _ONLY_MORE.match(question):
        return previous
    narrowed = _OF_THEM_FROM.match(question)
    if narrowed:
        outlet = narrowed.group("outlet") or narrowed.group("outlet_only")
        asked = mentions.asks_about_mentions(previous)
        how = (narrowed.group("how") or "").lower()
        listing = how in {"which", "what"} if how else not (asked and asked.counts)
        from_outlet = mentions.from_outlet(previous, outlet, listing=listing)
        if from_outlet is not None:
            return from_outlet
    bare = _BARE_QUESTION_WORD.match(question)
    if bare:
        return _asked_again(previous, bare.group(1))
    unresolved = bool(unresolved_reference(previous))
    fragment = _fragment(question, reply=unresolved)
    if fragment is not None:
        fragment = _fill_pronouns(fragment, previous, earlier)
        if unresolved:
            return _answer_to_clarification(previous, fragment)
        return _with_subject(previous, fragment)
    if asks_for_more(question):
        # "What else did he say about them?": the previous question's words would bring back
        # the very sentence its answer gave; who is asked about is enough.
        question = _ABOUT_THING.sub("", question)
    result = _fill_pronouns(question, previous, earlier)
    # "And what did Truss say?" asks a question of its own; the "and" only joins it on.
    if _LEADING_CONJUNCTION.match(result):
        rest = _LEADING_CONJUNCTION.sub("", result)
        result = rest[0].upper() + rest[1:]
    return result


def _in_the_story(question: str, previous: str, answer: str) -> str:
    """A question that names nothing but a thing the last exchange spoke of ("When did the
    trial start?" after an answer about Bankman-Fried's trial) is about that story: it is
    searched with the previous question's person or name beside it. A thing not spoken of
    ("the earthquake") starts a new subject and is left alone."""
    if NAME_IN_QUESTION.search(question):
        return question
    spoken_of = set(tokenize(f"{previous} {answer}"))
    things = [tokenize(m.group("thing")) for m in _DEFINITE_THING.finditer(question)]
    if not any(thing and thing[0] in spoken_of for thing in things):
        return question
    subject = _person(previous)
    # "Who disputed the separatists' claim?" after a question about the separatists in
    # Luhansk already names its subject.
    if not subject or set(tokenize(subject)) & set(tokenize(question)):
        return question
    return f"{question.rstrip(' ?.!')} ({subject})?"


def condense_question(question: str, history: list[dict[str, str]] | None) -> str:
    """A standalone form of `question`. A pronoun ("it", "he") takes the previous question's
    topic or person; an elliptical follow-up ("And the Kremlin?") asks the previous question
    about its new subject; a question that names its own subject keeps it, and one that names
    nothing but a thing the last exchange spoke of ("the trial") gets the previous question's
    person beside it. Earlier follow-ups are resolved first, so a chain of them keeps its
    thread."""
    question = question.strip()
    previous: str | None = None  # the last question, resolved
    thread: str | None = None  # the last one that asked about something
    asked: list[str] = []  # every question, resolved, newest first
    answer = ""
    for message in history or []:
        content = str(message.get("content", "")).strip()
        if message.get("role") == "user" and content:
            previous = _next(content, previous, thread, answer, tuple(asked))
            asked.insert(0, previous)
            # "When did this happen?" asks about nothing the next question's "it" could
            # stand for: the thread stays with the question before it.
            if thread is None or _topic(previous):
                thread = previous
            answer = ""
        elif message.get("role") == "assistant":
            answer = content
    return _next(question, previous, thread, answer, tuple(asked))


def _next(
    question: str, previous: str | None, thread: str | None, answer: str, asked: tuple[str, ...]
) -> str:
    """`question` resolved against the conversation so far: as the reply to a clarifying
    question when the previous one only pointed back and this one is a bare phrase, else
    against the thread."""
    question = question.strip()
    if previous and unresolved_reference(previous) and _fragment(question, reply=True):
        return _follow_up(question, previous, answer, asked)
    return _follow_up(question, thread, answer, asked) if thread else question


def _follow_up(question: str, previous: str, answer: str, asked: tuple[str, ...] = ()) -> str:
    if _LATEST_NEWS.match(question):
        # "What's the latest?": news of the conversation's subject, taken whole.
        topic = _topic(previous)
        return f"What's the latest on {topic}?" if topic else question
    return _in_the_story(_resolve(question, previous, asked), previous, answer)
