"""The subject: age (and whether it is approximate), gender, name, race where stated."""

from __future__ import annotations

import re

from spacy.tokens import Token

from forcewatch.extract.document import ArticleDoc
from forcewatch.extract.numbers import to_int
from forcewatch.extract.places import looks_like_street
from forcewatch.model import Evidence
from forcewatch.read.events import name_tokens
from forcewatch.read.lexicon import is_police, labels_of

_HEDGE = re.compile(
    r"\b(believed|understood|thought|reported|said|estimated)\s+to\s+(be|have been)\b|\b(about|around|approximately|roughly)\s*$",
    re.I,
)
_NOUN = (
    r"(man|woman|boy|girl|teenager|teen|male|female|person|youth|father|mother|grandfather|grandmother|son|daughter)"
)
_ABOUT = r"(?:about|around|approximately|roughly|some)"
# The figure ends the phrase: "40," / "40." / "40 and ..." , not "35 officers" or "40 minutes".
_AGE_END = r"(?!\d)(?=\s*[,.;:)]|\s*$|\s+(?:and|but|when|who|was|had|has|is|died|of|from)\b)"
_AGE_PATTERNS = [
    # "a 40-year-old man", "the 23-year-old"
    (re.compile(r"\b(?P<n>\d{1,3}|[a-z]+(?:-[a-z]+)?)[- ]years?[- ]old\b", re.I), False),
    # "aged 40", "age 40"
    (re.compile(r"\baged?\s+(?P<n>\d{1,3})\b", re.I), False),
    # "John Smith, 34, of ..." / "The man, 52,"
    (
        re.compile(
            r"\b(?:[A-Z][a-z]+|man|woman|boy|girl|teenager|victim|driver),\s+(?:aged\s+)?(?P<n>\d{1,2})(?=[,.;)]|\s+(?:of|from|who|was|had|died)\b)"
        ),
        False,
    ),
    # "believed to be 40", "thought to be about 35": a hedged figure is still a figure.
    # ("believed to be aged 40" is the "aged 40" pattern with its hedge before it.)
    (
        re.compile(
            rf"\b(?:believed|thought|understood|estimated|said|reported)\s+to\s+(?:be|have\s+been)\s+"
            rf"(?:{_ABOUT}\s+)?(?P<n>\d{{1,2}}){_AGE_END}",
            re.I,
        ),
        True,
    ),
    # "aged about 50", "the man, around 35,"
    (
        re.compile(
            rf"\b(?:aged?|man,|woman,|boy,|girl,|teenager,|victim,|driver,)\s+{_ABOUT}\s+(?P<n>\d{{1,2}}){_AGE_END}",
            re.I,
        ),
        True,
    ),
]
# A decade ("in his 20s", "in her thirties", "in his early 40s") is deliberately no age:
# 20 would be a number the text never gave, and it would outvote a true age when merged.
# It is kept as a range (`subject_age_range`, for linking only: a man in his 40s is not
# the 19-year-old shot the same night).
_DECADE = re.compile(
    r"\bin (?:his|her|their) (?P<part>early |mid-?|late )?"
    r"(?P<decade>teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|[1-9]0s)\b",
    re.I,
)
_DECADE_WORDS = {
    "teens": 10,
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}

_GENDER = re.compile(rf"\b(a|an|the|\d+-year-old|aged \d+)\s+(?:[\w-]+\s+){{0,2}}?{_NOUN}\b", re.I)
_MALE = {"man", "boy", "male", "father", "grandfather", "son"}
_FEMALE = {"woman", "girl", "female", "mother", "grandmother", "daughter"}
_PRONOUN = re.compile(r"\b(he|him|his|she|her)\b", re.I)

