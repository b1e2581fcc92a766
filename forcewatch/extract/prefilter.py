"""The first pass over every article, before any model: one scan for police and harm words.

In a news stream almost every article is dropped here, so this is what most of the
stream costs. One Hyperscan database (Intel's multi-pattern regex engine, made for
scanning text for many patterns at once) holds the police/custody words and the harm
words; a single scan of the article's UTF-8 bytes reports where each kind occurs. From
those hits, without reading the text again:

* the article can only be a report if it has a word of each kind outside boilerplate
  (helplines, "Read more" links, captions: forcewatch.extract.boilerplate, checked only
  for the paragraphs that hold a hit, since other paragraphs cannot change the answer);
* the *windows* are what the model's first reading parses: every sentence in which an event
  can weigh as a report (forcewatch.extract.relevance.reachable bounds the whole reading's
  decision from them). A second scan, for the articles that pass, finds the reader's own
  anchors (its police, custody, pursuit and contact terms), its force words that weigh with
  no agent named (restraint, a bite, spray) and the oversight and setting words; the windows
  are each sentence with a harm word and an anchor, each harm sentence after an anchor
  sentence (both: "Officers arrived. They shot him."), each force sentence, and the lede's
  first sentence. An article with none of those has no windows: only its title is weighed.

`prefilter` and `candidate` keep their meaning (a word of each kind in the text) for the
callers that ask about one string.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

POLICE_WORDS = (
    r"\b(police|polic(e|ing)|policem[ae]n|policewom[ae]n|constables?|jawans?|officers?|cops?|deput(y|ies)|troopers?|sheriff'?s?|constables?|marshals?|gard(a|aí|ai)|"
    r"mounties?|RCMP|PSNI|constabulary|IOPC|IPCC|PIRC|GSOC|IPCA|SIU|IIO|ASIRT|custody|custodial|jail|inmate|detainee|"
    r"taser(ed)?|tased|law enforcement|patrol|SWAT|marksm[ae]n)\b"
)
HARM_WORDS = (
    r"\b(shot|shots|shooting|shoot|died|dies|dead|death|deaths|killed|kill|killing|injur(ed|ies|y)|wounded|wounds?|"
    r"hospital|tasered|tased|fatal(ly)?|collapsed|critical condition|unresponsive|bitten|breathing|unconscious|"
    r"crash(ed)?|collided|collision|overturned|bit|opened fire|fired|firing|gunfire|gunshot|restrain(ed|t)|"
    r"inquest|coroner|deceased|suicide|drowned|struck|beaten|pepper[- ]spray(ed)?|own life|lost (his|her|their) life|"
    r"fractur\w*|hit|hurt|bit|bites?|biting|mauled|bleed\w*|broken|baton(ed)?|struggle|scuffle|choked?|asphyxia\w*|"
    r"injur\w*|succumb\w*|gunned|hospitali[sz]ed|thrash\w*|lathi\w*|slamm?\w*|tackl\w*|beat(en|ing)?|assault\w*|"
    r"punch\w*|kick\w*|tortur\w*|tasers?|stun guns?|knelt|kneel\w*|consciousness|pinned|held (him|her|them) down|"
    r"(cardiac|respiratory|cardio-?respiratory) arrest|heart (attack|failure)|seizures?)\b"
)
_POLICE = re.compile(POLICE_WORDS, re.IGNORECASE)
_HARM = re.compile(HARM_WORDS, re.IGNORECASE)

POLICE, HARM = 1, 2
#: Paragraphs checked for boilerplate from the top whatever their words, to find the lede.
LEDE_PARAGRAPHS = 4
#: A sentence ends after . ! ? or a closing quote when the next one starts with a capital or an
#: opening quote, and at every line break (the same rule the first reading always used).
_SENTENCE_END = re.compile(rb"(?<=[.!?\"])\s+(?=[A-Z\"]|\xe2\x80\x9c)|(?<=\xe2\x80\x9d)\s+(?=[A-Z\"]|\xe2\x80\x9c)|\n+")
_PARAGRAPH = re.compile(rb"[^\n]+")


@lru_cache(maxsize=1)
def _database() -> Any:
    """The compiled Hyperscan database (once per process; compiling takes a few milliseconds)."""
    import hyperscan

    db = hyperscan.Database()
    # UTF-8 input; Hyperscan's \b is ASCII-only (it refuses \b in Unicode mode), unlike Python's:
    # a word touching a non-ASCII letter can differ, which the equivalence test on real text checks.
    flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_UTF8
    db.compile(expressions=[POLICE_WORDS.encode(), HARM_WORDS.encode()], ids=[POLICE, HARM], flags=[flags, flags])
    return db


def hits(data: bytes) -> tuple[list[int], list[int]]:
    """End offsets (in bytes) of every police word and every harm word in one scan."""
    police: list[int] = []
    harm: list[int] = []

    def on_match(kind: int, start: int, end: int, flags: int, context: object) -> None:
        (police if kind == POLICE else harm).append(end)

    _database().scan(data, match_event_handler=on_match)
    return police, harm


def prefilter(text: str) -> bool:
    """Could this text possibly be a report? A police or custody word and a harm word in it."""
    police, harm = hits(text.encode())
    return bool(police) and bool(harm)


def candidate(sentence: str) -> bool:
    """A sentence worth a first reading: the prefilter's two kinds of word in one sentence."""
    return prefilter(sentence)


