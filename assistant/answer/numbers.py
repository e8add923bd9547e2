"""Numbers a question names, and sentences that give another one in their place.

"How are the 83 constituency MSPs chosen?" is not answered by "73 are elected to represent
constituencies", nor "What did the visits in 1973 and 1989 encourage?" by "His visits in 1979
and 1983 brought support ...": the sentence reads like the answer (the cross-encoder scores it
high), but it is about something else. A sentence contradicts the question when it lacks a
number the question names and gives another number of the same kind (a year for a year, a count
for a count) instead. A sentence with no number of that kind says nothing about it either way.

A number that says how many answers are asked for ("In what two age groups ...", "Name three
...") is no premise. A yes/no question is another matter: "Will the lagoon power 50,000 homes?"
is answered by the sentence that says 61,000.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?:st|nd|rd|th)?(?![\w])|\b[A-Za-z]+\b")
_WORDS = {
    # "one" is left out: "one of", "one way" rarely name a count.
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "hundred": "100",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
}
_YEAR = re.compile(r"^(?:1[0-9]|20)\d\d$")
_ANSWER_COUNT = re.compile(
    r"\b(?:what|which|name|list|give)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten)"
    r"\b(?=\s+[a-z])",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# A date says when something was published or happened, and the articles write dates in many
# ways ("Oct. 31", "31 October", "last Tuesday"): it is no number to hold a sentence to.
_DATE = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?\b"
    rf"|\b{_MONTH}\s+\d{{4}}\b",
    re.IGNORECASE,
)
# A question that asks for something: a question word first (after a preposition: "In what
# year ..."), or last ("... takes place at what time?").
_ASKS_WHAT = re.compile(
    r"^\W*(?:(?:in|on|at|for|from|by|with|to|of|during|since|under|after|before|between)\s+)?"
    r"(?:what|which|who|whom|whose|when|where|why|how)\b"
    r"|\b(?:what|which|who|whom|whose|when|where|why|how)(?:\s+\w+)?\W*$",
    re.IGNORECASE,
)
_YES_NO = re.compile(
    r"^\W*(?:and\s+|but\s+|so\s+)?(?:did|does|do|is|are|was|were|will|would|can|could|has|have|"
    r"had|should|may|might|must|shall)\b",
    re.IGNORECASE,
)


def _kind(number: str) -> str:
    if number.endswith(("st", "nd", "rd", "th")):
        return "ordinal"
    if _YEAR.match(number):
        return "year"
    if "." in number:
        return "decimal"
    return "count"


def numbers_in(text: str) -> dict[str, set[str]]:
    """The numbers of `text` by kind: years, counts, decimals, ordinals ("1,000" and "1000",
    "three" and "3" read alike)."""
    found: dict[str, set[str]] = {}
    for match in _NUMBER.finditer(text):
        token = match.group()
        if token[0].isalpha():
            word = _WORDS.get(token.lower())
            if word is None:
                continue
            token = word
        # "1,000" is a count, never the year 1000.
        kind = "count" if "," in token else _kind(token)
        found.setdefault(kind, set()).add(token.replace(",", ""))
    return found


def names_numbers_as_given(question: str) -> dict[str, set[str]]:
    """The numbers a question that asks for something takes as given ("How are the 83 MSPs
    chosen?"), dates aside; none for a yes/no question, which asks whether they are right
    ("Between the report of October 7 and ..., was there ...?" is one too)."""
    if _YES_NO.match(question) or not _ASKS_WHAT.search(question):
        return {}
    return numbers_in(_DATE.sub(" ", _ANSWER_COUNT.sub(" ", question)))


def contradicts(asked: dict[str, set[str]], sentence: str) -> bool:
    """Whether the sentence gives numbers of a kind the question names, none of them the
    question's."""
    if not asked:
        return False
    given = numbers_in(sentence)
    return any(kind in given and not numbers & given[kind] for kind, numbers in asked.items())


def holds(asked: dict[str, set[str]], sentence: str) -> bool:
    """Whether the sentence gives one of the numbers the question names."""
    given = numbers_in(sentence)
    return any(numbers & given.get(kind, set()) for kind, numbers in asked.items())


# "How many Ukrainian soldiers were ...": the thing counted, a plural noun after "how many"
# (names before it are adjectives: "Ukrainian").
_HOW_MANY = re.compile(r"\b[Hh]ow\s+many\s+(?:[A-Z][\w’'-]*\s+)*([a-z][a-z’'-]+)")
_PLURALS = {"people", "children", "men", "women", "police", "staff", "personnel", "cattle"}
_COUNT_WORDS = "|".join(w for w, n in _WORDS.items() if not n.endswith(("st", "nd", "rd", "th")))
# A count and the plural noun it counts, one word between at most ("two civilians", "61,000
# homes", "three Ukrainian soldiers").
_COUNTED = re.compile(
    rf"(?<![\w.,])(?:\d[\d,.]*|{_COUNT_WORDS}|dozens|hundreds|thousands)\s+(?:\S+\s+)?"
    r"([a-z][a-z’'-]*s|people|children|men|women)\b",
    re.IGNORECASE,
)


# Nouns that name no kind of thing: the sentence names what they stand for ("In how many
# places is oxygen stored?" / "its three main reservoirs"; "How many people attended?" /
# "40,000 fans").
_GENERIC = {
    "people",
    "persons",
    "individuals",
    "places",
    "ways",
    "types",
    "kinds",
    "sorts",
    "things",
    "times",
    "parts",
    "forms",
    "areas",
    "groups",
    "categories",
    "items",
    "steps",
    "stages",
    "methods",
    "members",
    "units",
    "pieces",
    "levels",
    "classes",
    "varieties",
    "aspects",
    "elements",
    "factors",
    "reasons",
    "sections",
    "components",
    "objects",
    "entities",
}


def counted_noun(question: str) -> str | None:
    """What a "how many" question counts ("soldiers"); None for any other question, when what
    follows "how many" is no plural noun ("How many of ..."), or names no kind of thing
    ("people", "places", "types")."""
    match = _HOW_MANY.search(question)
    if match is None:
        return None
    noun = match.group(1).lower()
    if noun in _GENERIC:
        return None
    return noun if noun in _PLURALS or (noun.endswith("s") and len(noun) > 3) else None


def _stem(word: str) -> str:
    # "kilometres" and "kilometers", "litres" and "liters" count the same thing.
    word = re.sub(r"tre(s?)$", r"ter\1", word.lower())
    for ending in ("ies", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


# Count nouns news uses for one thing: "How many jobs did Qualtrics cut?" is answered by "780
# roles are being eliminated".
_COUNTED_ALIKE = tuple(
    frozenset(_stem(word) for word in group.split())
    for group in (
        "jobs roles positions employees workers staff staffers",
        "deaths fatalities casualties lives",
        "homes houses households dwellings residences",
        "troops soldiers servicemen",
    )
)


def _counted_alike(stem: str) -> frozenset[str]:
    """The stems that count what `stem` counts: itself, and its kin in _COUNTED_ALIKE."""
    for group in _COUNTED_ALIKE:
        if stem in group:
            return group | {stem}
    return frozenset({stem})


def counts_something_else(question: str, sentence: str) -> bool:
    """Whether a "how many" question's best sentence never names what it counts and gives a
    count of something else instead ("How many soldiers were wounded?" and "... wounding two
    civilians")."""
    noun = counted_noun(question)
    if noun is None:
        return False
    stem = _stem(noun)
    stems = _counted_alike(stem)
    words = re.findall(r"[A-Za-z’'-]+", sentence)
    if any(word.lower().startswith(stem) or _stem(word) in stems for word in words):
        return False
    return any(_stem(m.group(1)) not in stems for m in _COUNTED.finditer(sentence))
