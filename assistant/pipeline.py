"""The question path, read top to bottom in `QuestionPipeline`: validate -> condense (follow-ups
resolved, misspelt names corrected) -> retrieve (hybrid search; the clause rerank is its last
stage) -> answer -> verify citations. A question that only points back at nothing gets a
clarifying question instead of a search; inside a filter, an abstention says which filter, and
one the filter alone explains is decided before any answerer runs. `AnswerChain` is the thin
LangChain Runnable over it: invoke, stream, batch (and their async twins).

Input: {"question": str, "history": [{"role", "content"}, ...], "filters": {...}} or a plain
string. Output: an Answer. `stream` yields growing Answers (complete=False) and ends with the
same Answer `invoke` returns (complete=True, citations verified)."""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from langchain_core.runnables import Runnable, RunnableConfig, RunnableGenerator, RunnableLambda

from assistant.answer import abstention
from assistant.answer.already_said import SaidBefore, already_said
from assistant.answer.article_details import (
    SUBJECT_PASSAGES,
    asks_for_details,
    details_answer,
    which_article,
)
from assistant.answer.base import Answerer
from assistant.answer.by_speaker import asks_who_said_what, by_speaker_answer
from assistant.answer.condense import (
    asks_for_news_of_nothing,
    asks_if_true,
    condense_question,
    unresolved_reference,
)
from assistant.answer.digest import SUMMARY_SENTENCES, article_summary, digest_answer
from assistant.answer.layout import (
    as_timeline,
    asks_about_time,
    asks_by_outlet,
    asks_for_edge,
    by_outlet_answer,
    column_outlets,
    coverage_topic,
    edge_article_answer,
)
from assistant.answer.mentions import (
    Mention,
    MentionQuestion,
    asks_about_mentions,
    find_mentions,
    mentions_answer,
)
from assistant.answer.missing_outlets import missing_outlets
from assistant.answer.names import (
    NameSpeller,
    as_phrases,
    correct_names,
    names_outside_scope,
    unknown_names,
)
from assistant.answer.quoted_most import asks_who_is_quoted, quoted_most_answer
from assistant.answer.said_by import (
    SpeakerQuestion,
    is_said_by,
    speaker_asked_about,
    statement_passages,
    statements_answer,
)
from assistant.answer.speakers import CitationSpeakers
from assistant.answer.story_timeline import asks_for_a_story_timeline, story_timeline_answer
from assistant.answer.verify import verify_citations
from assistant.errors import CitationMismatchError, QuestionError
from assistant.index.article_index import ArticleIndex
from assistant.index.lexical import LexicalIndex
from assistant.index.table import ChunkTable, filter_mask
from assistant.retrieval.clauses import source_mask
from assistant.retrieval.report_dates import anchored_period
from assistant.retrieval.search import HybridSearcher
from assistant.schema import Answer, Article, Passage, SearchFilter
from assistant.settings import Settings
from assistant.text.attribution import Statement
from assistant.text.question_analysis import (
    QueryAnalysis,
    SourceMatcher,
    analyse_question,
    asks_for_a_summary,
    asks_for_the_news,
    publication_period,
)
from assistant.text.question_dates import DateRange, without_period
from assistant.text.relative_days import named_days
from assistant.text.tokens import tokenize


def parse_input(value: Any) -> tuple[str, list[dict[str, str]], SearchFilter]:
    if isinstance(value, str):
        return value, [], SearchFilter()
    if not isinstance(value, dict):
        raise QuestionError(
            "chain input must be a question string or {'question': ..., 'history': [...]}"
        )
    history = list(value.get("history") or [])
    filters = value.get("filters")
    if not isinstance(filters, SearchFilter):
        filters = SearchFilter.from_dict(filters)
    return str(value.get("question") or ""), history, filters


def validate_question(question: str, max_chars: int) -> str:
    question = question.strip()
    if not question:
        raise QuestionError("The question is empty: ask something about the articles.")
    if len(question) > max_chars:
        raise QuestionError(
            f"The question is {len(question):,} characters long; questions can be up to "
            f"{max_chars:,}. Ask a shorter question."
        )
    return question


