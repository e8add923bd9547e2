"""Who said what: the statements of a news article, each with its speaker and exact span.

Rule-based on purpose: news attribution is formulaic ("…,” X said; X said that …; according
to X, …), and rules keep spans exact, run fast on a CPU and need no model. The rules are
general ones about news prose; none names an article.

The steps: find the quotations (straight or typographic, over several paragraphs where a
paragraph reopens them), find the speech verbs outside quotations and give each a speaker
(the noun phrase before it, or after it when inverted) and a content (the quotation it is
attached to, or the clause after it); give the quotations left over the speaker of the
statement they continue; then resolve pronouns and titles to a named speaker and every
name to its fullest form in the article.

The modules, in the order a pass uses them:
- statement: `Statement` and the look-ups over a list of them (the public API, with
  `extract_statements`)
- extract: `extract_statements`, the pass itself
- lexicon: word lists and patterns of news prose
- quotes: quotation spans
- layout: one article's quotations, blanked text, paragraphs, sentences and tokens
- names: the names an article mentions, and which are people
- phrases: the speaker phrase before or after a verb
- passes: the skeleton of a pass over a pattern's matches outside quotations
- drafts: statements found so far, before their speakers are resolved
- speech_verbs: "X said", "“…,” said X", "X told Y": the speaker and what it attaches to
- clauses: the extent of a reported clause ("X said that …")
- according: "according to X"
- blocks: paragraphs introduced by "X said:", embedded posts
- leftover_quotes: quotations without a verb of their own
- resolution: pronouns, descriptions and continuations to a named speaker
- canonical: each name's fullest form in the article"""

from __future__ import annotations

from assistant.text.attribution.extract import extract_statements
from assistant.text.attribution.statement import Statement, speaker_at, statements_by_speaker

__all__ = ["Statement", "extract_statements", "speaker_at", "statements_by_speaker"]
