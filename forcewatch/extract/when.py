"""The incident's date and the timeline's clock times, with their qualifiers.

Written by hand over spans found with patterns, because news dating has rules that
general parsers do not know (dateparser was tried: it answers "on Friday" a week
early when published on a Friday, misses "9.30pm" and "just before 8pm", and finds
false dates such as "40" in whole texts):
  * a weekday means the latest such day on or before the publication date;
  * a day and month with no year means the latest such date on or before it, and
    when a weekday is also given, the latest year in which they agree;
  * the incident date is the date in the sentence that reports the event, never
    the publication date by default;
  * an article with no publication date has nothing to count back from: a weekday or
    "yesterday" there is left undated (the incident's dated articles supply the date),
    and a day and month without a year is taken only when a single year is stated in
    its sentence or, failing that, its paragraph. A bare "in 2019" dates nothing.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from forcewatch.extract.document import ArticleDoc
from forcewatch.model import Evidence

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON_NAMES = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_MON = rf"(?P<mon>{_MON_NAMES})"
_MON2 = rf"(?P<mon2>{_MON_NAMES})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

DATE_PATTERNS = [
    # "Thursday (November 23)", "Thursday, 23 November 2023", "Thursday November 23, 2023"
    re.compile(
        rf"\b{_WD}\s*[,(]?\s*(?:{_DAY}\s+{_MON}|{_MON2}\s+(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?)\)?(?:,?\s*{_YEAR})?", re.I
    ),
    # "23 November 2023", "on 3 March"
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}(?:,?\s*{_YEAR})?\b", re.I),
    # "November 23, 2023", "March 3"
    re.compile(rf"\b{_MON}\s+(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s*{_YEAR})?", re.I),
    # "3/4/2024" (order decided by country), "2024-03-04"
    re.compile(r"\b(?P<n1>\d{1,2})/(?P<n2>\d{1,2})/(?P<ny>\d{2}|\d{4})\b"),
    re.compile(r"\b(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b"),
    # "on Thursday night", "in the early hours of Saturday", "last Tuesday"
    re.compile(rf"\b(?P<last>last\s+)?{_WD}(?:\s+(?:morning|afternoon|evening|night))?\b", re.I),
    re.compile(
        r"\b(?P<rel>last night|yesterday|earlier today|this morning|this afternoon|this evening|overnight|tonight|today)\b",
        re.I,
    ),
]

_EVENT_CUE = re.compile(
    r"\b(shot|shoot|shooting|fired|opened fire|died|dies|death|killed|dead|injured|wounded|"
    r"tasered|tased|restrained|arrested|detained|collapsed|crash(ed)?|struck|hit|pursuit|chase|"
    r"happened|took place|occurred|incident|unresponsive|called|attended|pronounced|bitten)\b",
    re.I,
)
_LATER_CUE = re.compile(
    r"\b(inquest|funeral|vigil|court|trial|hearing|will|statement|press conference|named|identified|"
    r"post-mortem|released|said|says|confirmed|announced|told)\b",
    re.I,
)


def last_weekday(weekday: int, reference: date) -> date:
    """The latest date on or before `reference` that falls on `weekday` (0 = Monday)."""
    return reference - timedelta(days=(reference.weekday() - weekday) % 7)


def resolve_month_day(month: int, day: int, reference: date, weekday: int | None = None) -> date | None:
    """Latest date on or before reference with this month and day (and weekday, if given)."""
    for year in range(reference.year, reference.year - 30, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate > reference:
            continue
        if weekday is None or candidate.weekday() == weekday:
            return candidate
    return None


def resolve(
    match: re.Match[str], reference: date | None, us_order: bool, stated_year: int | None = None
) -> date | None:
    """The calendar date a matched phrase names, against the reference date.

    With no reference (an undated article) only what the text states is taken: a full
    date, or a day and month in `stated_year` (the year the text gives nearby).
    """
    groups = {k: v for k, v in match.groupdict().items() if v}
    try:
        if "iy" in groups:
            return date(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
        if "n1" in groups:
            a, b = int(groups["n1"]), int(groups["n2"])
            year = int(groups["ny"])
            year = year + 2000 if year < 100 else year
            month, day = (a, b) if us_order and a <= 12 else (b, a)
            if month > 12:
                month, day = day, month
            return date(year, month, day)
        if "rel" in groups:
            if reference is None:
                return None
            rel = groups["rel"].lower()
            if rel in ("last night", "yesterday", "overnight"):
                return reference - timedelta(days=1)
            return reference
        weekday = WEEKDAYS.index(groups["wd"].lower()) if "wd" in groups else None
        if "mon" in groups or "mon2" in groups:
            month = MONTHS[(groups.get("mon") or groups["mon2"]).lower().rstrip(".")]
            day = int(groups.get("day") or groups.get("day2") or 0)
            if "year" in groups:
                return date(int(groups["year"]), month, day)
            if reference is None:
                if stated_year is None:
                    return None
                found = date(stated_year, month, day)
                return found if weekday is None or found.weekday() == weekday else None
            return resolve_month_day(month, day, reference, weekday)
        if weekday is not None:
            if reference is None:
                return None
            found = last_weekday(weekday, reference)
            if "last" in groups and found == reference:
                found -= timedelta(days=7)
            return found
    except ValueError:
        return None
    return None


def month_day(match: re.Match[str]) -> str | None:
    """'MM-DD' (with '/weekday' when stated) of a day and month given without a year."""
    groups = {k: v for k, v in match.groupdict().items() if v}
    if not ("mon" in groups or "mon2" in groups) or "year" in groups:
        return None
    month = MONTHS[(groups.get("mon") or groups["mon2"]).lower().rstrip(".")]
    day = int(groups.get("day") or groups.get("day2") or 0)
    try:
        date(2000, month, day)  # a leap year: 29 February is a real day
    except ValueError:
        return None
    weekday = f"/{WEEKDAYS.index(groups['wd'].lower())}" if "wd" in groups else ""
    return f"{month:02d}-{day:02d}{weekday}"


def named_weekday(match: re.Match[str]) -> int | None:
    """The weekday (0 = Monday) a bare weekday phrase names ("on Thursday night"), else None."""
    groups = {k: v for k, v in match.groupdict().items() if v}
    if "wd" not in groups or {"mon", "mon2", "day", "day2", "iy", "n1", "rel"} & set(groups):
        return None
    return WEEKDAYS.index(groups["wd"].lower())


def nearest_weekday(weekday: int, incident_day: date) -> date:
    """The day with this weekday nearest the incident's date (three days either side): a report
    saying "on Thursday" of a Wednesday's death is a day off, and flagged."""
    delta = (weekday - incident_day.weekday()) % 7
    return incident_day + timedelta(days=delta if delta <= 3 else delta - 7)