@dataclass
class Screened:
    """What the first pass found: no police or harm word outside boilerplate (`passed` False),
    or the windows for the model's first reading and what the rest of the article holds."""

    passed: bool
    windows: str  # the window sentences, one per line, in article order
    event_sentences: int = 0  # sentences chosen because they can hold the event (the lede aside)
    oversight: bool = False  # an oversight body's name anywhere in the article (IOPC, SIU, watchdog...)
    setting: bool = False  # a custody or pursuit word anywhere: the article can be "about" one


def _boilerplate_paragraphs(data: bytes, at: set[int], lead: int = 0) -> list[tuple[int, int]]:
    """(start, end) byte spans of the boilerplate paragraphs among those with a hit and the first `lead`."""
    from forcewatch.extract.boilerplate import boilerplate_spans

    spans = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(data)]
    wanted = [i for i, (s, e) in enumerate(spans) if i < lead or any(s < x <= e for x in at)]
    if not wanted:
        return []
    # boilerplate_spans needs a paragraph and the one after it (captions repeat the next line).
    chosen = sorted({j for i in wanted for j in (i, i + 1) if j < len(spans)})
    pieces = [data[spans[j][0] : spans[j][1]].decode("utf-8", "replace") for j in chosen]
    out = []
    offset = 0
    starts = []
    for piece in pieces:
        starts.append(offset)
        offset += len(piece) + 1
    found = boilerplate_spans("\n".join(pieces))
    for start, _ in found:
        k = bisect_right(starts, start) - 1
        j = chosen[k]
        if j in wanted:
            out.append(spans[j])
    return out


ANCHOR, FORCE, OVERSIGHT, SETTING = 3, 4, 5, 6
#: Which neighbours of a harm sentence with no anchor of its own can lend it one: the sentence
#: before (the reader takes a pronoun's antecedent from it: "Officers arrived. They shot him.");
#: nothing in the sentence after changes the roles of an event.
NEIGHBOURS: tuple[int, ...] = (-1,)
#: Sentences of the lede read with the windows.
LEDE_SENTENCES = 1
_INFLECTIONS = r"(s|es|ed|d|ing|ings|ment|ments)?"


def _term(term: str) -> str:
    """A lexicon term (a lemma or a phrase) as a pattern for its inflected forms in raw text."""
    words = [re.escape(w) for w in term.split()]
    last = words[-1]
    if last.endswith("e") and len(last) > 3:
        last = f"(?:{last}|{last[:-1]}ing)"  # chase -> chasing, tackle -> tackling
    elif last[-1] not in "aeiouwxy" and last[-2:-1] in tuple("aeiou"):
        last = f"{last}{last[-1]}?"  # pin -> pinned, slam -> slammed
    return r"\b" + r"\s+".join([*words[:-1], last]) + _INFLECTIONS + r"\b"


