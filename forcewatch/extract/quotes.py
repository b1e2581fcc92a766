"""Direct quotes with their speaker, role and organisation.

A quote may run over several paragraphs (each opens with a quotation mark, only
the last closes it); the speaker is found in the attribution around the first
paragraph ("X said:", "..., said X", "..., X said", "according to X"). A pronoun
("he said") resolves to the last named speaker; a speaker that is not a person
("officers said") gives no quote.
"""

from __future__ import annotations

import re

from forcewatch.extract.agencies import canonical_uk, uk_forces
from forcewatch.extract.document import ArticleDoc
from forcewatch.model import Evidence
from forcewatch.read.lexicon import TERMS

_OPEN = '“"„'
_CLOSE = '”"'
_OVERSIGHT = re.compile(r"\b(IOPC|IPCC|PIRC|Police Ombudsman|Independent Office for Police Conduct)\b")
_NAME = r"[A-Z][a-zA-Z'’-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-zA-Z'’-]+){1,2}"
_SAID = r"(?:said|says|added|told [\w\s]{1,30}?|explained|stated|wrote|continued|warned)"
_BEFORE = re.compile(rf"(?P<who>[^.\n“”\"]{{2,160}}?)\s*,?\s*{_SAID}\s*(?:[\w\s]{{0,30}})?[:,]\s*$")
_AFTER = re.compile(
    rf"^\s*,?\s*(?:(?P<verb1>{_SAID})\s+(?P<who1>[^.\n“”\"]{{2,160}}?)\s*[.,]|(?P<who2>[^.\n“”\"]{{2,120}}?)\s+{_SAID}\b)"
)
_ACCORDING = re.compile(r"according to (?P<who>[^.\n“”\"]{2,160})")
_PRONOUN = re.compile(
    r"^\s*(he|she|they|it|we|i|officers|police|the force|a spokesperson|a spokesman|a spokeswoman)\s*$", re.I
)
_ROLES = re.compile(
    r"\b(Assistant Chief Constable|Deputy Chief Constable|Chief Constable|Assistant Commissioner|Deputy Assistant Commissioner|"
    r"Deputy Commissioner|Commissioner|Commander|Chief Superintendent|Detective Chief Superintendent|Superintendent|"
    r"Detective Superintendent|Detective Chief Inspector|Chief Inspector|Detective Inspector|Inspector|Detective Sergeant|Sergeant|"
    r"Police Chief|Chief of Police|Chief|Sheriff|Constable|PC|DC|DS|DI|DCI|Undersheriff|Captain|Lieutenant|Lt\.?|Sgt\.?|Officer|Deputy|Mayor|"
    r"Attorney General|District Attorney|attorney|lawyer|solicitor|regional director|director of operations|director|"
    r"spokes(?:person|man|woman)|spokesperson|chief executive|campaigner|witness|neighbou?r|mother|father|brother|sister|"
    r"son|daughter|cousin|aunt|uncle|niece|nephew|grandmother|grandfather|stepfather|stepmother|fiancée|fiance|girlfriend|boyfriend|friend|partner|wife|husband|Councillor|councilmember|MP|pastor|Reverend)\b",
    re.I,
)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quote's text, joining paragraphs that a quote runs across."""
    spans = []
    i = 0
    n = len(text)
    while i < n:
        if text[i] in _OPEN:
            start = i + 1
            j = start
            while j < n:
                ch = text[j]
                if ch in _CLOSE and j > start:
                    break
                if ch == "\n":
                    # The quote goes on only if the next paragraph opens with a quote mark.
                    k = j
                    while k < n and text[k].isspace():
                        k += 1
                    if k < n and text[k] in _OPEN:
                        j = k + 1
                        continue
                    break
                j += 1
            if j < n and text[j] in _CLOSE and j - start >= 20:
                spans.append((start, j))
            i = j + 1
        else:
            i += 1
    return spans


def _person(doc: ArticleDoc, start: int, end: int) -> tuple[str, int, int] | None:
    """The PERSON entity inside a span (the last one), else a capitalised name."""
    for ent in doc.ents:  # the first person named, not one in a possessive ("Mr Farah's cousin, X")
        if ent.label_ == "PERSON" and ent.start_char >= start and ent.end_char <= end:
            if doc.text[ent.end_char : ent.end_char + 2] in ("'s", "’s"):
                continue
            if all(w.rstrip(".").lower() in _RANK_WORDS for w in ent.text.split()):
                continue  # the model's "person" is only a rank ("Sgt")
            return ent.text, ent.start_char, ent.end_char
    window = doc.text[start:end]
    names = [m for m in re.finditer(_NAME, window) if not _ROLES.fullmatch(m.group()) and not canonical_uk(m.group())]
    if names:
        m = names[-1]
        return m.group(), start + m.start(), start + m.end()
    surname = re.fullmatch(r"\s*([A-Z][a-z'’-]+)\s*", window)
    if surname and surname.group(1) in known_people(doc):  # "..., Menendez said."
        return surname.group(1), start + surname.start(1), start + surname.end(1)
    return None


