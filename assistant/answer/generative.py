"""Generative answers: any LangChain chat model writes the answer from numbered passages, then
every [n] and every quote is checked (answer/grounding.py) before the Answer is returned.

When the model cannot answer (server down, timeout, model missing, context too long) the
extractive answer is returned instead, headed by a one-line reason: never a traceback."""

from __future__ import annotations

import copy
import logging
import re
import time
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from langchain_core.prompts import ChatPromptTemplate

from assistant.answer.base import Answerer, ArticleTexts
from assistant.answer.condense import condense_question
from assistant.answer.grounding import check_answer
from assistant.answer.word_overlap import ABSTAIN_TEXT
from assistant.errors import LLMUnavailableError
from assistant.llm.backends import describe, make_chat_model
from assistant.schema import Answer, Passage
from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel


log = logging.getLogger(__name__)

ABSTAIN_SENTENCE = "The passages do not contain the answer."
HISTORY_TURNS = 6  # the last few messages are enough to resolve "he" or "it"


@lru_cache(maxsize=4)
def load_prompt(name: str) -> ChatPromptTemplate:
    """NAME.system.txt + NAME.user.txt (package data in assistant/prompts) as a LangChain chat
    prompt template."""
    folder = resources.files("assistant.prompts")
    system = folder.joinpath(f"{name}.system.txt").read_text(encoding="utf-8")
    user = folder.joinpath(f"{name}.user.txt").read_text(encoding="utf-8")
    return ChatPromptTemplate.from_messages([("system", system), ("human", user)])


def format_already_said(said: Sequence[str]) -> str:
    """The earlier answers a "what else" follow-up must not repeat, for the prompt (or "")."""
    if not said:
        return ""
    lines = "\n".join(f"- {_fence(' '.join(answer.split()))}" for answer in said)
    return (
        "\nAlready said earlier in this conversation (answer with what else the passages say; "
        f"do not repeat it):\n{lines}\n"
    )


def _fence(text: str) -> str:
    # An article must not be able to close its own delimiter and speak outside it.
    return re.sub(r"</?\s*passage\s*>", "(passage tag removed)", text, flags=re.IGNORECASE)


def format_passages(passages: list[Passage]) -> str:
    blocks = []
    for n, p in enumerate(passages, start=1):
        meta = " | ".join(
            part
            for part in (f"Title: {p.title}", f"Outlet: {p.source}", f"Date: {p.published_at}")
            if not part.endswith(": ") and not part.endswith("None")
        )
        blocks.append(f"[{n}] {meta}\n<passage>\n{_fence(p.text)}\n</passage>")
    return "\n\n".join(blocks)


def format_history(history: list[dict[str, str]]) -> str:
    lines = []
    for message in history[-HISTORY_TURNS:]:
        role = "User" if message.get("role") == "user" else "Assistant"
        content = " ".join(str(message.get("content", "")).split())[:600]
        lines.append(f"{role}: {content}")
    return "\n".join(lines)


def failure_reason(exc: BaseException, settings_description: str, timeout_s: float) -> str:
    """A one-line, user-facing reason for an LLM failure."""
    name = type(exc).__name__
    text = str(exc)
    lowered = f"{name} {text}".lower()
    if isinstance(exc, LLMUnavailableError):
        return str(exc)
    if "timeout" in lowered or "timed out" in lowered:
        return f"the language model ({settings_description}) timed out after {timeout_s:g} s"
    if "context" in lowered and ("length" in lowered or "exceed" in lowered or "window" in lowered):
        return f"the passages are too long for the model's context window ({settings_description})"
    if "connect" in lowered or "refused" in lowered or isinstance(exc, ConnectionError):
        return f"the language model server is not reachable ({settings_description})"
    if "not found" in lowered or "notfound" in lowered or "404" in lowered:
        return f"the model was not found ({settings_description})"
    return f"the language model failed ({settings_description}): {name}: {text[:200]}"


def fallback_note(reason: str) -> str:
    return f"(Generative answer unavailable: {reason}. Showing the extractive answer instead.)"


