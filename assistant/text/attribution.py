"""Who said what: the statements of a news article, each with its speaker and exact span.

Rule-based on purpose: news attribution is formulaic ("…,” X said; X said that …; according
to X, …), and rules keep spans exact, run fast on a CPU and need no model. The rules are
general ones about news prose; none names an article.

The steps: find the quotations (straight or typographic, over several paragraphs where a
paragraph reopens them), find the speech verbs outside quotations and give each a speaker
(the noun phrase before it, or after it when inverted) and a content (the quotation it is
attached to, or the clause after it); give the quotations left over the speaker of the
statement they continue; then resolve pronouns and titles to a named speaker and every
name to its fullest form in the article."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.text.sentences import split_sentences


@dataclass(frozen=True)
class Statement:
    """One attributed statement. `text[start:end]` is exactly the statement: the words inside
    the quotation marks, or the reported clause."""

    speaker: str  # the name as written nearest the statement ("Stoltenberg", "the Kremlin")
    canonical: str  # the fullest form of that speaker's name in the article
    start: int
    end: int
    verb: str  # the speech verb as written ("said", "according to"); "" when implied
    kind: str  # "direct" (a quotation) or "reported"


def extract_statements(text: str) -> list[Statement]:
    """Every statement in `text` that the rules can attribute, in text order."""
    return _Extractor(text).run()


def statements_by_speaker(statements: Iterable[Statement]) -> dict[str, list[Statement]]:
    """Statements grouped by canonical speaker, in the order given."""
    grouped: dict[str, list[Statement]] = {}
    for statement in statements:
        grouped.setdefault(statement.canonical, []).append(statement)
    return grouped


def speaker_at(statements: Iterable[Statement], start: int, end: int) -> Statement | None:
    """The statement that overlaps `text[start:end]` the most (None when none does): the
    speaker to name beside a citation of that span."""
    best, best_overlap = None, 0
    for statement in statements:
        overlap = min(end, statement.end) - max(start, statement.start)
        if overlap > best_overlap:
            best, best_overlap = statement, overlap
    return best


# ---------------------------------------------------------------------------------------------
# Word lists. They describe English news prose in general, not any one article.


def _words(text: str) -> set[str]:
    return set(text.split())


# Verbs whose complement is what was said. Lower case only: a capitalised "Said" or
# "Mentioned" opens a headline or a fragment more often than a statement.
_SAY_VERBS = _words(
    """said says say told tells added adds adding saying noted notes noting explained explains
    explaining stated states warned warns warning claimed claims claiming argued argues arguing
    insisted insists insisting admitted admits acknowledged acknowledges announced announces
    announcing revealed reveals reported reports wrote writes write recounted recounts confirmed
    confirms asserted asserts replied replies responded responds cautioned cautions emphasized
    emphasised emphasizes emphasises stressed stresses suggested suggests maintained maintains
    predicted predicts promised promises promising conceded concedes declared declares clarified
    clarifies mentioned mentions hinted hints complained complains demanded demands vowed vows
    tweeted recalled recalls continued"""
)
# Verbs whose object carries the content: "accused Y of Z", "called Y Z", "described Y as Z".
_OBJECT_VERBS = _words(
    """accused accuses accusing denied denies denying called calls described describes describing
    labelled labeled labels praised praises praising advised advises"""
)
_MULTIWORD_VERBS = ("pointed out", "points out", "pointing out", "put it")
_PARTICIPLES = {v for v in _SAY_VERBS | _OBJECT_VERBS | set(_MULTIWORD_VERBS) if "ing" in v}
# Verbs that can follow their speaker ("“…,” said Arteta"; "…, says Jon Turow, a partner").
_INVERTIBLE = _words(
    """said says added adds wrote writes explained explains noted notes recalled recalls
    continued insisted stated states warned recounted replied argued"""
)
# "call" and "label" are speech only with a quoted or short predicate ("called it “trash”").
_CALLING = _words("called calls labelled labeled labels")
# Verbs followed by whom they told, before what they said.
_TELLING = _words("told tells")
_CLAUSE_MIN_WORDS = 4  # "maintained his innocence" is not a statement; "it was over" is
_OBJECT_MIN_WORDS = 2

_VERB = re.compile(
    r"\b(?:"
    + "|".join(re.escape(v) for v in _MULTIWORD_VERBS)
    + "|"
    + "|".join(sorted(_SAY_VERBS | _OBJECT_VERBS, key=len, reverse=True))
    + r")\b"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to\b")

# Words between a subject and its verb ("Lloyd Austin, meanwhile, has called").
_AUX = _words(
    """has have had also further later then initially previously once recently repeatedly
    publicly privately earlier already even still just reportedly subsequently immediately
    meanwhile however again separately simply would will can could may might never
    additionally quickly frequently often always only first last"""
)
_PASSIVE = _words("was were been be is are being get got")
_PRONOUNS = {"he", "she", "they", "it"}
_RELATIVES = {"who", "which"}
_CONNECTIVES = _words("and but although though while yet")
# Heads of noun phrases that can speak without a name ("the ministry", "a spokesman for X").
_PERSON_NOUNS = _words(
    """spokesman spokeswoman spokesperson official minister secretary president coach boss chief
    director manager executive prosecutor attorney lawyer adviser advisor analyst strategist
    economist expert experts professor founder chairman chairwoman leader commissioner
    ambassador senator governor mayor judge officer captain player reporter source sources
    researcher researchers scientist scientists doctor doctors officials prosecutors lawyers
    analysts economists spokespeople representative representatives envoy negotiator aide aides
    insider insiders general"""
)
_ORG_NOUNS = _words(
    """ministry government company firm department agency authorities authority police military
    army command kremlin commission committee council court union club team league organisation
    organization office administration embassy regulator regulators group coalition campaign
    party board network newspaper alliance giant startup studio publisher"""
)
_SPEAKER_NOUNS = _PERSON_NOUNS | _ORG_NOUNS
_TITLES = _words(
    """president vice secretary minister senator sen rep representative gov governor mayor coach
    ceo cfo cto coo cio chairman chairwoman chair chief director executive general attorney
    judge justice prosecutor commissioner ambassador spokesman spokeswoman spokesperson
    chancellor king queen prince princess pope dr prof professor sir dame lord lady mr mrs ms
    captain capt gen col lt sgt officer manager founder co-founder qb rb wr te lb de dt
    quarterback defense defence foreign prime deputy interior finance health treasury trade
    labor labour energy education transport environment agriculture commerce analyst strategist
    economist head leader star forward guard striker midfielder defender goalkeeper pitcher
    outfielder receiver linebacker rookie coordinator owner partner editor reporter
    correspondent columnist author writer host anchor adviser advisor boss commander premier
    principal gm vp president-elect"""
)
# Tokens that make a capitalised run an organisation, team, place or date, not a person.
_ORG_WORDS = _words(
    """inc corp co ltd llc plc group bank capital markets commission committee council
    organisation organization association agency authority ministry department office institute
    university college school foundation society club league conference network news times post
    journal sports media press party court government army police reserve fund trust trusts
    studios games entertainment interactive labs technologies systems airlines airways motors
    partners ventures holdings securities exchange services health hospital federation union
    alliance coalition cup stadium park oval arena street bridge coast island islands river
    valley bay beach lake road square centre center hall field airport station county state
    eastern western northern southern central day week house senate congress parliament kremlin
    fc united city athletic athletics research brands digital channel new north south east west
    black white world series bowl championship premier monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september october
    november december"""
)
# Capitalised words that open a sentence without being a name.
_FUNCTION_WORDS = _words(
    """a an the this that these those in on at of for from with by to as after before when while
    if but and or so yet since during despite although though because until unless once still
    also then there here it its his her their our my your we i you he she they what which who
    whose how why where last next every each some many most more few one two three four five no
    not meanwhile however instead even just only already earlier later today yesterday tomorrow
    now speaking commenting asked like than into over under about against between through per
    via amid among toward towards upon did does do is are was were has have had can could will
    would should"""
)
_DETERMINERS = _words("the a an one")
_OBJECT_PRONOUNS = _words("me us him her them you reporters journalists")
# Words that open an adverbial after "said" rather than the clause that was said.
_CIRCUMSTANCE = _words(
    """in on at of ahead after before during per from to about via when while as last this
    today yesterday earlier later recently afterwards afterward then tonight"""
)
_QUALIFIERS = _words("of for at")  # "a spokesman for BEUC", "researchers at Imperial College"
_NAME_JOINERS = _words("and of de van von der da del")
_SUFFIXES = _words("jr jr. sr sr. ii iii iv")
_QUOTED = "“…”"  # the token that stands for a whole quotation
_PUNCTUATION = {",", "—", "–", "-", "(", ")", ";", ":", _QUOTED}

_TOKEN = re.compile(
    r"_+|(?:[A-Z]\.){2,}|[A-Z]\.(?=\s+[A-Z])"
    r"|(?:Dr|Mr|Mrs|Ms|Gov|Sen|Rep|Gen|Lt|Col|Sgt|Capt|Prof|Jr|Sr)\.(?=\s)"
    r"|[\w’'\-@&]+|[^\w\s]"
)
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")
_DEMONYM = re.compile(r"(?:ian|ean|an|ese|ish)$")


_POSSESSIVE_END = re.compile(r"(?:'s|(?<=s)')$")


@functools.lru_cache(maxsize=8192)
def _low(token: str) -> str:
    """Lower case, without a final period or possessive ending: the form the lists hold."""
    return _POSSESSIVE_END.sub("", token.lower().rstrip(".").replace("’", "'"))


def _is_name(token: str) -> bool:
    """A capitalised word that is not a function word ("The", "He", "In")."""
    return (
        token[:1].isupper()
        and _low(token) not in _FUNCTION_WORDS
        and _low(token) not in _PRONOUNS
        and not re.search(r"-[a-z]+$", token)  # "Africa-focused", "First-year": adjectives
    )


def _is_word(token: str) -> bool:
    return token[:1].isalnum()


# ---------------------------------------------------------------------------------------------
# Quotations


@dataclass
class _Quote:
    open_at: int  # the opening mark (or the line start of a continued paragraph)
    start: int  # the first character inside
    end: int  # after the last character inside
    close_at: int  # after the closing mark (== end when the paragraph never closes it)
    used: bool = False


def _opens_straight(line: str, i: int) -> bool:
    before = line[i - 1] if i > 0 else " "
    after = line[i + 1] if i + 1 < len(line) else " "
    return (before.isspace() or before in "([{—–-:") and not after.isspace()


def _find_quotes(text: str) -> list[_Quote]:
    """Top-level quotations, paragraph by paragraph. A quotation the paragraph never closes
    runs to the paragraph's end (news reopens it in the next paragraph); a paragraph whose
    first mark closes continues the previous paragraph's open quotation. An opening mark
    right after a sentence ends closes a quotation left open: a missing closing mark is more
    common than a nested quotation that starts a sentence."""
    quotes: list[_Quote] = []
    previous_open = False
    for line_match in re.finditer(r"[^\n]+", text):
        line, offset = line_match.group(), line_match.start()
        depth, outer, first_mark = 0, -1, True
        for mark in re.finditer(r"[“”\"]", line):
            i, char = mark.start(), mark.group()
            opening = char == "“" or (char == '"' and _opens_straight(line, i))
            if opening and depth and re.search(r"[.!?…]['’]?\s+$", line[outer:i]):
                end = offset + len(line[:i].rstrip())
                quotes.append(_Quote(offset + outer, offset + outer + 1, end, end))
                depth = 0
            if opening:
                outer = i if depth == 0 else outer
                depth += 1
            elif depth:
                depth -= 1
                if depth == 0:
                    quotes.append(
                        _Quote(offset + outer, offset + outer + 1, offset + i, offset + i + 1)
                    )
            elif first_mark and previous_open:
                quotes.append(_Quote(offset, offset, offset + i, offset + i + 1))
            first_mark = False
        previous_open = depth > 0
        if depth:
            end = offset + len(line.rstrip())
            quotes.append(_Quote(offset + outer, offset + outer + 1, end, end))
    for quote in quotes:  # the inside never starts or ends with a space or a trailing comma
        while quote.start < quote.end and text[quote.start].isspace():
            quote.start += 1
        while quote.end > quote.start and text[quote.end - 1] in " \t,":
            quote.end -= 1
    return sorted(quotes, key=lambda q: q.open_at)


# ---------------------------------------------------------------------------------------------
# Drafts: statements before their speakers are resolved


@dataclass
class _Draft:
    start: int
    end: int
    verb: str
    kind: str
    speaker: str  # as written: a name, a pronoun or a description; "" with a source
    anchor: int  # where the attribution is, for "nearest preceding" look-ups
    source: _Draft | None = None  # the statement whose speaker this one continues
    resolved: str = ""
    canonical: str = ""
    person: bool = False


@dataclass
class _Name:
    start: int
    end: int
    text: str
    person: bool
    descriptors: set[str] = field(default_factory=set)


Token = tuple[int, int, str]
Phrase = tuple[int, int, str]  # (start, end, kind): kind is name, pronoun or description


class _Extractor:
    def __init__(self, text: str) -> None:
        self.text = text
        self.quotes = _find_quotes(text)
        self.quote_opens = [q.open_at for q in self.quotes]
        chars = list(text)
        self.inside = [False] * (len(text) + 1)
        for quote in self.quotes:
            for i in range(quote.open_at, quote.close_at):
                self.inside[i] = True
                chars[i] = "_"
        # The text with quotations blanked out (same length): their commas and names are
        # not the surrounding sentence's.
        self.blank = "".join(chars)
        self.paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
        self.paragraph_starts = [p[0] for p in self.paragraphs]
        self.sentences = self._sentences()
        self.sentence_starts = [s[0] for s in self.sentences]
        self.drafts: list[_Draft] = []
        self.names: list[_Name] = []
        self.surnames: set[str] = set()
        self.full_names: set[str] = set()
        self.person_names: set[str] = set()
        self.full_people: list[list[str]] = []
        self.canonical_cache: dict[str, str] = {}
        self.acronyms: dict[str, str] = {}

    # -- layout ----------------------------------------------------------------------------

    def _sentences(self) -> list[tuple[int, int]]:
        """split_sentences, rejoined where a boundary falls inside a quotation: a quotation of
        several sentences and its attribution are one unit here."""
        merged: list[tuple[int, int]] = []
        for sentence in split_sentences(self.text, max_chars=len(self.text) + 1):
            if (
                merged
                and self.inside[sentence.start - 1]
                and "\n" not in self.text[merged[-1][1] : sentence.start]
            ):
                merged[-1] = (merged[-1][0], sentence.end)
            else:
                merged.append((sentence.start, sentence.end))
        return merged

    def sentence_at(self, pos: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(self.sentence_starts, pos) - 1, 0)
        return self.sentences[i] if self.sentences else (0, len(self.text))

    def paragraph_at(self, pos: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(self.paragraph_starts, pos) - 1, 0)
        return self.paragraphs[i] if self.paragraphs else (0, len(self.text))

    def quotes_in(self, lo: int, hi: int) -> list[_Quote]:
        """The quotations that open in [lo, hi)."""
        i = bisect.bisect_left(self.quote_opens, lo)
        j = bisect.bisect_left(self.quote_opens, hi)
        return self.quotes[i:j]

    def tokens(self, start: int, end: int) -> list[Token]:
        """Words and punctuation of `text[start:end]`; a quotation is one _QUOTED token."""
        return [
            (start + m.start(), start + m.end(), _QUOTED if m.group()[0] == "_" else m.group())
            for m in _TOKEN.finditer(self.blank[start:end])
        ]

    # -- main ------------------------------------------------------------------------------

    def run(self) -> list[Statement]:
        self._collect_names()
        for match in _VERB.finditer(self.text):
            if not self.inside[match.start()]:
                self._verb(match.start(), match.end())
        for match in _ACCORDING.finditer(self.text):
            if not self.inside[match.start()]:
                self._according(match.start(), match.end())
        self._block_quotes()
        self._posts()
        self._leftover_quotes()
        return self._resolve()

    def add(self, draft: _Draft) -> None:
        if draft.end - draft.start < 2:
            return
        for other in self.drafts:
            if other.start <= draft.start and draft.end <= other.end:
                return  # a quotation inside a reported clause is part of it
        self.drafts = [
            d for d in self.drafts if not (draft.start <= d.start and d.end <= draft.end)
        ]
        self.drafts.append(draft)

    # -- noun phrases ----------------------------------------------------------------------

    def _analyse(self, seq: list[Token], determiner: Token | None) -> Phrase | None:
        """The speaker in a run of words: a name at its end (after any title or owner), or a
        description whose head is a speaker noun ("Ukraine’s military command")."""
        if not seq:
            return None
        words = [t[2] for t in seq]
        if _is_name(words[-1]) or _low(words[-1]) in _SUFFIXES:
            r = len(seq) - 1
            while r > 0 and (
                _is_name(words[r - 1])
                or (words[r - 1] in _NAME_JOINERS and r > 1 and _is_name(words[r - 2]))
            ):
                r -= 1
            owner = [k for k in range(r, len(seq) - 1) if _POSSESSIVE.search(words[k])]
            if owner:
                r = owner[-1] + 1
            if r > 1 and words[r - 1] in _QUALIFIERS and _low(words[r - 2]) in _SPEAKER_NOUNS:
                return self._description(seq, determiner)
            if r > 0 and words[r - 1] == "of":
                return None  # "50 per cent of Americans": a share of a group
            if words[r] in _NAME_JOINERS:
                r += 1
            start = seq[r][0]
            if determiner and r == 0 and determiner[2].lower() == "the":
                start = determiner[0]  # "the Kremlin", "the Argentinean"
            return start, seq[-1][1], "name"
        if _low(words[-1]) in _SPEAKER_NOUNS:
            return self._description(seq, determiner)
        return None

    def _description(self, seq: list[Token], determiner: Token | None) -> Phrase:
        start = determiner[0] if determiner else seq[0][0]
        return start, seq[-1][1], "description"

    def phrase_before(self, tokens: list[Token]) -> Phrase | None:
        """The speaker phrase that ends with the last of `tokens`."""
        if not tokens:
            return None
        last = _low(tokens[-1][2])
        if last in _PRONOUNS:
            return tokens[-1][0], tokens[-1][1], "pronoun"
        j = len(tokens) - 1
        while j > 0:
            word = tokens[j - 1][2]
            low = _low(word)
            if _is_word(word) and low not in _FUNCTION_WORDS and low not in _AUX | _PASSIVE:
                if _VERB.fullmatch(word):
                    break
                j -= 1
            elif low in _QUALIFIERS | _NAME_JOINERS and j > 1 and _is_word(tokens[j - 2][2]):
                j -= 1
            else:
                break
        determiner = None
        if j > 0 and _low(tokens[j - 1][2]) in _DETERMINERS:
            determiner = tokens[j - 1]
        seq = tokens[j:]
        while seq and seq[0][2] in _NAME_JOINERS | _QUALIFIERS:
            seq = seq[1:]
        found = self._analyse(seq, determiner)
        if found is None:
            found = self._head_before_qualifier(tokens)
        return found

    def _head_before_qualifier(self, tokens: list[Token]) -> Phrase | None:
        """For "Separatist authorities in the Luhansk region said": a speaker noun a few words
        back, followed by the place or body it belongs to."""
        for k in range(len(tokens) - 2, max(len(tokens) - 9, 0) - 1, -1):
            word = tokens[k][2]
            if word in _PUNCTUATION or _low(word) in _CONNECTIVES:
                return None
            if (
                _low(word) in _SPEAKER_NOUNS
                and word.islower()
                and (_low(tokens[k + 1][2]) in {"in", "of", "at", "from", "for", "with", "on"})
            ):
                return self.phrase_before(tokens[: k + 1])
        return None

    def phrase_after(self, pos: int, limit: int) -> Phrase | None:
        """The speaker phrase that starts at `pos` ("said Arteta", "says the Chelsea boss",
        "according to ESPN's Jeff Passan")."""
        tokens = self.tokens(pos, limit)
        if not tokens:
            return None
        if _low(tokens[0][2]) in _PRONOUNS:
            return tokens[0][0], tokens[0][1], "pronoun"
        determiner = None
        if _low(tokens[0][2]) in _DETERMINERS | {"its", "his", "her", "their"}:
            determiner, tokens = tokens[0], tokens[1:]
        seq: list[Token] = []
        for k, token in enumerate(tokens):
            word, low = token[2], _low(token[2])
            if _is_word(word) and low not in _FUNCTION_WORDS and low not in _AUX | _PASSIVE:
                if _VERB.fullmatch(word):
                    break
                if (
                    seq
                    and word.islower()
                    and low not in _SPEAKER_NOUNS
                    and (_is_name(seq[-1][2]) or _low(seq[-1][2]) in _SPEAKER_NOUNS)
                ):
                    break  # "Arteta shared ...", "the spokesman added ...": the verb
                seq.append(token)
            elif (
                low in _QUALIFIERS | _NAME_JOINERS
                and seq
                and k + 1 < len(tokens)
                and _is_name(tokens[k + 1][2])
            ):
                seq.append(token)
            else:
                break
            if len(seq) >= 8:
                break
        # a description ends at its head noun: "the Chelsea boss", "a spokesman for BEUC"
        heads = [k for k, t in enumerate(seq) if _low(t[2]) in _SPEAKER_NOUNS and t[2].islower()]
        if heads and not all(
            _is_name(t[2]) for t in seq[heads[-1] + 1 :] if t[2] not in _QUALIFIERS
        ):
            seq = seq[: heads[-1] + 1]
        if (
            seq
            and heads
            and seq[-1][2] not in _QUALIFIERS
            and all(_is_name(t[2]) or t[2] in _NAME_JOINERS for t in seq[heads[-1] + 1 :])
            and heads[-1] + 1 < len(seq)
            and seq[heads[-1] + 1][2] not in _QUALIFIERS
        ):
            # "coach Adam Forde": the role introduces the name
            seq = seq[heads[-1] + 1 :]
            determiner = None
        # "Wick of Massachusetts Cranberries": a known surname ends the name
        if len(seq) > 2 and seq[1][2] == "of" and seq[0][2] in self.surnames:
            seq = seq[:1]
        while seq and seq[-1][2] in _NAME_JOINERS | _QUALIFIERS:
            seq = seq[:-1]
        return self._analyse(seq, determiner)

    def phrase_over_appositive(self, tokens: list[Token]) -> Phrase | None:
        """In "Jens Stoltenberg, NATO secretary general, said": the last bare name among the
        comma- or dash-separated segments, else the phrase opening the first segment that is
        not an introductory phrase ("Separatist authorities in the Luhansk region, where …,")."""
        segments: list[list[Token]] = [[]]
        for token in tokens:
            if token[2] in _PUNCTUATION:
                segments.append([])
            else:
                segments[-1].append(token)
        segments = [s for s in segments if s]
        for segment in reversed(segments):
            words = [t[2] for t in segment]
            if (
                len(words) <= 6
                and _is_name(words[0])
                and all(_is_name(w) or w in _NAME_JOINERS or _low(w) in _SUFFIXES for w in words)
            ):
                found = self._analyse(segment, None)
                if found:
                    return found
        for segment in segments[:-1] or segments:
            first = _low(segment[0][2])
            if first in _FUNCTION_WORDS or first.endswith("ing"):
                continue
            return self.phrase_after(segment[0][0], segment[-1][1])
        return None

    def subject_at_start(self, s_start: int, limit: int) -> Phrase | None:
        """The subject that opens a sentence, past an introductory phrase ("At the summit, he
        appeared ..., saying")."""
        tokens = self.tokens(s_start, limit)
        if not tokens:
            return None
        first = _low(tokens[0][2])
        if (first in _FUNCTION_WORDS - _PRONOUNS - _DETERMINERS or first.endswith("ing")) and any(
            t[2] == "," for t in tokens
        ):
            comma = next(k for k, t in enumerate(tokens) if t[2] == ",")
            tokens = tokens[comma + 1 :]
        if not tokens:
            return None
        found = self.phrase_after(tokens[0][0], limit)
        if found is None and any(t[2] == "," for t in tokens):
            comma = next(k for k, t in enumerate(tokens) if t[2] == ",")
            if comma + 1 < len(tokens):
                found = self.phrase_after(tokens[comma + 1][0], limit)
        return found

    # -- names -----------------------------------------------------------------------------

    def _collect_names(self) -> None:
        """Capitalised runs outside quotations, without titles or owners; a run is a person
        unless it looks like an organisation or place. Single words count as persons when
        they are the surname or first name of one."""
        for p_start, p_end in self.paragraphs:
            tokens = self.tokens(p_start, p_end)
            k = 0
            while k < len(tokens):
                if not _is_name(tokens[k][2]):
                    k += 1
                    continue
                j = k + 1
                while j < len(tokens) and (
                    _is_name(tokens[j][2])
                    or _low(tokens[j][2]) in _SUFFIXES
                    or (
                        tokens[j][2] in _NAME_JOINERS - {"and"}
                        and j + 1 < len(tokens)
                        and _is_name(tokens[j + 1][2])
                    )
                ):
                    j += 1
                self._add_name(tokens, k, j)
                k = j
        people = [n for n in self.names if n.person and len(n.text.split()) >= 2]
        self.surnames = {self._surname(n.text) for n in people}
        firsts = {n.text.split()[0] for n in people}
        for name in self.names:
            if len(name.text.split()) == 1 and name.text in self.surnames | firsts:
                name.person = True
        self.full_names = {n.text for n in self.names if len(n.text.split()) >= 2}
        self.person_names = {n.text for n in self.names if n.person}
        # The full names a shorter form can stand for: no organisation word in them.
        self.full_people = [
            full.split()
            for full in sorted(self.full_names)
            if not any(_low(w) in _ORG_WORDS for w in full.split())
        ]
        self.acronyms = {
            m.group(2): re.sub(r"^(?:The|A|An)\s+", "", m.group(1))
            for m in re.finditer(
                r"((?:[A-Z][\w’'-]*\s+){1,6}?[A-Z][\w’'-]*)\s+\(([A-Z]{2,})\)", self.text
            )
        }

    def _add_name(self, tokens: list[Token], k: int, j: int) -> None:
        run = tokens[k:j]
        owners = [i for i, t in enumerate(run[:-1]) if _POSSESSIVE.search(t[2])]
        if owners:
            run = run[owners[-1] + 1 :]
        words = [t[2] for t in run]
        descriptors: set[str] = set()
        titled = [i for i, w in enumerate(words) if _low(w) in _TITLES]
        if titled and titled[-1] < len(words) - 1:
            descriptors |= {w.lower() for w in words[: titled[-1] + 1]}
            run = run[titled[-1] + 1 :]
            words = words[titled[-1] + 1 :]
        while run and words[0] in _NAME_JOINERS:
            run, words = run[1:], words[1:]
        if not run:
            return
        # the role words just before the name: "Arsenal boss Mikel Arteta"
        if k > 0 and _low(tokens[k - 1][2]) in _TITLES | _PERSON_NOUNS:
            before = k - 1
            while (
                before >= 0
                and k - before <= 3
                and _is_word(tokens[before][2])
                and _low(tokens[before][2]) not in _FUNCTION_WORDS
                and not _VERB.fullmatch(tokens[before][2])
            ):
                descriptors.add(tokens[before][2].lower())
                before -= 1
        end = run[-1][1]
        appositive = re.match(r",\s+([^,.;]+?),", self.blank[end : end + 100])
        if appositive and re.search(
            r"\b(?:" + "|".join(_TITLES | _PERSON_NOUNS) + r")\b|\d+-year-old",
            appositive.group(1).lower(),
        ):
            descriptors |= {w.lower() for w in re.findall(r"[\w-]+", appositive.group(1))}
        text = self.text[run[0][0] : end]
        previous = _low(tokens[k - 1][2]) if k > 0 else ""
        org = (
            any(_low(w) in _ORG_WORDS for w in words)
            or (len(words) == 1 and words[0].isupper())
            or any(w.isupper() and len(w) > 1 and _low(w) not in _SUFFIXES for w in words[1:])
            or previous in {"the", "at", "in", "from", "of", "on", "near", "into"}
            or previous in _ORG_NOUNS
            or any(ch.isdigit() for ch in text)
        )
        person = not org and (len(words) in (2, 3, 4) or bool(descriptors))
        self.names.append(_Name(run[0][0], end, text, person, descriptors))

    @staticmethod
    def _surname(name: str) -> str:
        words = [w for w in name.split() if _low(w) not in _SUFFIXES]
        return words[-1] if words else name

    def _is_person(self, name: str) -> bool:
        return name in self.person_names or name in self.surnames

    # -- speech verbs ----------------------------------------------------------------------

    def _verb(self, start: int, end: int) -> None:
        verb = self.text[start:end]
        s_start, s_end = self.sentence_at(start)
        lo, quote_before, previous_sentence = s_start, None, False
        for quote in self.quotes_in(self.paragraph_at(start)[0], start):
            if quote.close_at > start:
                continue
            if s_start <= quote.open_at:
                lo, quote_before, previous_sentence = quote.close_at, quote, False
            elif quote.close_at <= s_start and re.fullmatch(
                r"[ \t]*", self.text[quote.close_at : s_start]
            ):
                # The splitter ends a sentence after “…?” even when the attribution follows
                # ("“…?” Lewis recounted."); a clause after the verb says otherwise below.
                lo, quote_before, previous_sentence = quote.close_at, quote, True
        if (
            previous_sentence
            and quote_before is not None
            and not self._only_circumstance(verb, self.blank[end:s_end])
        ):
            lo, quote_before = s_start, None
        tokens = self.tokens(lo, start)
        while tokens and _low(tokens[-1][2]) in _AUX:
            tokens.pop()
        progressive = False
        if verb in _PARTICIPLES and tokens and _low(tokens[-1][2]) in _PASSIVE - {"been", "be"}:
            tokens.pop()  # "Dunlop is promising": a finite verb after all
            progressive = True
        elif tokens and _low(tokens[-1][2]) in _PASSIVE:
            return  # "was accused of": no speaker named here
        last = _low(tokens[-1][2]) if tokens else ""
        speaker: Phrase | None = None
        inherit = False
        inverted = False
        if verb in _PARTICIPLES and not progressive:
            if last not in {",", _QUOTED}:
                return  # "on the verge of adding", "By simply saying": not attributions
            inherit = True
        elif last in _CONNECTIVES:
            inherit = True  # "Pochettino ... and says"; "... although admitted"
        elif last in _RELATIVES:
            before = tokens[:-1]
            while before and before[-1][2] in _PUNCTUATION:
                before.pop()
            speaker = self.phrase_over_appositive(before) if before else None
            if speaker is None and before:
                speaker = self.phrase_before(before)
        elif not tokens or last == ",":
            after = self.phrase_after(end, s_end) if verb in _INVERTIBLE else None
            if after and self._ends_clause(after[1], s_end):
                speaker, inverted = after, True
            elif tokens:
                speaker = self.phrase_over_appositive(tokens)
        elif last in _PUNCTUATION:
            speaker = self.phrase_over_appositive(tokens)
        else:
            speaker = self.phrase_before(tokens)
        if speaker is None and not inherit and quote_before is not None and lo > s_start:
            # the quotation sat inside an appositive: "Lewis — his books include “…” — said"
            whole = self.tokens(s_start, start)
            while whole and _low(whole[-1][2]) in _AUX:
                whole.pop()
            if whole and whole[-1][2] in _PUNCTUATION - {_QUOTED}:
                speaker = self.phrase_over_appositive(whole)
                quote_before = None
        source = None
        if inherit:
            source = self._previous_in_sentence(start, s_start)
            if source is None:
                speaker = self.subject_at_start(s_start, start)
        if source is None and speaker is None:
            return
        who = {
            "speaker": self.text[speaker[0] : speaker[1]] if speaker else "",
            "anchor": speaker[0] if speaker and inverted else start,
            "source": source,
        }
        # “…,” X said / “…,” said X: the quotation just before is the statement.
        if (
            quote_before is not None
            and not re.search(r"(?<![A-Z])[.!?]\s", self.blank[quote_before.close_at : start])
            and len(self.text[quote_before.close_at : start].split()) <= 30
            and not quote_before.used
        ):
            self._direct(quote_before, verb, who)
            self._split_continuation(speaker[1] if inverted and speaker else end, s_end, verb, who)
            return
        if inverted and speaker:  # CLAUSE, says X, a partner at Y.
            clause_start = self._clause_start(s_start, start)
            clause_end = self._trim_end(clause_start, start)
            if len(self.text[clause_start:clause_end].split()) >= _CLAUSE_MIN_WORDS:
                self.add(_Draft(clause_start, clause_end, verb, "reported", **who))
            return
        self._content_after(end, s_end, verb, who)

    @staticmethod
    def _only_circumstance(verb: str, rest: str) -> bool:
        """Whether what follows a verb is only when, where or to whom it was said ("Lewis
        recounted.", "said ahead of a meeting", "told The Age on Sunday"), not a clause."""
        words = re.findall(r"[\w’'-]+", rest)
        if verb in _TELLING and words and (words[0][0].isupper() or words[0] in _OBJECT_PRONOUNS):
            while words and (words[0][0].isupper() or words[0] in _OBJECT_PRONOUNS):
                words = words[1:]
        return not words or words[0].lower() in _CIRCUMSTANCE

    def _ends_clause(self, pos: int, s_end: int) -> bool:
        """An inverted speaker ends its clause: "says Jon Turow, a partner", "said Arteta."."""
        rest = self.blank[pos:s_end]
        return bool(
            re.match(
                r"\s*(?:[,.;:!?)—–]|\(|$|\s(?:in|on|at|of|as|during|who|after|before|when|while|per)\b)",
                rest,
            )
        )

    def _previous_in_sentence(self, pos: int, s_start: int) -> _Draft | None:
        before = [d for d in self.drafts if s_start <= d.anchor < pos]
        return max(before, key=lambda d: d.anchor) if before else None

    def _clause_start(self, s_start: int, limit: int) -> int:
        """Where a statement ending at `limit` starts: after the last statement in the
        sentence, else at the sentence start."""
        start = s_start
        for draft in self.drafts:
            if s_start <= draft.end <= limit:
                start = max(start, draft.end + 1)
        while start < limit and not (self.text[start].isalnum() or self.text[start] in '“"‘'):
            start += 1
        return start

    def _trim_end(self, start: int, end: int) -> int:
        while end > start and self.text[end - 1] in " ,;:—–-":
            end -= 1
        if end > start and self.text[end - 1] in ".!?" and not self.inside[end - 1]:
            end -= 1
        return end

    def _direct(self, quote: _Quote, verb: str, who: dict) -> None:
        quote.used = True
        self.add(_Draft(quote.start, quote.end, verb, "direct", **who))

    def _split_continuation(self, pos: int, s_end: int, verb: str, who: dict) -> None:
        """“…,” X said, “…”: the second half belongs to X too."""
        gap = re.match(r"[ ,:;]*", self.text[pos:s_end])
        after = pos + (gap.end() if gap else 0)
        for quote in self.quotes_in(after, after + 1):
            if after > pos and not quote.used:
                self._direct(quote, verb, who)

    def _content_after(self, end: int, s_end: int, verb: str, who: dict) -> None:
        text = self.text
        pos = end
        if verb in _TELLING:
            obj = re.match(
                r"\s+(?:(?:me|us|him|her|them|you|reporters|journalists)\b|(?:the\s+)?"
                r"(?:[A-Z][\w’'\-.]*\s+){0,3}[A-Z][\w’'\-.]*)",
                self.blank[pos:s_end],
            )
            if not obj:
                return
            pos += obj.end()
        rest = self.blank[pos:s_end]
        that = re.match(r"((?:\s+[\w’'\-.]+){0,14}?)\s+that\b", rest)
        # "said at the time that", "revealed in his press conference ... that"; not the
        # "that" of "it will take that step"
        lead = that.group(1).split() if that else []
        if (
            that
            and verb not in _OBJECT_VERBS
            and (not lead or lead[0].lower() in _CIRCUMSTANCE or lead[0][0].isupper())
        ):
            pos += that.end()
        elif verb in _CALLING and re.match(r"\s+(?:for|on|off|up|out|in|it|to)\b", rest):
            return
        while pos < s_end and text[pos] in " ,:":
            pos += 1
        if pos >= s_end:
            return
        content_end = self._content_end(pos, s_end)
        for quote in self.quotes_in(pos, pos + 1):
            if not re.search(r"\w", self.blank[quote.close_at : content_end]):
                self._direct(quote, verb, who)
                return
        content = text[pos:content_end]
        words = len(content.split())
        if verb in _OBJECT_VERBS:
            needed = _OBJECT_MIN_WORDS
            if verb.startswith("describ") and not re.search(r"\bas\b", content):
                return
            if verb in _CALLING and words > 4 and not re.search(r"[“\"‘]|\bas\b", content):
                return
        else:
            needed = _CLAUSE_MIN_WORDS
        if words < needed or re.match(r"(?:to|up)\s", content):
            return
        if verb.startswith("add") and re.match(r"[\d$€£%]", content):
            return  # "Goodman added 0.5 per cent": a gain, not a remark
        for quote in self.quotes_in(pos, content_end):
            quote.used = True
        self.add(_Draft(pos, content_end, verb, "reported", **who))

    def _content_end(self, pos: int, s_end: int) -> int:
        """The end of a reported clause: the sentence end, or where the next attribution in
        the sentence begins (", adding", " and added", ", while Arteta said")."""
        blank = self.blank[pos:s_end]
        verbs = sorted(_PARTICIPLES | {"according to"} | _SAY_VERBS, key=len, reverse=True)
        stop = re.search(
            r"(?:,\s*|(?<=_)\s+|\s+(?:and|but)\s+(?:(?:he|she|they|has|had|have|also|then|later)\s+)*)(?="
            + "|".join(re.escape(v) for v in verbs)
            + r"\b)",
            blank,
        )
        end = pos + stop.start() if stop else s_end
        for match in _VERB.finditer(self.blank, pos, end):
            # a second speaker: the clause ends before "…, while Arteta said"
            tokens = self.tokens(pos, match.start())
            while tokens and _low(tokens[-1][2]) in _AUX:
                tokens.pop()
            if len(tokens) < 3 or _low(tokens[-1][2]) in _PASSIVE:
                continue
            phrase = self.phrase_before(tokens)
            if phrase is None or (phrase[2] == "pronoun" and phrase[0] == tokens[0][0]):
                continue
            before = self.tokens(pos, phrase[0])
            if before and (before[-1][2] == "," or _low(before[-1][2]) in _CONNECTIVES):
                end = phrase[0]
                while self.tokens(pos, end) and (
                    self.tokens(pos, end)[-1][2] == ","
                    or _low(self.tokens(pos, end)[-1][2]) in _CONNECTIVES
                ):
                    end = self.tokens(pos, end)[-1][0]
                break
        for quote in self.quotes_in(pos, end):  # a quotation the clause opens ends in it
            if end < quote.close_at:
                end = quote.close_at
        return self._trim_end(pos, end)

    # -- "according to X" ------------------------------------------------------------------

    def _according(self, start: int, end: int) -> None:
        s_start, s_end = self.sentence_at(start)
        found = self.phrase_after(end, s_end)
        after_end = found[1] if found else end
        # "according to executive GM of marketing at the Swans, Loretta Johns."
        named = re.match(
            r"[^,.;]*,\s+((?:[A-Z][\w’'\-.]*\s+){0,3}[A-Z][\w’'\-.]*)\s*[.!?]?\s*$",
            self.blank[end:s_end],
        )
        if named and (
            found is None
            or re.search(r"\b[a-z]{3,}\b", self.blank[found[1] : end + named.start(1)])
        ):
            found = (end + named.start(1), end + named.end(1), "name")
            after_end = s_end
        if found is None:
            return
        who = {"speaker": self.text[found[0] : found[1]], "anchor": start, "source": None}
        lead = self.blank[s_start:start]
        if not re.search(r"\w", lead):  # According to X, CLAUSE.
            comma = self.blank.find(",", found[1], s_end)
            if comma < 0:
                return
            clause_start = comma + 1
            while clause_start < s_end and self.text[clause_start].isspace():
                clause_start += 1
            clause_end = self._content_end(clause_start, s_end)
        else:
            if any(s_start <= d.anchor < start for d in self.drafts):
                return  # "“…,” wrote Diller, according to Bloomberg": the source of a source
            clause_start = self._clause_start(s_start, start)
            trailing = self.blank[after_end:s_end]
            if re.match(r"\s*[.!?]?\s*$", trailing):  # CLAUSE, according to X.
                clause_end = self._trim_end(clause_start, start)
            else:  # "The effect, according to Livingstone, has been positive."
                clause_end = self._trim_end(clause_start, s_end)
        if len(self.text[clause_start:clause_end].split()) >= _CLAUSE_MIN_WORDS:
            self.add(_Draft(clause_start, clause_end, "according to", "reported", **who))

    # -- paragraphs introduced by "X said:" and embedded posts ------------------------------

    def _block_quotes(self) -> None:
        """Paragraphs after one that ends "X said:" (or is "From X:") are X's statement, each
        one, up to a paragraph with quotation marks, an introduction of its own or a heading."""
        for index, (p_start, p_end) in enumerate(self.paragraphs):
            line = self.text[p_start:p_end].rstrip()
            if not line.endswith(":"):
                continue
            who = None
            verb = ""
            source = re.fullmatch(
                r"From ((?:the )?[A-Z][\w’'\-.]*(?:\s+[A-Z][\w’'\-.]*){0,4}):", line
            )
            if source:
                who, verb = {"speaker": source.group(1), "anchor": p_start, "source": None}, ""
            else:
                last = None
                for match in _VERB.finditer(line):
                    last = match
                if last and len(line[last.end() :].split()) <= 3:
                    s_start = self.sentence_at(p_start + last.start())[0]
                    tokens = self.tokens(s_start, p_start + last.start())
                    while tokens and _low(tokens[-1][2]) in _AUX:
                        tokens.pop()
                    phrase = None
                    if tokens and tokens[-1][2] in _PUNCTUATION:
                        phrase = self.phrase_over_appositive(tokens)
                    elif tokens:
                        phrase = self.phrase_before(tokens)
                    if phrase:
                        verb = last.group()
                        who = {
                            "speaker": self.text[phrase[0] : phrase[1]],
                            "anchor": p_start + last.start(),
                            "source": None,
                        }
            if not who:
                continue
            for q_start, q_end in self.paragraphs[index + 1 :]:
                body = self.text[q_start:q_end]
                quoted = [q for q in self.quotes if q_start <= q.open_at < q_end]
                if quoted:
                    if quoted[0].open_at == q_start and not quoted[0].used:
                        self._direct(quoted[0], verb, who)
                    break
                if body.rstrip().endswith(":") or len(body.split()) < 8:
                    break
                end = q_end - 1 if body.endswith(('"', "”")) else q_end
                self.add(_Draft(q_start, end, verb, "direct", **who))
                if end < q_end:
                    break  # the closing mark of the block

    def _posts(self) -> None:
        """A paragraph signed "— Name (@handle) Month D, YYYY" is an embedded post: its
        author's statement, unless it reports what someone else said."""
        signature = re.compile(r"\s+—\s+([^()\n]{2,60}?)\s+\(@\w+\)\s+\w+\s+\d{1,2},\s+\d{4}\s*$")
        for p_start, p_end in self.paragraphs:
            match = signature.search(self.text[p_start:p_end])
            if not match:
                continue
            body_end = p_start + match.start()
            if any(p_start <= d.start < body_end for d in self.drafts):
                continue
            text_end = body_end
            link = re.search(
                r"(?:\s*(?:pic\.twitter\.com|https?://)\S+)+\s*$", self.text[p_start:body_end]
            )
            if link:
                text_end = p_start + link.start()
            start = p_start
            if self.text[start] in '“"' and self.text[text_end - 1] in '”"':
                start, text_end = start + 1, text_end - 1
            for quote in self.quotes_in(p_start, body_end):
                quote.used = True
            who = {"speaker": match.group(1), "anchor": p_start + match.start(1), "source": None}
            self.add(_Draft(start, text_end, "posted", "direct", **who))

    # -- quotations without a verb of their own --------------------------------------------

    def _leftover_quotes(self) -> None:
        """A quotation nobody was attached to that opens a sentence: a pull quote signed with
        a name; else the speaker of the statement it continues (earlier in its paragraph, or
        the previous paragraph's quotation); else the person the paragraph just introduced."""
        for quote in self.quotes:
            if quote.used:
                continue
            p_start, p_end = self.paragraph_at(quote.open_at)
            s_start, _ = self.sentence_at(quote.open_at)
            if re.search(r"\w", self.blank[s_start : quote.open_at]):
                continue  # inside a sentence: a title, a term, a scare quote
            signed = re.fullmatch(
                r"\s*(?:[—–-]\s*)?((?:[A-Z][\w’'\-.]*\s+){1,3}[A-Z][\w’'\-.]*)\s*",
                self.text[quote.close_at : p_end],
            )
            if signed and quote.close_at < p_end:
                who = {"speaker": signed.group(1), "anchor": quote.close_at, "source": None}
                self._direct(quote, "", who)
                continue
            earlier = [d for d in self.drafts if p_start <= d.start < quote.open_at]
            if earlier:
                source = max(earlier, key=lambda d: d.start)
                self._direct(quote, "", {"speaker": "", "anchor": quote.open_at, "source": source})
                continue
            index = self.paragraph_starts.index(p_start)
            if quote.open_at == p_start and index:
                prev_start, prev_end = self.paragraphs[index - 1]
                last = [d for d in self.drafts if prev_start <= d.start < prev_end]
                if last and max(last, key=lambda d: d.start).kind == "direct":
                    source = max(last, key=lambda d: d.start)
                    who = {"speaker": "", "anchor": quote.open_at, "source": source}
                    self._direct(quote, "", who)
                    continue
                if (
                    not last
                    and len([s for s in self.sentences if prev_start <= s[0] < prev_end]) == 1
                ):
                    subject = self.subject_at_start(prev_start, prev_end)
                    if subject and subject[2] in ("name", "pronoun"):
                        name = self.text[subject[0] : subject[1]]
                        if subject[2] == "pronoun" or self._is_person(name):
                            self._direct(
                                quote, "", {"speaker": name, "anchor": subject[0], "source": None}
                            )
                            continue
            if len(self.text[quote.start : quote.end].split()) < 3:
                continue
            person = self._nearest_person(quote.open_at, p_start)
            if person is not None:
                self._direct(quote, "", {"speaker": person[1], "anchor": person[0], "source": None})

    def _nearest_person(self, pos: int, lo: int) -> tuple[int, str] | None:
        """The last person named (or referred to as he or she) between `lo` and `pos`."""
        best = None
        for name in self.names:
            if lo <= name.start and name.end <= pos and name.person:
                best = (name.start, name.text)
        for m in re.finditer(r"\b(?:he|she|He|She)\b", self.blank[lo:pos]):
            if best is None or lo + m.start() > best[0]:
                best = (lo + m.start(), m.group())
        return best

    # -- resolution ------------------------------------------------------------------------

    def _resolve(self) -> list[Statement]:
        self.drafts.sort(key=lambda d: (d.start, d.end))
        for draft in sorted(self.drafts, key=lambda d: d.anchor):
            self._resolve_one(draft)
        return [
            Statement(d.resolved, d.canonical, d.start, d.end, d.verb, d.kind)
            for d in self.drafts
            if d.resolved
        ]

    def _resolve_one(self, draft: _Draft, depth: int = 0) -> None:
        if draft.resolved or depth > 50:
            return
        if draft.source is not None:
            self._resolve_one(draft.source, depth + 1)
            draft.resolved, draft.canonical = draft.source.resolved, draft.source.canonical
            draft.person = draft.source.person
            return
        raw = re.sub(r"\s+", " ", draft.speaker).strip()
        if re.search(r"\w{3}\.$", raw):
            raw = raw[:-1]
        low = raw.lower()
        if low in {"he", "she"}:
            found = self._antecedent(draft.anchor)
            if found:
                draft.resolved, draft.person = found, True
                draft.canonical = self._canonical(found, draft.anchor)
            return
        if low in _PRONOUNS:
            if low == "it":
                org = self._last_org_speaker(draft.anchor)
                if org:
                    draft.resolved, draft.canonical = org.resolved, org.canonical
            return
        words = raw.split()
        if not words:
            return
        head = _low(words[-1])
        singular = head in _PERSON_NOUNS and not re.search(r"[^su]s$", head)
        described = (
            singular and words[-1].islower() and _low(words[0]) not in {"a", "an", "one"}
        ) or (low.startswith("the ") and len(words) == 2 and bool(_DEMONYM.search(low)))
        if described:
            person = self._described_person(raw, draft.anchor)
            if person:
                draft.resolved, draft.canonical, draft.person = raw, self._canonical(person), True
                return
        name = self._strip_title(raw)
        draft.resolved, draft.canonical = name, self._canonical(name, draft.anchor)
        draft.person = (
            singular or self._is_person(name) or self._is_person(draft.canonical)
        ) and not any(_low(w) in _ORG_WORDS for w in words)

    @staticmethod
    def _strip_title(raw: str) -> str:
        words = raw.split()
        titled = [k for k, w in enumerate(words) if _low(w) in _TITLES]
        if (
            titled
            and titled[-1] < len(words) - 1
            and all(_is_name(w) or w in _NAME_JOINERS for w in words)
        ):
            words = words[titled[-1] + 1 :]
        return " ".join(words)

    def _canonical(self, name: str, pos: int = 0) -> str:
        """The fullest form of `name` in the article: "Stoltenberg" -> "Jens Stoltenberg",
        "BEUC" -> "European Consumer Organisation"; "A and B" part by part. Two people with
        one surname: the one named last before `pos`. A long run that ends with a name the
        article also uses on its own is cut to that name ("First-year Magpie Oleg Markov" ->
        "Oleg Markov")."""
        parts = re.split(r"\s+and\s+", name)
        if len(parts) > 1 and all(p[:1].isupper() for p in parts):
            return " and ".join(self._canonical(p, pos) for p in parts)
        if name in self.acronyms:
            return self.acronyms[name]
        words = name.split()
        if not words or not all(
            _is_name(w) or w in _NAME_JOINERS or _low(w) in _SUFFIXES for w in words
        ):
            return name
        if name in self.canonical_cache:
            return self.canonical_cache[name]
        best = self._shortened(name)
        if best != name:
            self.canonical_cache[name] = best
            return best
        surname = self._surname(name)
        candidates = [
            " ".join(full_words)
            for full_words in self.full_people
            if len(full_words) > len(words)
            and (
                (len(words) == 1 and self._surname(" ".join(full_words)) == surname)
                or full_words[-len(words) :] == words
            )
        ]
        people = {self._shortened(c) for c in candidates}
        if len(people) > 1:  # the Kelce brothers: the one named last before this point
            before = [n for n in self.names if n.text in candidates and n.start < pos]
            if before:
                return self._shortened(max(before, key=lambda n: n.start).text)
        for candidate in candidates:
            if len(candidate.split()) > len(best.split()):
                best = candidate
        best = self._shortened(best)
        if len(people) <= 1:
            self.canonical_cache[name] = best
        return best

    def _shortened(self, name: str) -> str:
        """A run of three or more words cut to its last two or three when the article also
        uses those alone: an unknown title or label stood before the name."""
        words = name.split()
        for size in (2, 3):
            tail = " ".join(words[-size:])
            if size < len(words) and tail in self.full_names:
                return tail
        return name

    def _antecedent(self, pos: int) -> str | None:
        """Who "he" or "she" at `pos` is: the last person who spoke earlier in the same
        paragraph, else the last person named or heard before it."""
        p_start, _ = self.paragraph_at(pos)
        spoken = [d for d in self.drafts if p_start <= d.anchor < pos and d.resolved and d.person]
        if spoken:
            return max(spoken, key=lambda d: d.anchor).resolved
        best: tuple[int, str] | None = None
        for name in self.names:
            if name.person and name.end <= pos and (best is None or name.start > best[0]):
                best = (name.start, name.text)
        for draft in self.drafts:
            if (
                draft.person
                and draft.resolved
                and draft.anchor < pos
                and (best is None or draft.anchor > best[0])
            ):
                best = (draft.anchor, draft.resolved)
        return best[1] if best else None

    def _last_org_speaker(self, pos: int) -> _Draft | None:
        p_start, _ = self.paragraph_at(pos)
        index = self.paragraph_starts.index(p_start)
        lo = self.paragraphs[index - 1][0] if index else p_start
        orgs = [d for d in self.drafts if lo <= d.anchor < pos and d.resolved and not d.person]
        return max(orgs, key=lambda d: d.anchor) if orgs else None

    def _described_person(self, description: str, pos: int) -> str | None:
        """For "the Chelsea boss": the person introduced with the most of those words (a proper
        noun counts double), the nearest one on a tie; with no word shared, the last person
        who spoke."""
        wanted = [w for w in re.findall(r"[\w-]+", description.lower()) if w != "the"]
        proper = {w.lower() for w in re.findall(r"\b[A-Z][\w-]*", description)}
        best, best_score = None, 0
        later = None  # a headline names its speaker only after it
        for name in self.names:
            if not name.person:
                continue
            score = sum(2 if w in proper else 1 for w in wanted if w in name.descriptors)
            if score and name.start >= pos and later is None:
                later = name.text
            elif score and score >= best_score and name.start < pos:
                best, best_score = name.text, score
        return best or later or self._antecedent(pos)