_NAMED = re.compile(
    r"\b(?i:named (?:him |her )?(?:locally )?(?:by [\w\s'’]{1,40}? )?as|identified (?:him |her )?(?:by [\w\s'’.]{1,40}? )?as|has been named as|was named as|was identified as|"
    r"family of|relatives of|mother of|father of|death of|killing of|shooting of|named)\s+"
    r"(?P<name>[A-Z][a-z'’-]+(?:[ ]+[A-Z][a-z'’-]+){1,3})"
)
_APPOSED_AGE = re.compile(r",\s+(aged\s+)?\d{1,2}\b")
_UNNAMED = re.compile(
    r"\b(formal identification has not|has not (yet )?been (formally )?(named|identified)|not been named|yet to be (formally )?identified|have not released (his|her|the) name|name has not been released)\b",
    re.I,
)
_RACE = re.compile(
    r"\b(?:(?:who|he|she) (?:was|is)\s+(?P<r1>Black|white|Hispanic|Latino|Latina|Asian|Native American|Indigenous|biracial|mixed race)\b"
    r"|\b(?:a|an)\s+(?:\d+-year-old\s+)?(?P<r2>Black|white|Hispanic|Latino|Latina|Asian|Native American)\s+(?:man|woman|teenager|teen|boy|girl|father|mother))",
    re.I,
)
_RACE_CANON = {"latino": "Hispanic", "latina": "Hispanic", "hispanic": "Hispanic", "indigenous": "Native American"}
_SUBJECT_CONTEXT = re.compile(
    r"\b(shot|died|killed|dead|death|injured|tasered|restrained|arrested|custody|struck|man|woman|boy|girl|teenager|suspect|driver)\b",
    re.I,
)
_OTHER_PEOPLE = re.compile(
    r"\b(officer|constable|PC|sergeant|deputy|trooper|detective|policeman|policewoman|neighbour|neighbor|witness|partner|wife|husband)\b",
    re.I,
)


_HARM = re.compile(
    r"\b(shot|died|dies|dead|killed|death|injured|wounded|hurt|tasered|tased|bitten|struck|hit by|run over|restrained|"
    r"collapsed|unresponsive|hospital|pronounced|critical condition|lost (his|her) life)\b",
    re.I,
)
_BYSTANDER = re.compile(
    r"\b(arrested|suspect(ed)?|charged|caller|called (police|911|999)|made the call|witness|neighbou?r|officers? (aged|was|were)|"
    r"his (son|daughter|wife|partner|mother|father)|her (son|daughter|husband|partner|mother|father)|and (her|his) \d+-year-old)\b",
    re.I,
)


def subject_weight(doc: ArticleDoc, offset: int) -> float:
    """How likely a person mentioned here is the one harmed: the harm sentences, early, not bystanders.

    The first sentences that tell the harm nearly always introduce the subject ("A man has
    died after..."); a later "a 23-year-old man was arrested" is someone else.
    """
    sent = doc.sentence_at(offset)
    weight = 0.5
    if _HARM.search(sent.text):
        weight = 1.0
    if _BYSTANDER.search(sent.text):
        weight *= 0.3
    rank = sum(1 for s in doc.sentences if s.start < sent.start and _HARM.search(s.text))
    return weight * (1.5 if rank == 0 else 1.0 if rank < 3 else 0.8)


def not_the_subject(doc: ArticleDoc, offset: int) -> bool:
    """The age at this offset describes an officer or a relative, as the parse attaches it
    ("his 45-year-old brother", "PC Jo Voss, 52,", "the officer, aged 30")."""
    token = doc.doc.char_span(offset, offset + 1, alignment_mode="expand")
    if token is None:
        return False
    t = token.root
    for _ in range(4):  # up from the number to the noun it describes
        if t.pos_ in ("NOUN", "PROPN") and t.lower_ not in ("year", "years", "age"):
            break
        if t.head is t:
            return False
        t = t.head
    return _is_other_person(t)


def _is_other_person(t: Token) -> bool:
    if is_police(t) or "RELATIVE" in labels_of(t):
        return True
    chain = name_tokens(t) if t.pos_ == "PROPN" else []
    if any(is_police(c) or "RELATIVE" in labels_of(c) for c in chain):
        return True
    # "Jo Voss, a police officer, 52" / "his brother Tom, 45": the apposition says who
    return t.dep_ == "appos" and (is_police(t.head) or "RELATIVE" in labels_of(t.head))


def _names_other_person(doc: ArticleDoc, ev: Evidence) -> bool:
    """A name the parse ties to an officer or a relative ("his uncle Derek Voss", "PC Jo Voss")."""
    at = doc.text.find(str(ev.value), ev.start, ev.end + 1) if ev.value else -1
    span = doc.doc.char_span(at, at + len(str(ev.value)), alignment_mode="expand") if at >= 0 else None
    if span is None:
        return False
    root = span.root
    if root.dep_ == "nsubj" and root.head.lemma_ in _SPEECH_VERBS:
        return True  # "Colonel Jo Voss, the director, said": a speaker, not the one harmed
    return _is_other_person(root)


_SPEECH_VERBS = frozenset("say tell state add confirm announce explain write testify".split())