def resolve_partial(value: str, reference: date) -> date | None:
    """A 'MM-DD[/weekday]' against a reference date: the latest such day on or before it."""
    md, _, wd = value.partition("/")
    month, day = (int(x) for x in md.split("-"))
    return resolve_month_day(month, day, reference, int(wd) if wd else None)


_HARM_CUE = re.compile(
    r"\b(shot|shooting|died|dies|killed|dead|injured|wounded|tasered|tased|restrained|collapsed|crash(ed)?|struck|"
    r"bitten|bit|pronounced|unresponsive|arrested|detained|happened|took place|occurred|stopped|searched|chased|pursued|"
    r"hit|knocked down|run over|called to|were called|attended|responded)\b",
    re.I,
)
_REPORTED = re.compile(
    r"\b(said|says|told|confirmed|announced|added|stated|revealed|released|published|named|identified|updated)\s+(\w+\s+){0,3}(on\s+|late\s+|early\s+)?$",
    re.I,
)


def date_score(text: str, sent_start: int, sentence: str, offset: int) -> float:
    """How surely a date phrase dates the event: a harm verb in its sentence counts most; a
    date that only says when something was said ("said on Wednesday"), or sits in a quote,
    counts against it."""
    score = 2.0 if _HARM_CUE.search(sentence) else (0.5 if _EVENT_CUE.search(sentence) else -1.0)
    reported = _REPORTED.search(text[max(sent_start, offset - 40) : offset])
    if reported and not _EVENT_CUE.search(reported.group(0)):
        score -= 3.0  # "said on Wednesday"; not "said the chase on May 29" (the chase's date)
    before = text[sent_start:offset]
    if before.count("“") > before.count("”") or before.count('"') % 2 == 1:
        score -= 1.0
    if _LATER_CUE.search(sentence) and not _HARM_CUE.search(sentence):
        score -= 0.5
    return score