@lru_cache(maxsize=1)
def _reading_database() -> Any:
    """A second Hyperscan database, from the reader's own lexicon and triggers (forcewatch.read),
    for the articles that pass: what the windows must hold for the first reading to bound the
    whole reading's decision (forcewatch.extract.relevance.reachable). It imports the reader's
    word lists (and so spaCy), which a stream that nothing passes never does."""
    import hyperscan

    from forcewatch.read.events import TRIGGERS
    from forcewatch.read.lexicon import TERMS

    # Words that put police in an event's sentence, or a custody/pursuit/contact setting on it.
    anchors = {t for label in ("POLICE", "CUSTODY", "PURSUIT", "CONTACT") for t in TERMS[label]}
    # Force that weighs as a report with no agent named ("he was restrained", "was bitten"): the
    # sentence is a window on its own. "stun" counts only as "stun gun" (an anchor), "bit" is too
    # often "a bit".
    force = {w for w, kind in TRIGGERS.items() if kind in ("taser", "restraint", "dog", "chemical")} - {"stun"}
    force |= {"bitten", "knelt"}
    settings = set(TERMS["PURSUIT"]) | {"custody", "custodial", "cell", "jail", "detention"}
    kinds = {ANCHOR: anchors, FORCE: force, OVERSIGHT: set(TERMS["OVERSIGHT"]), SETTING: settings}
    # One expression per term (Hyperscan compiles these faster than one alternation per kind).
    expressions = [(kind, _term(t)) for kind, terms in kinds.items() for t in sorted(terms)]
    db = hyperscan.Database()
    flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_UTF8
    db.compile(
        expressions=[e.encode() for _, e in expressions],
        ids=[kind for kind, _ in expressions],
        flags=[flags] * len(expressions),
    )
    return db


def reading_hits(data: bytes) -> dict[int, list[int]]:
    """End offsets of the anchor, force, oversight and setting words, in one scan."""
    found: dict[int, list[int]] = {ANCHOR: [], FORCE: [], OVERSIGHT: [], SETTING: []}

    def on_match(kind: int, start: int, end: int, flags: int, context: object) -> None:
        found[kind].append(end)

    _reading_database().scan(data, match_event_handler=on_match)
    return found


def screen_text(text: str) -> Screened:
    """The first pass over one article body: one scan, then windows from the hits alone.

    An article with a police word and a harm word outside boilerplate gets a second scan for
    the reader's anchors (police, custody, pursuit and contact words), its force words and the
    oversight and setting words; the windows are then every sentence where an event can weigh
    more than the article's setting alone gives it (forcewatch.extract.relevance.reachable):
    a harm word with an anchor in its sentence or the one before (both sentences), and every
    force word; plus the lede's first sentence when there is any."""
    data = text.encode()
    police, harm = hits(data)
    if not police or not harm:
        return Screened(False, "")
    more = reading_hits(data)
    anchor, force = sorted(set(police) | set(more[ANCHOR])), more[FORCE]
    masked = _boilerplate_paragraphs(data, set(anchor) | set(harm) | set(force), lead=LEDE_PARAGRAPHS)
    if masked:

        def keep(offsets: list[int]) -> list[int]:
            return [x for x in offsets if not any(s < x <= e for s, e in masked)]

        police, harm, anchor, force = keep(police), keep(harm), keep(anchor), keep(force)
        if not police or not harm:
            return Screened(False, "")
    breaks = list(_SENTENCE_END.finditer(data))
    ends = [m.start() for m in breaks]
    starts = [0] + [m.end() for m in breaks]
    bounds = list(zip(starts, [*ends, len(data)], strict=True))

    def sentence_of(offset: int) -> int:
        return bisect_right(starts, offset - 1) - 1

    with_anchor = {sentence_of(x) for x in anchor}
    with_harm = {sentence_of(x) for x in harm}
    chosen: set[int] = {sentence_of(x) for x in force}
    for i in with_harm:
        if i in with_anchor:
            chosen.add(i)
            continue
        for j in NEIGHBOURS:  # the police or setting word in the sentence before: a pronoun's antecedent
            if i + j in with_anchor:
                chosen.update((i, i + j))
    event_sentences = len(chosen)
    if not chosen:  # no sentence where an event can weigh more than the setting gives it: nothing to read
        return Screened(True, "", 0, bool(more[OVERSIGHT]), bool(more[SETTING]))
    # The lede's first sentence (who the article is about: names said as a person's or an officer's).
    readable = [
        i for i, (s, e) in enumerate(bounds) if data[s:e].strip() and not any(ms <= s < me for ms, me in masked)
    ]
    chosen.update(readable[:LEDE_SENTENCES])
    windows = [data[bounds[i][0] : bounds[i][1]].decode("utf-8", "replace").strip() for i in sorted(chosen)]
    return Screened(
        True, "\n".join(w for w in windows if w), event_sentences, bool(more[OVERSIGHT]), bool(more[SETTING])
    )