class GenerativeAnswerer:
    """Answerer backed by a chat model chosen by settings. `fallback` (the extractive answerer)
    answers when the model can't, and when there is nothing to read."""

    def __init__(
        self,
        settings: Settings,
        *,
        article_texts: ArticleTexts,
        fallback: Answerer,
        model: BaseChatModel | None = None,
    ) -> None:
        self.settings = settings
        self.article_texts = article_texts
        self.extractive = fallback
        self._model = model
        self.answer_prompt = load_prompt("answer_with_citations")
        self.condense_prompt = load_prompt("condense_follow_up")
        self.said: tuple[str, ...] = ()

    @property
    def model(self) -> BaseChatModel:
        if self._model is None:
            self._model = make_chat_model(self.settings)
        return self._model

    def messages(self, question: str, passages: list[Passage]) -> list[Any]:
        return self.answer_prompt.format_messages(
            passages=format_passages(passages),
            question=question,
            abstain_sentence=ABSTAIN_SENTENCE,
            already_said=format_already_said(self.said),
        )

    def excluding(self, said: Sequence[str]) -> GenerativeAnswerer:
        """This answerer for a follow-up that asks for more: the model is shown what the
        conversation's earlier answers said, and the extractive fallback quotes none of it."""
        narrowed = copy.copy(self)
        narrowed.said = tuple(said)
        excluding = getattr(self.extractive, "excluding", None)
        if callable(excluding):
            narrowed.extractive = excluding(said)
        return narrowed

    def _shown(self, passages: list[Passage]) -> list[Passage]:
        return passages[: max(1, self.settings.llm_passages)]

    # Answerer protocol
    def answer(self, question: str, passages: list[Passage]) -> Answer:
        final = None
        for final in self.stream(question, passages):  # noqa: B007 (the last one is the answer)
            pass
        assert final is not None
        return final

    def stream(self, question: str, passages: list[Passage]) -> Iterator[Answer]:
        if not passages:
            yield self.extractive.answer(question, passages)
            return
        shown = self._shown(passages)
        began = time.perf_counter()
        text = ""
        try:
            for chunk in self.model.stream(self.messages(question, shown)):
                piece = chunk.content if isinstance(chunk.content, str) else ""
                if not piece:
                    continue
                text += piece
                yield Answer(question=question, text=text, complete=False)
        except Exception as exc:  # any backend error -> the extractive answer, never a traceback
            yield self._fallback(question, passages, exc)
            return
        generate_ms = (time.perf_counter() - began) * 1000
        answer = self.finish(question, text, shown)
        answer.timings["generate_ms"] = generate_ms
        yield answer

    def finish(self, question: str, text: str, passages: list[Passage]) -> Answer:
        """Check the model's raw text and build the complete Answer."""
        # Small models echo the prompt's delimiters; they are never part of an answer.
        text = re.sub(r"</?\s*passage\s*>", " ", text, flags=re.IGNORECASE).strip()
        if not text or _is_abstention(text):
            return Answer(
                question=question, text=ABSTAIN_TEXT, abstained=True, related=passages[:3]
            )
        texts = self.article_texts(p.article_id for p in passages)
        checked = check_answer(text, passages, texts)
        if checked.invalid_markers:
            log.info("dropped citations to missing passages: %s", checked.invalid_markers)
        return Answer(
            question=question,
            text=checked.text,
            citations=checked.citations,
            unsupported=checked.unsupported,
        )

    def condense(self, question: str, history: list[dict[str, str]]) -> str:
        """The follow-up rewritten as a standalone question; the rule-based rewrite on failure."""
        if not history:
            return question
        try:
            messages = self.condense_prompt.format_messages(
                history=format_history(history), question=question
            )
            raw = str(self.model.invoke(messages).content)
        except Exception as exc:
            log.warning("condense failed, using the rule-based rewrite: %s", exc)
            return condense_question(question, history)
        line = next((ln.strip() for ln in raw.splitlines() if ln.strip()), "")
        line = re.sub(r"^(standalone question|question)\s*:\s*", "", line, flags=re.I)
        line = line.strip(" \"'“”")
        if not line or len(line) > 4 * len(question) + 200:
            return condense_question(question, history)
        return line

    def _fallback(self, question: str, passages: list[Passage], exc: BaseException) -> Answer:
        reason = failure_reason(exc, describe(self.settings), self.settings.llm_timeout_s)
        log.warning("generative answer failed, falling back to extractive: %s", reason)
        answer = self.extractive.answer(question, passages)
        answer.text = f"{fallback_note(reason)}\n\n{answer.text}"
        return answer


def _is_abstention(text: str) -> bool:
    head = " ".join(text.lower().split())[:200]
    return head.startswith(ABSTAIN_SENTENCE.lower().rstrip(".")) or (
        "do not contain the answer" in head and not re.search(r"\[\d+\]", head)
    )