_YEAR_MENTION = re.compile(r"(?<![\d/-])(?:19|20)\d\d(?![\d/-])")


def stated_year(doc: ArticleDoc, offset: int) -> int | None:
    """The one year the text states around `offset`: in its sentence, else in its paragraph.

    None when there is none or more than one (which of them would be a guess)."""
    sent = doc.sentence_at(offset)
    para_start = doc.text.rfind("\n", 0, offset) + 1
    para_end = doc.text.find("\n", offset)
    para_end = len(doc.text) if para_end < 0 else para_end
    for start, end in ((sent.start, sent.end), (para_start, para_end)):
        years = {int(y) for y in _YEAR_MENTION.findall(doc.text[start:end])}
        if len(years) == 1:
            return years.pop()
        if years:
            return None
    return None


def extract_date(doc: ArticleDoc, us_order: bool = False) -> list[Evidence]:
    """Every dated phrase in an event sentence, the most event-like first.

    In an article with no publication date, the ingestion date is no reference: only
    dates the text states with their year count (see the module's rules)."""
    reference = doc.reference if doc.published is not None else None
    found: list[tuple[float, int, Evidence]] = []
    taken: list[tuple[int, int]] = []
    for rank, pattern in enumerate(DATE_PATTERNS):
        for match in doc.finditer(pattern):
            if any(s <= match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            year = stated_year(doc, match.start()) if reference is None else None
            value = resolve(match, reference, us_order, year)
            sent = doc.sentence_at(match.start())
            score = date_score(doc.text, sent.start, sent.text, match.start())
            if value is None and reference is None and score >= -1.5:
                partial = month_day(match)
                if partial is not None:  # "on April 21" in an undated article: the incident gives the year
                    ev = doc.evidence("date_month_day", partial, match.start(), match.end(), "when.date.partial", 0.6)
                    found.append((score - 1.0, 0, ev))
                elif named_weekday(match) is not None and not match.groupdict().get("last"):
                    # "on Thursday" in an undated article: the incident's dated reports give the week
                    wd = named_weekday(match)
                    ev = doc.evidence("date_weekday", wd, match.start(), match.end(), "when.date.weekday", 0.5)
                    found.append((score - 1.0, 0, ev))
                continue
            if value is None or value > doc.reference + timedelta(days=1):
                continue
            if value == doc.published and score < 0:
                continue  # the page's own timestamp ("8 Feb 2022", "2:06 pm on 8 February 2022"): no event's date
            # Explicit month-day beats a bare weekday in the same sentence.
            confidence = 0.9 if rank <= 4 else 0.75
            named = match.groupdict()
            if reference is None and (named.get("mon") or named.get("mon2")) and not named.get("year"):
                confidence = 0.7  # the year came from nearby text, not the date itself
            ev = doc.evidence("date", value.isoformat(), match.start(), match.end(), "when.date", confidence)
            found.append((score, -value.toordinal(), ev))
    found.sort(key=lambda item: (item[0], item[2].confidence, item[1]), reverse=True)
    return [ev for score, _, ev in found if score >= -1.5] + month_mentions(doc)


_MONTH_YEAR = re.compile(
    rf"\bin\s+(?:early\s+|late\s+|mid-?)?(?P<mon>{_MON_NAMES}),?\s+(?P<year>(?:19|20)\d\d)\b", re.I
)


def month_mentions(doc: ArticleDoc) -> list[Evidence]:
    """ "In May, 2020" in an event sentence: no day, but the month links a report to its incident
    (`date_month`, link evidence only: it is no incident date)."""
    out = []
    for m in doc.finditer(_MONTH_YEAR):
        sent = doc.sentence_at(m.start())
        if date_score(doc.text, sent.start, sent.text, m.start()) < 0:
            continue
        value = f"{int(m.group('year')):04d}-{MONTHS[m.group('mon').lower().rstrip('.')]:02d}"
        out.append(doc.evidence("date_month", value, m.start(), m.end(), "when.date.month", 0.5))
    return out


# --- clock times -------------------------------------------------------------

_TIME = re.compile(
    r"""(?P<qual>(?:(?:at|by|from)\s+)?(?:shortly|just|soon|sometime|some\ time|a\ little|not\ long)?\s*
           (?:before|after|about|around|approximately|approx\.?|roughly|circa|c\.|gone|prior\ to)\s+|(?:at|by)\s+)?
        (?:(?P<h>\d{1,2})(?:[.:](?P<m>[0-5]\d))?\s*(?P<ap>a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z])
          |(?P<h24>[01]?\d|2[0-3])[:.]?(?P<m24>[0-5]\d)\s*(?:hrs|hours|h)\b
          |(?P<h24b>[01]\d|2[0-3]):(?P<m24b>[0-5]\d)\b
          |(?<=at\ )(?P<h12>[1-9]):(?P<m12>[0-5]\d)\b(?!\s*(?:[ap]\.?\s?m\b|hrs|hours|h\b))
          |\b(?P<word>noon|midday|midnight)\b)""",
    re.I | re.X,
)
_RELATIVE = re.compile(
    r"(?P<qual>(?:about|around|approximately|roughly|some|just|nearly|almost)\s+)?"
    r"(?P<amount>half an hour|an hour|a few minutes|(?P<n>\d+|a|one|two|three|four|five|ten|fifteen|twenty|thirty|forty|forty-five)\s+(?P<unit>minutes?|hours?))"
    r"\s+later\b",
    re.I,
)
_SMALL_NUMBERS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
}
EVENT_CUES = {
    "call_received": r"\b(calls?|called|999|911|emergency call|reports? of|alerted|phoned|dispatched|summoned)\b",
    "police_arrived": r"\b(arrived|attended|arriving|got to the|on scene|on the scene|were deployed|responded)\b",
    "shots_fired": r"\b(shot|shots|fired|opened fire|discharged?|gunfire|shooting)\b",
    "first_aid": r"\b(first aid|CPR|resuscitat\w+|chest compressions|defibrillator)\b",
    "death": r"\b(died|pronounced dead|declared dead|pronounced deceased|death was confirmed|confirmed dead|passed away|pronounced)\b",
    "arrest": r"\b(arrested|detained|handcuffed|taken into custody)\b",
    # Anything else that happened at a stated time: the crash, the release, the bite.
    "other": r"\b(crash(ed)?|collided|collision|struck|hit|knocked down|left the road|overturned|released|bitten|bit|"
    r"stopped|Tasered|tasered|discharged|restrained|found unresponsive|collapsed|became unresponsive|pursuit began|chase)\b",
}
_EVENT_RES = {event: re.compile(p, re.I) for event, p in EVENT_CUES.items()}