ABBREV_DOT = "\u2024"
_ABBREV = re.compile(
    r"\b(Sgt|Lt|Capt|Det|Dr|Mr|Mrs|Ms|Insp|Supt|Con|Cpl|Gen|Gov|Sen|Rep|Rev|St|Jr|Sr|[A-Z])\.(?=\s+[A-Z])"
)


_RANK_WORDS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "det",
    "supt",
    "insp",
    "con",
    "lt",
    "sgt",
    "capt",
    "cpl",
    "pc",
    "dc",
    "ds",
    "di",
    "dci",
    "detective",
    "superintendent",
    "chief",
    "assistant",
    "deputy",
    "constable",
    "inspector",
    "sergeant",
    "commissioner",
    "commander",
    "officer",
    "executive",
    "police",
    "sheriff",
    "captain",
    "lieutenant",
    "corporal",
    "trooper",
    "agent",
    "special",
    "acting",
    "temporary",
    "mayor",
    "director",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "neighbour",
    "neighbor",
    "witness",
    "reverend",
    "rev",
    "councillor",
    "senator",
    "attorney",
    "general",
    "district",
    "pastor",
}


def strip_titles(name: str) -> str:
    """'Detective Superintendent Jane Morrow' -> 'Jane Morrow': spaCy often folds a rank into the name."""
    words = name.replace(ABBREV_DOT, ".").split()
    while len(words) > 1 and words[0].rstrip(".").lower() in _RANK_WORDS:
        words = words[1:]
    return " ".join(words)


def _organisation(text: str) -> str | None:
    m = _OVERSIGHT.search(text)
    if m:
        return "IOPC" if m.group(1) == "Independent Office for Police Conduct" else m.group(1)
    _, full_re, short_re = uk_forces()
    for pattern in (full_re, short_re):
        m = pattern.search(text)
        if m and canonical_uk(m.group(1)):
            return canonical_uk(m.group(1)).name  # type: ignore[union-attr]
    m = re.search(r"\b(?:of|for|at|from) (?:the )?([A-Z][\w'’&-]*(?:\s+(?:of|for|and|&)?\s*[A-Z][\w'’&-]*)*)", text)
    return m.group(1) if m else None


def _role(who: str, name: str) -> str | None:
    m = _ROLES.search(who.replace(name, " "))
    return m.group(1) if m else None


_POLICE_RANK = re.compile(
    r"\b(Constable|Commissioner|Commander|Superintendent|Inspector|Sergeant|Chief|Sheriff|Captain|Lieutenant|Officer|Deputy|spokes\w+)\b",
    re.I,
)


def person_like(doc: ArticleDoc, name: str, people: dict[str, tuple[str, int]]) -> bool:
    """A speaker must be a person: not a possessive ("Voss's" family spoke, not Voss), not an
    organisation or a police word ("Garda", "Conduct" from the IOPC's name, "the Fine Gael")."""
    name = name.strip()
    if not name or name.endswith(("'s", "’s")):
        return False
    words = name.split()
    orgs = {e.text for e in doc.ents if e.label_ in ("ORG", "NORP", "GPE")}
    if name in orgs or name.removeprefix("The ").removeprefix("the ") in orgs:
        return False
    lexicon = {t for label in ("POLICE", "OVERSIGHT") for t in TERMS[label]}
    if len(words) == 1:
        return words[0] in people or words[0].lower() not in lexicon and words[0] not in _ORG_WORDS
    return True


_ORG_WORDS = frozenset("Conduct Commission Office Service Department Police Council Ombudsman Authority Bureau".split())


def known_people(doc: ArticleDoc) -> dict[str, tuple[str, int]]:
    """Surname -> (full name, offset of first mention), so a later "Moran said" is Philip Moran."""
    if "known_people" in doc.memo:
        return doc.memo["known_people"]  # type: ignore[no-any-return]
    people: dict[str, tuple[str, int]] = {}
    for ent in doc.ents:
        words = ent.text.split()
        if ent.label_ == "PERSON" and len(words) >= 2:
            people.setdefault(words[-1], (strip_titles(ent.text), ent.start_char))
    doc.memo["known_people"] = people
    return people


def full_speaker(doc: ArticleDoc, name: str, end: int, people: dict[str, tuple[str, int]]) -> tuple[str, int | None]:
    """Complete a name the model cut short ("Superintendent Helen" + "Marsh") or a bare surname."""
    following = re.match(r"\s([A-Z][a-z'’-]+)\b", doc.text[end : end + 30])
    if len(name.split()) == 1 and following and not _ROLES.fullmatch(following.group(1)):
        name = f"{name} {following.group(1)}"
    if len(name.split()) == 1 and name in people:
        return people[name]
    return name, None


_SAID_VERB = re.compile(rf"\s+{_SAID}\b")
_SAYS = re.compile(rf"(?P<who>[^.\n“”\"]{{2,160}}?)\s*,?\s+{_SAID}\b")


