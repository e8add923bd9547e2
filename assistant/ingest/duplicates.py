"""Copies of one story: near-duplicate articles found by MinHash over word shingles, and grouped.

A syndicated wire story, or a story republished with its headline changed, a paragraph dropped
or a subscribe line added, is the same text with small edits. Its word 5-shingles (runs of five
consecutive words) are nearly all shared with the original, while two outlets' own reports of
one event share few: rewording breaks 5-word runs even when the facts and names are the same.
MinHash estimates the shingle sets' Jaccard similarity from a fixed-size signature, and LSH
over the signatures finds the candidates without comparing every pair; each candidate is then
checked with the estimate (Jaccard, or containment for a copy that dropped part of the text).

Groups: an article joins the group of the indexed article it is most similar to, or starts its
own. A group's id is the id of its earliest-indexed member (the lowest `seq`): adding copies
never renames a group, so a group id seen once stays valid until that member itself leaves,
and then the next-earliest member takes over (the registry does the same on delete)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from assistant.index.registry import Registry, SignatureRow
from assistant.schema import Article

# Words per shingle: long enough that two reports of one event rarely share a run (names and
# set phrases are shorter), short enough that one changed word spoils only five shingles.
SHINGLE_WORDS = 5
SEED = 1


@dataclass(frozen=True)
class Rule:
    """What counts as a copy. The values were chosen with benchmarks/near_duplicates.py, which
    can try others (--num-perm, --min-jaccard, ...)."""

    # Hash functions per signature: the Jaccard estimate's spread shrinks with their root, and
    # copies with several edits at once sit close to min_jaccard (see the benchmark).
    num_perm: int = 256
    # LSH recalls pairs above about this Jaccard; below the verification thresholds on
    # purpose, so that a copy that dropped part of the text (containment high, Jaccard lower)
    # is a candidate.
    lsh_threshold: float = 0.5
    # Verified near-duplicates: estimated Jaccard of the shingle sets at least this, ...
    min_jaccard: float = 0.7
    # ... or the smaller set estimated to lie this much inside the larger, when the smaller
    # holds at least min_size_ratio of the larger's shingles (an excerpt of a third is not a
    # copy).
    min_containment: float = 0.9
    min_size_ratio: float = 0.5
    # Too few shingles to tell a copy from a shared stock phrase: never grouped.
    min_shingles: int = 10


RULE = Rule()
# Stored signatures record the scheme that made them; another scheme means "recompute".
SCHEME = f"minhash-words{SHINGLE_WORDS}-perm{RULE.num_perm}-seed{SEED}-v1"

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased words, punctuation and spacing dropped: quote marks, dashes and line breaks
    are where republished copies differ without the story differing."""
    return _WORD.findall(text.lower().replace("’", "'").replace("'", ""))


def shingles(text: str) -> set[bytes]:
    """The distinct runs of SHINGLE_WORDS consecutive words (the whole text if it is shorter)."""
    found = words(text)
    if len(found) <= SHINGLE_WORDS:
        return {" ".join(found).encode("utf-8")} if found else set()
    return {
        " ".join(found[i : i + SHINGLE_WORDS]).encode("utf-8")
        for i in range(len(found) - SHINGLE_WORDS + 1)
    }


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    # Drawn once: MinHash would draw the same ones from SEED for every article.
    return MinHash(num_perm=num_perm, seed=SEED).permutations  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Signature:
    """An article's MinHash and how many shingles it was made from (for containment)."""

    minhash: LeanMinHash
    size: int

    def to_blob(self) -> bytes:
        # Values fit in 32 bits (datasketch masks them), so the stored signature is half size.
        return np.asarray(self.minhash.hashvalues, dtype="<u4").tobytes()

    @classmethod
    def from_blob(cls, blob: bytes, size: int) -> Signature:
        values = np.frombuffer(blob, dtype="<u4").astype(np.uint64)
        return cls(LeanMinHash(seed=SEED, hashvalues=values), size)


def signature(text: str, num_perm: int = RULE.num_perm) -> Signature:
    found = shingles(text)
    minhash = MinHash(num_perm=num_perm, seed=SEED, permutations=_permutations(num_perm))
    minhash.update_batch(sorted(found))
    return Signature(LeanMinHash(minhash), len(found))


def similarity(a: Signature, b: Signature, rule: Rule = RULE) -> float:
    """How much of a copy one is of the other, 0..1: the estimated Jaccard similarity, or the
    estimated containment of the smaller shingle set in the larger when that passes its own
    threshold; 0 when the two are not near-duplicates."""
    if min(a.size, b.size) < rule.min_shingles:
        return 0.0
    jaccard = float(a.minhash.jaccard(b.minhash))
    if jaccard >= rule.min_jaccard:
        return jaccard
    small, large = sorted((a.size, b.size))
    if small < rule.min_size_ratio * large:
        return 0.0
    # |A ∩ B| = J (|A| + |B|) / (1 + J), from J = |A ∩ B| / |A ∪ B|.
    containment = jaccard * (a.size + b.size) / ((1 + jaccard) * small)
    return min(containment, 1.0) if containment >= rule.min_containment else 0.0


@dataclass
class Match:
    """The indexed article a new one copies, and the group the new one joins."""

    article_id: str
    title: str
    group_id: str
    score: float


@dataclass
class _Member:
    signature: Signature
    group_id: str
    seq: int
    title: str


