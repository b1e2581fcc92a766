"""The first pass over every article, before any model: one scan for police and harm words.

In a news stream almost every article is dropped here, so this is what most of the
stream costs. One Hyperscan database (Intel's multi-pattern regex engine, made for
scanning text for many patterns at once) holds the police/custody words and the harm
words; a single scan of the article's UTF-8 bytes reports where each kind occurs. From
those hits, without reading the text again:

* the article can only be a report if it has a word of each kind outside boilerplate
  (helplines, "Read more" links, captions: forcewatch.extract.boilerplate, checked only
  for the paragraphs that hold a hit, since other paragraphs cannot change the answer);
* the *windows* are what the model's first reading parses: the lede (its first sentence, or
  its first three when no sentence holds both kinds of word), each sentence that holds
  both kinds, and each sentence with a harm word next to a sentence with a police word
  (both sentences: "A man died in Marrowby on Sunday. Officers had restrained him.").

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
    r"punch\w*|kick\w*|tortur\w*)\b"
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
    or the windows for the model's first reading (empty when no sentence can hold the event)."""

    passed: bool
    windows: str  # the window sentences, one per line, in article order


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


def screen_text(text: str) -> Screened:
    """The first pass over one article body: one scan, then windows from the hits alone."""
    data = text.encode()
    police, harm = hits(data)
    if not police or not harm:
        return Screened(False, "")
    masked = _boilerplate_paragraphs(data, set(police) | set(harm), lead=LEDE_PARAGRAPHS)
    if masked:
        police = [x for x in police if not any(s < x <= e for s, e in masked)]
        harm = [x for x in harm if not any(s < x <= e for s, e in masked)]
        if not police or not harm:
            return Screened(False, "")
    breaks = list(_SENTENCE_END.finditer(data))
    ends = [m.start() for m in breaks]
    starts = [0] + [m.end() for m in breaks]
    bounds = list(zip(starts, [*ends, len(data)], strict=True))

    def sentence_of(offset: int) -> int:
        return bisect_right(starts, offset - 1) - 1

    with_police = {sentence_of(x) for x in police}
    with_harm = {sentence_of(x) for x in harm}
    chosen: set[int] = set()
    for i in with_harm:
        if i in with_police:
            chosen.add(i)
            continue
        for j in (i - 1, i + 1):  # the police word in the sentence before or after
            if j in with_police:
                chosen.update((i, j))
    # The lede always (it tells the event even when police and harm fall in different sentences):
    # its first sentence, or its first three when no sentence holds both kinds of word.
    both = any(i in with_police for i in with_harm)
    readable = [
        i for i, (s, e) in enumerate(bounds) if data[s:e].strip() and not any(ms <= s < me for ms, me in masked)
    ]
    chosen.update(readable[: 1 if both else 3])
    windows = [data[bounds[i][0] : bounds[i][1]].decode("utf-8", "replace").strip() for i in sorted(chosen)]
    return Screened(True, "\n".join(w for w in windows if w))