def extract_age(doc: ArticleDoc) -> list[Evidence]:
    out = []
    for pattern, approximate in _AGE_PATTERNS:
        for m in doc.finditer(pattern):
            sent = doc.sentence_at(m.start())
            if not sent.text:
                continue
            weight = subject_weight(doc, m.start())
            window = doc.text[max(sent.start, m.start() - 40) : m.end() + 25]
            if _OTHER_PEOPLE.search(window) and not re.search(_NOUN, window, re.I):
                continue
            age = to_int(m.group("n"))
            if age is None or not 0 < age < 110:
                continue
            if not_the_subject(doc, m.start("n")):
                continue
            before = doc.text[max(sent.start, m.start() - 40) : m.start()]
            hedged = approximate or bool(_HEDGE.search(before))
            # The extractor name records a hedge, so reconciliation can prefer an exact figure.
            name = "people.age.approximate" if hedged else "people.age"
            ev_age = doc.evidence("subject_age", age, m.start(), m.end(), name, weight)
            ev_approx = doc.evidence("subject_age_approximate", hedged, m.start(), m.end(), "people.age", 0.7)
            out += [ev_age, ev_approx]
    return out


def extract_age_range(doc: ArticleDoc) -> list[Evidence]:
    """[low, high] from "in his early 40s" / "in her thirties"; never a subject_age."""
    out = []
    for m in doc.finditer(_DECADE):
        sent = doc.sentence_at(m.start())
        if not sent.text:
            continue
        word = m.group("decade").lower()
        low = _DECADE_WORDS.get(word) or int(word[0]) * 10
        low, high = (13, 19) if low == 10 else (low, low + 9)
        part = (m.group("part") or "").strip().lower().rstrip("-")
        if part == "early":
            high = low + 3
        elif part == "mid":
            low, high = low + 3, low + 6
        elif part == "late":
            low = low + 6
        weight = subject_weight(doc, m.start())
        out.append(doc.evidence("subject_age_range", [low, high], m.start(), m.end(), "people.age.range", weight))
    return out


def extract_gender(doc: ArticleDoc) -> list[Evidence]:
    out = []
    for m in doc.finditer(_GENDER):
        sent = doc.sentence_at(m.start())
        if not sent.text or not _SUBJECT_CONTEXT.search(sent.text):
            continue
        noun = m.group(2).lower()
        weight = subject_weight(doc, m.start())
        if noun in _MALE:
            out.append(doc.evidence("subject_gender", "male", m.start(), m.end(), "people.gender", weight))
        elif noun in _FEMALE:
            out.append(doc.evidence("subject_gender", "female", m.start(), m.end(), "people.gender", weight))
    return out


def extract_name(doc: ArticleDoc) -> list[Evidence]:
    """A name only where the text ties it to the subject; an explicit 'not identified' wins."""
    if _UNNAMED.search(doc.text):
        return []
    persons = {e.text for e in doc.ents if e.label_ == "PERSON"}
    out = []
    for m in doc.finditer(_NAMED):
        name = m.group("name").strip()
        if persons and name not in persons and not any(name in p or p in name for p in persons):
            continue
        out.append(doc.evidence("subject_name", name, m.start("name"), m.end("name"), "people.name", 0.8))
    # "Jarrell Simmons, 34, of Lithonia" in the sentence that tells what happened to him.
    for ent in doc.ents:
        if ent.label_ != "PERSON" or len(ent.text.split()) < 2:
            continue
        after = doc.text[ent.end_char : ent.end_char + 12]
        sent = doc.sentence_at(ent.start_char).text
        lead = doc.text[max(0, ent.start_char - 40) : ent.start_char]
        if _APPOSED_AGE.match(after) and not _OTHER_PEOPLE.search(lead) and not _BYSTANDER.search(sent):
            weight = 0.6 * subject_weight(doc, ent.start_char)
            out.append(doc.evidence("subject_name", ent.text, ent.start_char, ent.end_char, "people.name", weight))
    return out


_ROLE_BEFORE = re.compile(
    r"\b(sister|brother|mother|father|son|daughter|wife|husband|partner|cousin|aunt|uncle|niece|nephew|friend|neighbou?r|"
    r"witness|lawyer|attorney|solicitor|spokes\w+|officer|constable|sergeant|inspector|superintendent|chief|commissioner|"
    r"director|sheriff|deputy|captain|lieutenant|mayor|councillor|pastor|reverend|detective|coroner|judge|MP|senator|"
    r"Sgt|Lt|Capt|Det|Supt|Insp|PC|DC|DS|DI|DCI)\b[\w\s,.'’-]{0,12}$",
    re.I,
)