@dataclass
class CopyFinder:
    """Every indexed article's signature and group, with an LSH index over the signatures.
    Loaded from the registry once per ingest and kept in step with what that ingest writes."""

    rule: Rule = RULE
    members: dict[str, _Member] = field(default_factory=dict)
    groups: dict[str, set[str]] = field(default_factory=dict)
    next_seq: int = 1

    def __post_init__(self) -> None:
        self.lsh = MinHashLSH(threshold=self.rule.lsh_threshold, num_perm=self.rule.num_perm)

    @classmethod
    def load(
        cls, rows: Iterable[SignatureRow], titles: dict[str, str], rule: Rule = RULE
    ) -> CopyFinder:
        finder = cls(rule=rule)
        for row in rows:
            finder._insert(
                row.article_id,
                Signature.from_blob(row.signature, row.shingles),
                row.group_id,
                row.seq,
                titles.get(row.article_id, row.article_id),
            )
        return finder

    def _insert(self, article_id: str, sig: Signature, group_id: str, seq: int, title: str) -> None:
        self.lsh.insert(article_id, sig.minhash, check_duplication=False)
        self.members[article_id] = _Member(sig, group_id, seq, title)
        self.groups.setdefault(group_id, set()).add(article_id)
        self.next_seq = max(self.next_seq, seq + 1)

    def best_match(self, sig: Signature, *, exclude: str = "") -> Match | None:
        """The indexed article `sig` is the closest copy of (ties: the earliest indexed)."""
        best: tuple[float, int, str] | None = None
        for key in self.lsh.query(sig.minhash):
            if key == exclude:
                continue
            member = self.members[key]
            score = similarity(sig, member.signature, self.rule)
            if score > 0 and (best is None or (-score, member.seq, key) < best):
                best = (-score, member.seq, key)
        if best is None:
            return None
        member = self.members[best[2]]
        return Match(best[2], member.title, member.group_id, -best[0])

    def remove(self, article_id: str) -> None:
        """Forget an article; if it was its group's representative, the earliest remaining
        member becomes it (the same rule as Registry.delete_article)."""
        member = self.members.pop(article_id, None)
        if member is None:
            return
        self.lsh.remove(article_id)
        others = self.groups.pop(member.group_id, set()) - {article_id}
        if not others:
            return
        new_id = (
            member.group_id
            if member.group_id in others
            else min(others, key=lambda i: (self.members[i].seq, i))
        )
        for other in others:
            self.members[other].group_id = new_id
        self.groups[new_id] = others

    def assign(self, article: Article, sig: Signature) -> tuple[SignatureRow, Match | None]:
        """Record a new or changed article. A changed one keeps its group (and place in it)
        while it still copies one of the group's other members; otherwise it leaves and is
        recorded anew, as the latest-indexed article. A new one joins the group of the
        article it copies most, or starts its own. Returns the row to store and what it
        copies (None for an article that copies nothing indexed)."""
        old = self.members.get(article.id)
        if old is not None:
            kept = self._copy_within(old.group_id, article.id, sig)
            if kept is not None:
                self.lsh.remove(article.id)
                self._insert(article.id, sig, old.group_id, old.seq, article.title)
                return self._row(article, sig), kept
            self.remove(article.id)
        match = self.best_match(sig, exclude=article.id)
        group_id = match.group_id if match else article.id
        self._insert(article.id, sig, group_id, self.next_seq, article.title)
        return self._row(article, sig), match

    def _copy_within(self, group_id: str, article_id: str, sig: Signature) -> Match | None:
        """The member of the group other than `article_id` that `sig` copies most, if any."""
        best: Match | None = None
        for other in sorted(self.groups.get(group_id, set()) - {article_id}):
            member = self.members[other]
            score = similarity(sig, member.signature, self.rule)
            if score > 0 and (best is None or score > best.score):
                best = Match(other, member.title, group_id, score)
        return best

    def _row(self, article: Article, sig: Signature) -> SignatureRow:
        member = self.members[article.id]
        return SignatureRow(
            article_id=article.id,
            content_hash=article.content_hash,
            scheme=SCHEME,
            shingles=sig.size,
            signature=sig.to_blob(),
            group_id=member.group_id,
            seq=member.seq,
        )


# Articles per transaction when giving signatures to articles indexed without them.
_BACKFILL_ARTICLES = 64


class CopyGrouper:
    """The ingest's view of the groups: the finder is loaded from the registry on first use
    (an ingest that adds nothing never reads a signature)."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._finder: CopyFinder | None = None

    @property
    def finder(self) -> CopyFinder:
        if self._finder is None:
            titles = {row[0]: row[1] for row in self.registry.article_rows()}
            self._finder = CopyFinder.load(self.registry.signatures(SCHEME), titles)
        return self._finder

    def assign(self, article: Article) -> tuple[SignatureRow, Match | None]:
        return self.finder.assign(article, signature(article.text))

    def forget(self, article_id: str) -> None:
        """The article was deleted from the registry (which regroups its copies the same way)."""
        if self._finder is not None:
            self._finder.remove(article_id)

    def add_missing(self) -> int:
        """Signatures and groups for articles indexed without them (an index made before
        copies were grouped, or with another signature scheme), earliest indexed first. Each
        batch is one transaction; a stop midway loses no finished batch. Returns how many
        articles got one."""
        missing = self.registry.articles_without_signatures(SCHEME)
        if not missing:
            return 0
        self.registry.drop_other_signatures(SCHEME)
        self._finder = None
        added = 0
        for first in range(0, len(missing), _BACKFILL_ARTICLES):
            articles = [
                article
                for article_id in missing[first : first + _BACKFILL_ARTICLES]
                if (article := self.registry.article(article_id)) is not None
            ]
            self.registry.save_signatures([self.assign(article)[0] for article in articles])
            added += len(articles)
        return added