def qualifier_of(text: str) -> str:
    text = text.lower()
    if re.search(r"before|prior to|by\s*$", text):
        return "before"
    if re.search(r"after|gone", text):
        return "after"
    if re.search(r"about|around|approx|roughly|circa|c\.", text):
        return "around"
    return "exact"


def clock(match: re.Match[str]) -> str | None:
    g = match.groupdict()
    if g.get("word"):
        return "00:00" if g["word"].lower() == "midnight" else "12:00"
    if g.get("h") is not None:
        hour, minute = int(g["h"]), int(g["m"] or 0)
        if hour > 12:
            return None
        pm = g["ap"].lower().startswith("p")
        hour = (hour % 12) + (12 if pm else 0)
        return f"{hour:02d}:{minute:02d}"
    h = g.get("h24") or g.get("h24b") or g.get("h12") or "0"
    m = g.get("m24") or g.get("m24b") or g.get("m12") or "0"
    return f"{int(h):02d}:{int(m):02d}"


def half_day(hhmm: str, after: str | None) -> str | None:
    """A clock time said without a.m./p.m. ("pronounced dead at 9:18"): the reading that comes
    soonest after the article's previous time, or None when nothing earlier says which half."""
    if after is None:
        return None
    t, prev = _minutes(hhmm), _minutes(after)
    later = min((t, t + 12 * 60), key=lambda x: (x - prev) % (24 * 60))
    return f"{later // 60 % 24:02d}:{later % 60:02d}"


