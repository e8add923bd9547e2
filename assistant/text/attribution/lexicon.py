"""The word lists and patterns attribution runs on: speech verbs, the words that may stand
between a speaker and its verb, the nouns that can speak without a name, titles, the words
that mark a capitalised run as an organisation, place or date rather than a person, and the
token pattern.

They describe English news prose in general, not any one article. `list_form` is the form of
a token the lists hold; `is_name` and `is_word` classify a single token."""

from __future__ import annotations

import functools
import re


def _words(text: str) -> set[str]:
    return set(text.split())


# Verbs whose complement is what was said. Lower case only: a capitalised "Said" or
# "Mentioned" opens a headline or a fragment more often than a statement.
SAY_VERBS = _words(
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
OBJECT_VERBS = _words(
    """accused accuses accusing denied denies denying called calls described describes describing
    labelled labeled labels praised praises praising advised advises"""
)
MULTIWORD_VERBS = ("pointed out", "points out", "pointing out", "put it")
PARTICIPLES = {v for v in SAY_VERBS | OBJECT_VERBS | set(MULTIWORD_VERBS) if "ing" in v}
# Verbs that can follow their speaker ("“…,” said Arteta"; "…, says Jon Turow, a partner").
INVERTIBLE = _words(
    """said says added adds wrote writes explained explains noted notes recalled recalls
    continued insisted stated states warned recounted replied argued"""
)
# "call" and "label" are speech only with a quoted or short predicate ("called it “trash”").
CALLING = _words("called calls labelled labeled labels")
# Verbs followed by whom they told, before what they said.
TELLING = _words("told tells")
CLAUSE_MIN_WORDS = 4  # "maintained his innocence" is not a statement; "it was over" is
OBJECT_MIN_WORDS = 2

VERB = re.compile(
    r"\b(?:"
    + "|".join(re.escape(v) for v in MULTIWORD_VERBS)
    + "|"
    + "|".join(sorted(SAY_VERBS | OBJECT_VERBS, key=len, reverse=True))
    + r")\b"
)
ACCORDING = re.compile(r"\b[Aa]ccording to\b")

# Words between a subject and its verb ("Lloyd Austin, meanwhile, has called").
AUX = _words(
    """has have had also further later then initially previously once recently repeatedly
    publicly privately earlier already even still just reportedly subsequently immediately
    meanwhile however again separately simply would will can could may might never
    additionally quickly frequently often always only first last"""
)
PASSIVE = _words("was were been be is are being get got")
PRONOUNS = {"he", "she", "they", "it"}
RELATIVES = {"who", "which"}
CONNECTIVES = _words("and but although though while yet")
# Heads of noun phrases that can speak without a name ("the ministry", "a spokesman for X").
PERSON_NOUNS = _words(
    """spokesman spokeswoman spokesperson official minister secretary president coach boss chief
    director manager executive prosecutor attorney lawyer adviser advisor analyst strategist
    economist expert experts professor founder chairman chairwoman leader commissioner
    ambassador senator governor mayor judge officer captain player reporter source sources
    researcher researchers scientist scientists doctor doctors officials prosecutors lawyers
    analysts economists spokespeople representative representatives envoy negotiator aide aides
    insider insiders general"""
)
ORG_NOUNS = _words(
    """ministry government company firm department agency authorities authority police military
    army command kremlin commission committee council court union club team league organisation
    organization office administration embassy regulator regulators group coalition campaign
    party board network newspaper alliance giant startup studio publisher"""
)
SPEAKER_NOUNS = PERSON_NOUNS | ORG_NOUNS
TITLES = _words(
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
ORG_WORDS = _words(
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
FUNCTION_WORDS = _words(
    """a an the this that these those in on at of for from with by to as after before when while
    if but and or so yet since during despite although though because until unless once still
    also then there here it its his her their our my your we i you he she they what which who
    whose how why where last next every each some many most more few one two three four five no
    not meanwhile however instead even just only already earlier later today yesterday tomorrow
    now speaking commenting asked like than into over under about against between through per
    via amid among toward towards upon did does do is are was were has have had can could will
    would should maybe perhaps indeed besides finally eventually ultimately initially
    additionally furthermore moreover nevertheless nonetheless otherwise thus therefore hence
    overall"""
)
DETERMINERS = _words("the a an one")
OBJECT_PRONOUNS = _words("me us him her them you reporters journalists")
# Words that open an adverbial after "said" rather than the clause that was said.
CIRCUMSTANCE = _words(
    """in on at of ahead after before during per from to about via when while as last this
    today yesterday earlier later recently afterwards afterward then tonight"""
)
QUALIFIERS = _words("of for at")  # "a spokesman for BEUC", "researchers at Imperial College"
NAME_JOINERS = _words("and of de van von der da del")
SUFFIXES = _words("jr jr. sr sr. ii iii iv")
QUOTED = "“…”"  # the token that stands for a whole quotation
PUNCTUATION = {",", "—", "–", "-", "(", ")", ";", ":", QUOTED}

TOKEN = re.compile(
    r"_+|(?:[A-Z]\.){2,}|[A-Z]\.(?=\s+[A-Z])"
    r"|(?:Dr|Mr|Mrs|Ms|Gov|Sen|Rep|Gen|Lt|Col|Sgt|Capt|Prof|Jr|Sr)\.(?=\s)"
    r"|[\w’'\-@&]+|[^\w\s]"
)
POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")
DEMONYM = re.compile(r"(?:ian|ean|an|ese|ish)$")
_POSSESSIVE_END = re.compile(r"(?:'s|(?<=s)')$")


@functools.lru_cache(maxsize=8192)
def list_form(token: str) -> str:
    """Lower case, without a final period or possessive ending: the form the lists hold."""
    return _POSSESSIVE_END.sub("", token.lower().rstrip(".").replace("’", "'"))


def is_name(token: str) -> bool:
    """A capitalised word that is not a function word ("The", "He", "In")."""
    return (
        token[:1].isupper()
        and list_form(token) not in FUNCTION_WORDS
        and list_form(token) not in PRONOUNS
        and not re.search(r"-[a-z]+$", token)  # "Africa-focused", "First-year": adjectives
        and not list_form(token).endswith("n't")  # "Didn’t", "Won't" opening a question
    )


def is_word(token: str) -> bool:
    return token[:1].isalnum()