def resolve_speaker(
    doc: ArticleDoc, text: str, who_span: tuple[int, int], people: dict[str, tuple[str, int]], agency: str | None
) -> dict[str, str | None] | None:
    """The person an attribution names, with role and organisation; None for pronouns and non-persons."""
    who = text[who_span[0] : who_span[1]]
    if _PRONOUN.match(who):
        return None
    person = _person(doc, *who_span)
    if not person:
        return None
    name, first = full_speaker(doc, strip_titles(person[0]), person[2], people)
    line_end = text.find("\n", who_span[1])
    tail = text[who_span[1] : min(line_end if line_end > 0 else len(text), who_span[1] + 80)]
    context = who + tail
    if first is not None:  # a surname: role and organisation come from the first mention
        line_start = text.rfind("\n", 0, first) + 1
        first_end = text.find("\n", first)
        context = text[line_start : first_end if first_end > 0 else len(text)] + " " + context
    role = _role(context, name)
    organisation = _organisation(who) or _organisation(tail) or (_organisation(context) if first is not None else None)
    if organisation is None and role and _POLICE_RANK.search(role):
        organisation = agency  # "Chief Superintendent X said" in a report about one force
    return {"speaker": name, "role": role, "organisation": organisation}


def sayers(
    doc: ArticleDoc, text: str, people: dict[str, tuple[str, int]], agency: str | None
) -> list[tuple[int, dict]]:
    """Everyone the text says spoke ("X said the family had questions"), in order: a later
    "he said" or a quote paragraph that follows points back to them."""
    out = []
    # Find each speech verb, then look back for who spoke: scanning for the verb first keeps
    # this linear in the text (a lazy "who" pattern tried at every position is not).
    for verb in _SAID_VERB.finditer(text):
        window_start = max(0, verb.start() - 160)
        stops = [text.rfind(ch, window_start, verb.start()) for ch in '.\n“”"']
        who_start = max(stops + [window_start - 1]) + 1
        who = text[who_start : verb.start()]
        if len(who.strip(" ,")) < 2:
            continue
        lead = len(who) - len(who.lstrip())
        end = who_start + len(who.rstrip(" ,"))
        speaker = resolve_speaker(doc, text, (who_start + lead, end), people, agency)
        if speaker:
            out.append((who_start, speaker))
    return out


def extract_quotes(doc: ArticleDoc, agency: str | None = None) -> list[Evidence]:
    """Quotes with speaker, role and organisation; `agency` names the force a bare rank speaks for."""
    out: list[Evidence] = []
    people = known_people(doc)
    # Abbreviations' full stops would end an attribution early ("said Sgt. Marco Villanueva"):
    # hide them behind a same-length character so every offset stays the body's.
    text = _ABBREV.sub(lambda m: m.group(0)[:-1] + ABBREV_DOT, doc.text)
    said = sayers(doc, text, people, agency)
    last: dict[str, str | None] | None = None
    last_end = -1
    for start, end in _quote_spans(text):
        para_start = text.rfind("\n", 0, start) + 1
        para_end = text.find("\n", end)
        para_end = len(text) if para_end < 0 else para_end
        before = text[para_start : start - 1]
        after = text[end + 1 : para_end]
        who_span: tuple[int, int] | None = None
        if (m := _BEFORE.search(before)) and m.group("who").strip():
            who_span = (para_start + m.start("who"), para_start + m.end("who"))
        elif m := _AFTER.match(after):
            group = "who1" if m.group("who1") else "who2"
            who_span = (end + 1 + m.start(group), end + 1 + m.end(group))
        elif found := _ACCORDING.search(text, para_start, para_end):
            who_span = (found.start("who"), found.end("who"))
        elif m := _SAYS.search(before):  # "Sheriff X said in a statement that his deputies "were...""
            who_span = (para_start + m.start("who"), para_start + m.end("who"))
        speaker: dict[str, str | None] | None = None
        if who_span:
            who = text[who_span[0] : who_span[1]]
            if re.match(r"^\s*(he|she)\s*$", who, re.I):
                # "he said": the last person quoted or said to have spoken, close before.
                earlier = [(at, sp) for at, sp in said if at < start and start - at < 1500]
                if last and start - last_end < 1500 and (not earlier or earlier[-1][0] < last_end):
                    speaker = last
                elif earlier:
                    speaker = earlier[-1][1]
            else:
                speaker = resolve_speaker(doc, text, who_span, people, agency)
        elif before.strip() == "":
            if last and start - last_end < 400:
                speaker = last  # a paragraph that only continues the previous speaker's quote
            else:
                previous = text.rfind("\n", 0, max(0, para_start - 1))
                nearby = [sp for at, sp in said if previous < at < para_start]
                speaker = nearby[-1] if nearby else None  # "His brother, X, said ..." then the quote
        if speaker is None or not person_like(doc, speaker.get("speaker") or "", people):
            continue
        quote_text = re.sub(r"\s*\n\s*[“\"„]?", " ", text[start:end]).strip()
        value = {**speaker, "text": quote_text}
        out.append(Evidence("quotes", value, start, end, doc.article.body[start:end], 0.8, "quotes", doc.article.id))
        last, last_end = speaker, end
    return out