def nearest_event(sentence: str, offset: int, length: int) -> str | None:
    """The event whose cue sits closest to the time mention inside its sentence."""
    best: tuple[int, str] | None = None
    for event, pattern in _EVENT_RES.items():
        for cue in pattern.finditer(sentence):
            if cue.end() <= offset:
                gap = offset - cue.end()
            elif cue.start() >= offset + length:
                gap = cue.start() - (offset + length)
            else:
                gap = 0
            if best is None or gap < best[0]:
                best = (gap, event)
    return best[1] if best and best[0] <= 80 else None


_KIND_EVENT = {
    "firearm": "shots_fired",
    "death": "death",
    "taser": "other",
    "crash": "other",
    "vehicle": "other",
    "bite": "other",
}


def governing_event(doc: ArticleDoc, start: int, end: int) -> str | None:
    """The event the time modifies in the parse: "was shot by police just after 5pm after they
    were called" times the shooting (the verb 'after 5pm' hangs on), not the nearer call. A harm
    event's kind decides; else the governing verb's own cue; None leaves it to proximity."""
    tokens = [t for t in doc.doc if start <= t.idx < end]
    if not tokens:
        return None
    events = {e.token: e.kind for e in (doc.doc._.events or [])}
    head = tokens[-1]
    if any(t.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "conj", "ROOT") for t in tokens):
        return None  # a time as a subject or object is a misparse: leave it to proximity
    for anc in [head, *head.ancestors]:
        if anc.i in events and events[anc.i] in _KIND_EVENT:
            return _KIND_EVENT[events[anc.i]]
        if anc.pos_ in ("VERB", "AUX") and not (start <= anc.idx < end):
            for arg in anc.children:  # "the incident involved the discharge of a firearm at 13:00"
                if arg.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and events.get(arg.i) in _KIND_EVENT:
                    return _KIND_EVENT[events[arg.i]]
            phrase = " ".join([anc.text, *(c.text for c in anc.children if c.dep_ in ("prt", "dobj"))])
            for event, pattern in _EVENT_RES.items():
                if pattern.search(phrase):
                    return event
            return None
    return None


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def extract_timeline(doc: ArticleDoc) -> list[Evidence]:
    """Timeline events in text order; a relative time counts from the previous event."""
    out: list[Evidence] = []
    last_time: str | None = None
    mentions: list[tuple[int, re.Match[str], bool]] = [(m.start(), m, False) for m in doc.finditer(_TIME)]
    mentions += [(m.start(), m, True) for m in doc.finditer(_RELATIVE)]
    mentions.sort(key=lambda item: item[0])
    for _, match, relative in mentions:
        sent = doc.sentence_at(match.start())
        if not sent.text:
            continue
        extractor = "when.timeline"
        if relative:
            if last_time is None:
                continue
            amount = match.group("amount").lower()
            if amount == "half an hour":
                delta = 30
            elif amount == "an hour":
                delta = 60
            elif amount == "a few minutes":
                delta = 5
            else:
                n = match.group("n").lower()
                delta = int(n) if n.isdigit() else _SMALL_NUMBERS.get(n, 0)
                delta *= 60 if match.group("unit").lower().startswith("hour") else 1
            minutes = (_minutes(last_time) + delta) % (24 * 60)
            hhmm = f"{minutes // 60:02d}:{minutes % 60:02d}"
            qualifier = "around" if match.group("qual") else "exact"
        else:
            read = clock(match)
            if read is None:
                continue
            hhmm = read
            if match.group("h12"):
                resolved = half_day(read, last_time)
                # Nothing earlier says which half of the day: the sources decide (reconcile).
                hhmm, extractor = (resolved, extractor) if resolved else (read, "when.timeline.half_day")
            qualifier = qualifier_of(match.group("qual") or "")
        event = governing_event(doc, match.start(), match.end()) or nearest_event(
            sent.text, match.start() - sent.start, match.end() - match.start()
        )
        if event is None:
            continue
        last_time = hhmm
        value = {"event": event, "time": hhmm, "qualifier": qualifier}
        confidence = 0.8 if extractor == "when.timeline" else 0.5
        out.append(doc.evidence(f"timeline.{event}", value, match.start(), match.end(), extractor, confidence))
    return out
