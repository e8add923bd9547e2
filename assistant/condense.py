"""Follow-up questions without an LLM: carry the previous question's subject into the new one."""

from __future__ import annotations

import re

_TOPIC_AFTER = re.compile(r"\b(?:about|regarding|concerning)\s+(?P<topic>[^?]+)\??\s*$", re.I)
# "it", "that", "this", "them", "there" standing for a thing: at the end of the question or
# before punctuation ("say about it?", "react to that?"), not as a determiner ("that report").
_THING_PRONOUN = re.compile(r"\b(it|that|this|them|there)\b(?=\s*[?.!,]|\s*$)", re.I)
_PERSON_PRONOUN = re.compile(r"\b(he|she|him|his|her)\b", re.I)
_LEADING_CONTINUATION = re.compile(r"^\s*(and|also|what about|how about|and what about)\b", re.I)
_NAME = re.compile(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*")
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


def previous_user_question(history: list[dict[str, str]]) -> str | None:
    for message in reversed(history):
        if message.get("role") == "user" and str(message.get("content", "")).strip():
            return str(message["content"]).strip()
    return None


def _topic(question: str) -> str:
    match = _TOPIC_AFTER.search(question)
    if match:
        return match.group("topic").strip()
    words = re.sub(r"[?.!]", "", question).split()
    return " ".join(
        w for w in words if w not in _QUESTION_WORDS and w.lower() not in {"did", "say"}
    )


def _person(question: str) -> str | None:
    for match in _NAME.finditer(question):
        name = " ".join(w for w in match.group().split() if w not in _QUESTION_WORDS)
        if name:
            return name
    return None


def condense_question(question: str, history: list[dict[str, str]] | None) -> str:
    """A standalone form of `question`. When it leans on the conversation (a pronoun such as
    "it" or "he", or a leading "and ..."), the previous question's topic or person fills in."""
    question = question.strip()
    previous = previous_user_question(history or [])
    if not previous:
        return question
    topic = _topic(previous)
    person = _person(previous)
    result = question
    if _THING_PRONOUN.search(result) and topic:
        result = _THING_PRONOUN.sub(topic, result, count=1)
    if person and _PERSON_PRONOUN.search(result):
        result = _PERSON_PRONOUN.sub(
            lambda m: person + ("'s" if m.group(1).lower() in {"his", "her"} else ""),
            result,
            count=1,
        )
    short = len(re.findall(r"\w+", question)) <= 5
    if result == question and short and _LEADING_CONTINUATION.match(question) and topic:
        result = f"{question.rstrip('?')} {topic}?"
    return result