@dataclass
class Prepared:
    """A question made ready to answer. `early` is an answer decided before any answerer runs:
    a clarifying question, or an abstention that the filter alone explains."""

    question: str
    standalone: str
    filters: SearchFilter
    passages: list[Passage] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    corrections: dict[str, str] = field(default_factory=dict)
    early: Answer | None = None
    # Whether the question asks outlet by outlet is asked twice on the streaming path (stream
    # or not, then compose): the analysis is kept here after the first time.
    outlet_columns: tuple[QueryAnalysis, SourceMatcher] | None = None
    outlet_columns_known: bool = False
    # The publication period the question itself names; it is part of `filters`.
    period: DateRange | None = None
    # Set when the caller passed a filter (the period aside).
    caller_filtered: bool = False
    # Earlier answers that a follow-up asking for more ("what else ...") must not repeat, and
    # the answerer told them (made once, on first use: every answer stage asks for it).
    said: tuple[str, ...] = ()
    answerer: Answerer | None = None
    # The report that set `period` ("after The Verge's report on the verdict"), if one did.
    anchor: Passage | None = None
    # Outlets the question names that the library has no article from.
    outlets_not_in_library: list[str] = field(default_factory=list)


# A subject that ends with where it was published: "OpenAI in TechCrunch".
_PLACED_IN = re.compile(r"^(?P<subject>.+?)\s+(?:in|from|by|at|on)\s+(?P<outlet>.+?)$")