def recurring_names(doc: ArticleDoc) -> list[Evidence]:
    """The person a report keeps coming back to ("Daniel Ferris" ... "Ferris had been booked")
    is its subject: officials and relatives are introduced with a role and quoted, not followed."""
    out = []
    seen: set[str] = set()
    for ent in doc.ents:
        words = ent.text.split()
        if ent.label_ != "PERSON" or len(words) < 2 or ent.text in seen:
            continue
        seen.add(ent.text)
        lead = doc.text[max(0, ent.start_char - 40) : ent.start_char]
        after = doc.text[ent.end_char : ent.end_char + 30]
        if _ROLE_BEFORE.search(lead) or re.match(r"\s*(,\s*(a|an|the)\s+\w+.*?,\s*)?(said|says|told)\b", after):
            continue
        surname = re.escape(words[-1])
        mentions = len(re.findall(rf"\b{surname}\b", doc.text))
        if mentions >= 3:
            weight = 0.2 * subject_weight(doc, ent.start_char) * min(mentions, 6) / 3
            out.append(
                doc.evidence("subject_name", ent.text, ent.start_char, ent.end_char, "people.name.recurring", weight)
            )
    return out


def extract_race(doc: ArticleDoc) -> list[Evidence]:
    out = []
    for m in doc.finditer(_RACE):
        word = (m.group("r1") or m.group("r2")).lower()
        value = _RACE_CANON.get(word, word.capitalize() if word != "white" else "White")
        out.append(doc.evidence("subject_race", value, m.start(), m.end(), "people.race", 0.8))
    return out


def extract_people(doc: ArticleDoc) -> list[Evidence]:
    names = extract_name(doc)
    if names or not _UNNAMED.search(doc.text):
        names += recurring_names(doc)
    names = [e for e in names if not _names_other_person(doc, e) and not looks_like_street(str(e.value))]
    described = _one_person_per_sentence(doc, extract_age(doc) + extract_gender(doc))
    return described + extract_age_range(doc) + names + extract_race(doc)


def _described_noun(doc: ArticleDoc, ev: Evidence) -> Token | None:
    """The noun an age or a sex word describes ("a 77-year-old man" -> man)."""
    at = ev.value_start if ev.value_start is not None else ev.start
    span = doc.doc.char_span(at, at + 1, alignment_mode="expand")
    if span is None:
        return None
    t = span.root
    for _ in range(4):
        if t.pos_ in ("NOUN", "PROPN") and t.lower_ not in ("year", "years", "age"):
            return t
        if t.head is t:
            return None
        t = t.head
    return None


def _sex_of(token: Token | None) -> str | None:
    word = token.lemma_.lower() if token is not None else None
    return "male" if word in _MALE else "female" if word in _FEMALE else None


def _one_person_per_sentence(doc: ArticleDoc, evidence: list[Evidence]) -> list[Evidence]:
    """A man and a woman aged in one sentence ("a 77-year-old man was pronounced dead, while a
    74-year-old woman was taken to hospital") are two people, not two accounts of one: the
    sentence's age and sex are those of the one a death event harms, else of the first told.
    Across sentences a disagreement is left for the reconciliation to flag."""
    by_sentence: dict[int, list[tuple[Evidence, str | None, Token | None]]] = {}
    for ev in evidence:
        noun = _described_noun(doc, ev)
        by_sentence.setdefault(ev.start, []).append((ev, _sex_of(noun), noun))
    dead = {
        e.patient.token
        for e in (doc.doc._.events if doc.doc.has_extension("events") else [])
        if e.kind == "death" and e.patient is not None
    }
    kept: list[Evidence] = []
    for group in by_sentence.values():
        aged = [(sex, noun) for ev, sex, noun in group if ev.field == "subject_age" and sex is not None]
        if len({sex for sex, _ in aged}) < 2:
            kept += [ev for ev, _, _ in group]
            continue
        harmed = [sex for sex, noun in aged if noun is not None and (noun.i in dead or noun.head.i in dead)]
        keep = harmed[0] if harmed else min(aged, key=lambda a: a[1].i if a[1] is not None else 0)[0]
        fields = ("subject_age", "subject_age_approximate", "subject_gender")
        kept += [ev for ev, sex, _ in group if sex in (None, keep) or ev.field not in fields]
    return kept