class QuestionPipeline:
    """history -> standalone question (names spelt as the articles spell them) -> hybrid
    retrieval -> answer -> verified citations. Receives its parts; knows nothing of the
    Assistant that made them."""

    def __init__(
        self,
        settings: Settings,
        *,
        index: ArticleIndex,
        searcher: HybridSearcher,
        answerer: Answerer,
    ) -> None:
        self.settings = settings
        self.index = index
        self.searcher = searcher
        self.answerer = answerer
        self._speller_lock = threading.Lock()
        self._speller: tuple[LexicalIndex, NameSpeller] | None = None
        self.speakers = CitationSpeakers(index.article, index.registry.stored_statements)

    def standalone_question(self, question: str, history: list[dict[str, str]] | None) -> str:
        """The question with its follow-up references resolved: by the answerer's own
        condense step when it has one (an LLM), else by rule."""
        condense = getattr(self.answerer, "condense", None)
        if condense is not None and history:
            return str(condense(question, history))
        return condense_question(question, history)

    def _name_speller(self, lexical: LexicalIndex) -> NameSpeller:
        # Built from every chunk's text, once per published index (a new one brings new names).
        with self._speller_lock:
            if self._speller is None or self._speller[0] is not lexical:
                rows = self.index.registry.all_chunks()
                self._speller = (lexical, NameSpeller.from_texts(r.indexed_text for r in rows))
            return self._speller[1]

    def prepare(self, value: Any) -> Prepared:
        """Every stage before the answer: validate, condense, correct names, retrieve."""
        question, history, filters = parse_input(value)
        question = validate_question(question, self.settings.max_question_chars)
        timings: dict[str, float] = {}
        began = time.perf_counter()
        standalone = self.standalone_question(question, history)
        lexical, table = self.index.snapshot()
        standalone, corrections = correct_names(
            standalone, lexical, lambda: self._name_speller(lexical)
        )
        timings["condense_ms"] = (time.perf_counter() - began) * 1000
        period = publication_period(standalone, table.newest_day)
        anchored = None
        if period is None:
            began = time.perf_counter()
            anchored = anchored_period(standalone, self.searcher, table, lexical)
            period = anchored.period if anchored else None
            anchor_ms = (time.perf_counter() - began) * 1000
            if anchor_ms >= 1.0:  # a search ran (reading the question alone takes microseconds)
                timings["anchor_ms"] = anchor_ms
        caller_filters = filters
        if period is not None:
            # The period is now a filter; its words are left out of what is searched, where
            # they would only count as words no article shares.
            filters = filters.within(
                period.first.isoformat() if period.first else None,
                period.last.isoformat() if period.last else None,
            )
            standalone = without_period(standalone, period)
        prepared = Prepared(question, standalone, filters, [], timings, corrections)
        prepared.period, prepared.caller_filtered = period, not caller_filters.empty
        prepared.anchor = anchored.report if anchored else None
        prepared.said = already_said(question, history)
        if asks_if_true(question):
            # A verdict on a claim is nothing a quote can give; the reader is told so, and how
            # to see who says what.
            prepared.early = Answer(
                question=standalone,
                text=abstention.CANNOT_JUDGE_TEXT,
                abstained=True,
                needs_clarification=True,
            )
            return prepared
        pointing = unresolved_reference(standalone)
        if pointing or not tokenize(standalone) or asks_for_news_of_nothing(standalone):
            # Nothing to search for yet ("What did he say about it?", "Why?"): any passage
            # found would answer a guess.
            prepared.early = Answer(
                question=standalone,
                text=(
                    abstention.clarification(pointing)
                    if pointing
                    else abstention.NOTHING_ASKED_TEXT
                ),
                abstained=True,
                needs_clarification=True,
            )
            return prepared
        missing = missing_outlets(standalone, table, self.searcher.outlets(table))
        prepared.outlets_not_in_library = missing.names
        standalone = prepared.standalone = missing.question
        began = time.perf_counter()
        result = self.searcher.search(standalone, filters=filters)
        timings["retrieve_ms"] = (time.perf_counter() - began) * 1000 + timings.get("anchor_ms", 0)
        timings.update(result.timings)  # the retrieval stages: embed, bm25, dense, fuse
        prepared.passages = result.passages
        if missing.declined:
            # What outlets the library lacks reported can't be quoted; what other outlets
            # wrote is no answer to it, only related.
            prepared.early = Answer(
                question=standalone,
                text=abstention.outlets_not_in_library(missing.names),
                abstained=True,
                related=result.passages[:3],
            )
            return prepared
        if not filters.empty:
            prepared.early = self._filter_abstention(prepared, lexical, filter_mask(filters, table))
        return prepared

    def _narrowed_by(self, prepared: Prepared) -> str:
        phrase = prepared.period.phrase if prepared.period else ""
        return abstention.narrowed_by(filtered=prepared.caller_filtered, period_phrase=phrase)

    def _scope(self, filters: SearchFilter) -> str:
        _, table = self.index.snapshot()
        titles = {article_id: table.articles[article_id].title for article_id in table.articles}
        return abstention.describe_filter(filters, titles)

    def _filter_abstention(
        self, prepared: Prepared, lexical: LexicalIndex, mask: np.ndarray
    ) -> Answer | None:
        """The abstention a filter alone explains: it lets no passage through, or only articles
        outside it mention who or what the question names. The same name rule as without a
        filter (a question about a name that no searchable article mentions is not answered),
        applied to the articles the filter leaves."""
        count = self.index.registry.article_count()
        scope = self._scope(prepared.filters)
        narrowed = self._narrowed_by(prepared)
        if not mask.any():
            text = abstention.empty_scope(scope, article_count=count, narrowed=narrowed)
        elif not prepared.passages:
            text = abstention.filtered_abstention(
                scope, related=False, article_count=count, narrowed=narrowed
            )
        else:
            outside = names_outside_scope(prepared.standalone, lexical, mask)
            if not outside:
                return None
            text = abstention.names_outside_scope(
                scope, outside, article_count=count, narrowed=narrowed
            )
        return Answer(question=prepared.standalone, text=text, abstained=True)

    def _reword_abstention(self, answer: Answer, prepared: Prepared) -> None:
        """An abstention inside a filter says so, and offers to search without it."""
        if not answer.abstained or prepared.filters.empty or prepared.early is not None:
            return
        if answer.text == abstention.NOTHING_MORE_TEXT:  # the filter held more; all was said
            return
        lexical, _ = self.index.snapshot()
        scope = self._scope(prepared.filters)
        unknown = unknown_names(prepared.standalone, lexical.document_frequency)
        if unknown:
            names = as_phrases(prepared.standalone, unknown)
            answer.text = abstention.unknown_names_in_filter(scope, names)
        else:
            answer.text = abstention.filtered_abstention(
                scope,
                related=bool(answer.related),
                article_count=self.index.registry.article_count(),
                narrowed=self._narrowed_by(prepared),
            )

    def _finish(self, answer: Answer, prepared: Prepared, began: float) -> Answer:
        verify_citations(answer.citations, self.index.article)
        answer.citations = [
            replace(c, days=named_days(c.quote, c.published_at))
            for c in self.speakers.label(answer.citations, self._asked_speaker(prepared))
        ]
        self._reword_abstention(answer, prepared)
        if not prepared.passages and self.index.registry.article_count() == 0:
            answer.text = abstention.NO_ARTICLES_TEXT
            answer.needs_clarification = False
        answer.question = prepared.question
        answer.standalone_question = prepared.standalone
        answer.corrections = dict(prepared.corrections)
        if prepared.period is not None:
            scope = self._scope(prepared.filters)
            own = answer.period_note  # the answer's own word on the period (a digest's count)
            answer.period_note = f"Searched {scope} (“{prepared.period.phrase}” in the question)."
            if prepared.anchor is not None:
                report = prepared.anchor
                answer.period_note += (
                    f" That report: “{report.title}”, {report.source or 'no outlet named'}, "
                    f"{(report.published_at or '')[:10]}."
                )
            if own:
                answer.period_note += f" {own}"
        answer.outlets_not_in_library = list(prepared.outlets_not_in_library)
        answer.passages = prepared.passages
        answer.timings = {**prepared.timings, **answer.timings}
        answer.timings["answer_ms"] = (time.perf_counter() - began) * 1000
        answer.timings["total_ms"] = sum(
            v
            for key, v in answer.timings.items()
            if key in ("condense_ms", "retrieve_ms", "answer_ms")
        )
        answer.complete = True
        return answer

    def run(self, value: Any) -> Answer:
        try:
            return self._run_once(value)
        except CitationMismatchError:
            # An ingest replaced an article between retrieval and the check: ask again, once,
            # against the new text. A second mismatch is a bug and propagates.
            return self._run_once(value)

    def _run_once(self, value: Any) -> Answer:
        prepared = self.prepare(value)
        began = time.perf_counter()
        if prepared.early is not None:
            return self._finish(prepared.early, prepared, began)
        return self._finish(self.compose(prepared), prepared, began)

    def compose(self, prepared: Prepared) -> Answer:
        """The answer stage: the answerer's answer, or one per outlet for a question that
        compares outlets; a question about order in time gets its citations as a timeline."""
        question, passages = prepared.standalone, prepared.passages
        answerer = self._answerer(prepared)
        mentions = self._mentions_answer(prepared)
        if mentions is not None:
            return as_timeline(mentions)
        quoted = self._quoted_most_answer(prepared)
        if quoted is not None:
            return quoted
        columns = self._outlet_columns(prepared)
        if columns is not None:
            analysis, matcher = columns
            # No column may clear a one-clause question's bar while the whole question clears
            # its own: then the question is answered, and each outlet gets its column after all.
            whole = functools.cache(lambda: answerer.answer(question, passages))
            answer = (
                by_outlet_answer(
                    question,
                    passages,
                    analysis,
                    matcher,
                    answerer,
                    whole_answers=lambda: not whole().abstained,
                )
                or whole()
            )
        else:
            answer = (
                self._details_answer(prepared)
                or self._summary_answer(prepared)
                or self._digest_answer(prepared)
                or self._story_timeline_answer(prepared)
                or self._speaker_answer(prepared)
                or self._said_by_answer(prepared)
                or self._edge_answer(prepared)
                or self._coverage_answer(prepared)
                or answerer.answer(question, passages)
            )
        return self._timeline(answer, prepared)

    def _answerer(self, prepared: Prepared) -> Answerer:
        """The answerer, told what the conversation already said when the question asks for
        more (an answerer that can't be told is used as it is)."""
        if prepared.answerer is None:
            excluding = getattr(self.answerer, "excluding", None)
            told = prepared.said and callable(excluding)
            prepared.answerer = excluding(prepared.said) if told else self.answerer
        return prepared.answerer

    def _answered_whole(self, prepared: Prepared) -> bool:
        """Whether the answer is put together from several answers (columns, the latest or
        first report, who said what): such an answer is shown when complete, not streamed. So
        is what X said without an LLM: X's statements first, the whole passages when none of
        them answers at its bar, or X's statements listed (an LLM's answer from X's statements
        streams: it has no bar to fall back at)."""
        if not self.settings.news_layouts:
            return False
        question = prepared.standalone
        return (
            self._asks_for_the_news(prepared)
            or self._mentions(prepared) is not None
            or self._quoted_subject(prepared) is not None
            or self._story_topic(prepared) is not None
            or self._details_subject(prepared) is not None
            or self._asks_for_a_summary(prepared)
            or asks_who_said_what(question)
            or (not self.settings.llm and speaker_asked_about(question) is not None)
            or self._edge(prepared) is not None
            or self._coverage(prepared) is not None
            or self._outlet_columns(prepared) is not None
        )

    def _asks_for_the_news(self, prepared: Prepared) -> bool:
        """Whether the question asks for the news of the period it names, and nothing else."""
        return (
            self.settings.news_layouts
            and prepared.period is not None
            and asks_for_the_news(prepared.standalone)
        )

    def _asks_for_a_summary(self, prepared: Prepared) -> bool:
        return self.settings.news_layouts and asks_for_a_summary(prepared.standalone)

    def _mentions(self, prepared: Prepared) -> MentionQuestion | None:
        """For "How many articles mention X?" / "Which outlets mentioned X?": what it asks."""
        return asks_about_mentions(prepared.standalone) if self.settings.news_layouts else None

    def _mentions_answer(self, prepared: Prepared) -> Answer | None:
        """The exact count of the articles in scope that mention the subject (those of the
        outlets the question names: "How many TechCrunch articles …"), each cited where it
        does."""
        asked = self._mentions(prepared)
        if asked is None:
            return None
        subject, found, table = self._find_mentions(prepared, asked.subject, asked.where)
        return mentions_answer(
            prepared.standalone,
            replace(asked, subject=subject),
            found,
            self.index.copies(table).group_of,
            limit=self.settings.digest_stories,
            said=SaidBefore(prepared.said),
        )

    def _find_mentions(
        self, prepared: Prepared, subject: str, where: str = ""
    ) -> tuple[str, list[Mention], ChunkTable]:
        """The articles in scope that mention `subject`: those the filters let through, of
        the outlets `where` names ("TechCrunch", "from The Verge") when it names any. A subject
        that ends with where it was published ("OpenAI in TechCrunch") is searched without
        that outlet, in its articles. Returns the subject searched, its mentions and the table
        they were found in (one snapshot, for the copies too)."""
        lexical, table = self.index.snapshot()
        matcher = self.searcher.outlets(table)
        placed = _PLACED_IN.match(subject)
        outlet = matcher.outlet_named(placed.group("outlet")) if placed else None
        if placed and outlet:
            subject, where = placed.group("subject"), f"{where} {outlet}"
        named = [outlet for _, _, outlet in matcher.find(where)]
        if where and not named:
            # Names are found as written; "from sporting news" is Sporting News too.
            outlet = matcher.outlet_named(re.sub(r"^.*?\bfrom\s+", "", where))
            named = [outlet] if outlet else []
        feeds = tuple(feed for outlet in named for feed in matcher.feeds(outlet))
        mask = source_mask(feeds, table, filter_mask(prepared.filters, table))
        return subject, find_mentions(subject, lexical, table, mask, self.index.article), table

    def _quoted_subject(self, prepared: Prepared) -> str | None:
        """For "Who is quoted most about X?": X."""
        return asks_who_is_quoted(prepared.standalone) if self.settings.news_layouts else None

    def _quoted_most_answer(self, prepared: Prepared) -> Answer | None:
        """The speakers quoted in most of the articles that mention the subject."""
        asked = self._quoted_subject(prepared)
        if asked is None:
            return None
        subject, found, _ = self._find_mentions(prepared, asked)
        return quoted_most_answer(
            prepared.standalone,
            subject,
            found,
            statements_of=self.speakers.statements,
        )

    def _story_topic(self, prepared: Prepared) -> str | None:
        """For "Give me a timeline of X" / "How did X unfold?": X. Not with an LLM, which
        would write an answer for each article: it answers the question, its citations laid
        out by day."""
        if not self.settings.news_layouts or self.settings.llm:
            return None
        return asks_for_a_story_timeline(prepared.standalone)

    def _story_timeline_answer(self, prepared: Prepared) -> Answer | None:
        """How a story developed: each article found for it quoted by its own best sentence,
        in date order (None, and a plain answer, when fewer than two days answer)."""
        topic = self._story_topic(prepared)
        if topic is None:
            return None
        # Searched by the story alone: "give me a timeline of" are no words of it.
        found = self.searcher.search(topic, filters=prepared.filters).passages
        return story_timeline_answer(
            prepared.standalone,
            topic,
            found,
            self._answerer(prepared),
            stops=self.settings.digest_stories,
            # A stop is one of several articles offered as the story's course: its sentence
            # must read as relevant to the model (a logit above 0), not merely clear the bar
            # below which a question is declined. Word-overlap scores have no such point.
            min_score=None if self.settings.reranker == "none" else 0.0,
        )

    def _details_subject(self, prepared: Prepared) -> str | None:
        """For a question about an article's details, the subject it names ("" for none)."""
        return asks_for_details(prepared.standalone) if self.settings.news_layouts else None

    def _digest_answer(self, prepared: Prepared) -> Answer | None:
        """For "What happened on November 17?": the lead of each story published then."""
        if not self._asks_for_the_news(prepared):
            return None
        return self._stories_answer(prepared, self._articles_in_scope(prepared))

    def _details_answer(self, prepared: Prepared) -> Answer | None:
        """For "When was the article published?": the article's outlet and day; for "… the
        article about the bridge …", the closest articles found for it."""
        subject = self._details_subject(prepared)
        if subject is None:
            return None
        if subject:
            # Found by its subject alone: "which outlet published the story" are no words of it.
            found = self.searcher.search(subject, filters=prepared.filters).passages
            ids = dict.fromkeys(p.article_id for p in found[:SUBJECT_PASSAGES])
            articles = [a for a in map(self.index.article, ids) if a is not None]
            return details_answer(prepared.standalone, articles)
        articles = self._articles_in_scope(prepared)
        if len(articles) > 1:
            return which_article(prepared.standalone, len(articles))
        return details_answer(prepared.standalone, articles)

    def _summary_answer(self, prepared: Prepared) -> Answer | None:
        """For "Summarize the article": one article's opening sentences; several articles'
        stories, one sentence each."""
        if not self._asks_for_a_summary(prepared):
            return None
        articles = self._articles_in_scope(prepared)
        if len(articles) == 1:
            return article_summary(
                prepared.standalone,
                articles[0],
                count=SUMMARY_SENTENCES,
                said=SaidBefore(prepared.said),
            )
        return self._stories_answer(prepared, articles)

    def _articles_in_scope(self, prepared: Prepared) -> list[Article]:
        """The articles the question's filters let through (all of them without a filter)."""
        _, table = self.index.snapshot()
        rows = filter_mask(prepared.filters, table)
        ids = dict.fromkeys(str(article_id) for article_id in table.article_ids[rows])
        return [a for a in map(self.index.article, ids) if a is not None]

    def _stories_answer(self, prepared: Prepared, articles: list[Article]) -> Answer | None:
        lexical, table = self.index.snapshot()
        answer = digest_answer(
            prepared.standalone,
            articles,
            self.index.copies(table).group_of,
            lexical,
            limit=self.settings.digest_stories,
            said=SaidBefore(prepared.said),
        )
        return as_timeline(answer) if answer is not None else None

    def _asked_speaker(self, prepared: Prepared) -> Callable[[Statement], bool] | None:
        """For a "what did X say" question: which statements are X's (a quote holding X's and
        another's statement is labelled X's)."""
        asked = speaker_asked_about(prepared.standalone) if self.settings.news_layouts else None
        return (lambda statement: is_said_by(statement, asked)) if asked is not None else None

    def _speaker_answer(self, prepared: Prepared) -> Answer | None:
        """For "who said what about ...": one column per speaker of the first passages."""
        if not (self.settings.news_layouts and asks_who_said_what(prepared.standalone)):
            return None

        return by_speaker_answer(
            prepared.standalone,
            prepared.passages,
            statements_of=self._statements_of,
            label=self.speakers.label,
            answerer=self._answerer(prepared),
            depth=self.settings.rerank_passages,
        )

    def _said_by_answer(self, prepared: Prepared) -> Answer | None:
        """For "what did X say about ...": the answer from X's own statements in the articles
        of the first passages, when one of them answers (None: answered as any question)."""
        asked = speaker_asked_about(prepared.standalone) if self.settings.news_layouts else None
        if asked is None:
            return None
        passages = self._statement_passages(prepared, asked)
        if not passages:
            return None
        if not asked.topic and not self.settings.llm:
            return statements_answer(
                prepared.standalone,
                passages,
                article_texts=self.index.article_texts,
                count=self.settings.answer_sentences,
                said=SaidBefore(prepared.said),
            )
        answer = self._answerer(prepared).answer(prepared.standalone, passages)
        if answer.abstained or not self._says_it_clearly(answer):
            return None
        return self._or_whole(answer, prepared)

    def _says_it_clearly(self, said_by: Answer) -> bool:
        """Whether the speaker's best statement answers at the said-by bar. Only the
        cross-encoder's scores have one: where the fast profile's word overlap or an LLM
        chose the quotes, the statements' answer stands."""
        if self.settings.reranker == "none" or self.settings.llm:
            return True
        best = max((c.score for c in said_by.citations), default=None)
        return best is None or best >= self.settings.said_by_min_score

    def _or_whole(self, said_by: Answer, prepared: Prepared) -> Answer:
        """X's statements may answer one part only ("What did Russia announce, and how did NATO
        respond?"): the answer from all the passages when it answers more of the parts."""
        if not said_by.unanswered_parts:
            return said_by
        whole = self._answerer(prepared).answer(prepared.standalone, prepared.passages)
        if whole.abstained or len(whole.unanswered_parts) >= len(said_by.unanswered_parts):
            return said_by
        return whole

    def _statement_passages(self, prepared: Prepared, asked: SpeakerQuestion) -> list[Passage]:
        """X's statements as passages, for a "what did X say" question."""
        return statement_passages(
            prepared.standalone,
            prepared.passages,
            asked,
            article_for=self.index.article,
            statements_in=self.speakers.statements,
            depth=self.settings.rerank_passages,
        )

    def _statements_of(self, passage: Passage) -> list[Statement]:
        article = self.index.article(passage.article_id)
        return self.speakers.statements(article) if article is not None else []

    def _edge(self, prepared: Prepared) -> str | None:
        """ "latest" or "first" when the question asks for that report; an outlet's name is no
        part of the asking ("Business Today | Latest Stock Market And Economy News India")."""
        if not self.settings.news_layouts:
            return None
        _, table = self.index.snapshot()
        return asks_for_edge(self.searcher.outlets(table).without_names(prepared.standalone))

    def _edge_answer(self, prepared: Prepared) -> Answer | None:
        """For "the latest report" or "the first report": the answer from that article."""
        edge = self._edge(prepared)
        if edge is None:
            return None
        depth = self.settings.rerank_passages
        return edge_article_answer(
            prepared.standalone, prepared.passages, edge, self._answerer(prepared), depth
        )

    def _coverage(self, prepared: Prepared) -> str | None:
        """What a question about what was reported asks about ("Apple?" for "What did The
        Verge report about Apple?"), for the extractive answerer to read; None for any other
        question, and with an LLM, which reads the question as asked."""
        if not self.settings.news_layouts or self.settings.llm:
            return None
        _, table = self.index.snapshot()
        return coverage_topic(prepared.standalone, self.searcher.outlets(table))

    def _coverage_answer(self, prepared: Prepared) -> Answer | None:
        topic = self._coverage(prepared)
        if topic is None:
            return None
        answer = self._answerer(prepared).answer(topic, prepared.passages)
        return replace(answer, question=prepared.standalone)

    def _outlet_columns(self, prepared: Prepared) -> tuple[QueryAnalysis, SourceMatcher] | None:
        """The question's analysis and the index's outlets, when it asks outlet by outlet."""
        if not prepared.outlet_columns_known:
            prepared.outlet_columns = self._analyse_outlets(prepared)
            prepared.outlet_columns_known = True
        return prepared.outlet_columns

    def _analyse_outlets(self, prepared: Prepared) -> tuple[QueryAnalysis, SourceMatcher] | None:
        if not self.settings.news_layouts or not prepared.passages:
            return None
        _, table = self.index.snapshot()
        matcher = self.searcher.outlets(table)
        analysis = analyse_question(prepared.standalone, matcher, table.newest_day)
        if not asks_by_outlet(prepared.standalone, analysis):
            return None
        # One outlet is no comparison: it gets the plain answer.
        if len(column_outlets(analysis, prepared.passages)) < 2:
            return None
        return analysis, matcher

    def _timeline(self, answer: Answer, prepared: Prepared) -> Answer:
        if self.settings.news_layouts and asks_about_time(prepared.standalone):
            return as_timeline(answer)
        return answer

    def run_stream(self, values: Iterator[Any]) -> Iterator[Answer]:
        for value in values:
            try:
                yield from self._stream_once(value)
            except CitationMismatchError:
                # As in `run`: the article changed under the answer; the retry's final Answer
                # replaces what was shown so far.
                yield self._run_once(value)

    def _stream_once(self, value: Any) -> Iterator[Answer]:
        prepared = self.prepare(value)
        began = time.perf_counter()
        if prepared.early is not None:
            yield self._finish(prepared.early, prepared, began)
            return
        if self._answered_whole(prepared):
            yield self._finish(self.compose(prepared), prepared, began)
            return
        final: Answer | None = None
        answerer = self._answerer(prepared)
        # "What did X say" with an LLM: X's own statements are read first, streamed.
        asked = speaker_asked_about(prepared.standalone) if self.settings.news_layouts else None
        statements = self._statement_passages(prepared, asked) if asked else []
        for partial in answerer.stream(prepared.standalone, statements or prepared.passages):
            if partial.complete:
                final = partial
                break
            if partial.abstained:
                # Its wording may still change (a filter is named): show only the final.
                continue
            partial.question = prepared.question
            partial.standalone_question = prepared.standalone
            partial.corrections = dict(prepared.corrections)
            yield partial
        if final is None or (statements and final.abstained):
            final = answerer.answer(prepared.standalone, prepared.passages)
        elif statements:
            final = self._or_whole(final, prepared)
        yield self._finish(self._timeline(final, prepared), prepared, began)


class AnswerChain(Runnable[Any, Answer]):
    """The question pipeline as a LangChain Runnable: invoke, stream, batch and their async
    twins, with LangChain's callbacks and config, through its public Runnable classes."""

    def __init__(self, pipeline: QuestionPipeline) -> None:
        self.pipeline = pipeline
        self._invoke = RunnableLambda(pipeline.run, name="AnswerChain")
        self._stream = RunnableGenerator(pipeline.run_stream, name="AnswerChain")

    @property
    def answerer(self) -> Answerer:
        return self.pipeline.answerer

    @property
    def InputType(self) -> type:
        return dict

    @property
    def OutputType(self) -> type:
        return Answer

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        return self._invoke.invoke(input, config, **kwargs)

    def stream(
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[Answer]:
        yield from self._stream.stream(input, config, **kwargs)
