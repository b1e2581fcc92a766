"""Fields read off the harm events: category, force used, outcome, shots fired, and the subject.

The events (forcewatch.read.events) already say who did what to whom, so these fields
need no phrase lists of their own: force is what a police agent's predicate is
(shoot -> firearm, taser, restrain, bite -> dog ...), the outcome is what happened to a
civilian patient (death -> fatal, injury -> injured), shots are the event's count, and
the subject is the civilian patient of the events that made the article a report (its
name, its age, its gender). Negated events give nothing; an officer as the patient
gives nothing.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from forcewatch.extract.document import ArticleDoc
from forcewatch.extract.relevance import Weighed
from forcewatch.link.compare import names_compatible
from forcewatch.model import Evidence, Relevance
from forcewatch.read.events import FORCE_KINDS, OUTCOME_KINDS, Event, Participant, antecedent, name_tokens
from forcewatch.read.lexicon import is_police, labels_of

_MALE = {"man", "boy", "he", "him", "father", "son", "husband", "brother", "male", "dad", "grandfather", "mr"}
_FEMALE = {"woman", "girl", "she", "her", "mother", "daughter", "wife", "sister", "female", "mum", "mom", "mrs", "ms"}
_TITLES = frozenset("mr mrs ms miss dr sir".split())
_AGE = re.compile(r"\b(\d{1,3})[- ]years?[- ]old\b|,\s*(?:aged\s+)?(\d{1,3})\s*(?:,|$)|\baged\s+(\d{1,3})\b")


def _ev(doc: ArticleDoc, field: str, value: object, start: int, end: int, how: str, confidence: float) -> Evidence:
    return doc.evidence(field, value, start, end, f"events.{how}", confidence)


def category_evidence(doc: ArticleDoc, decision: Relevance, weighed: list[Weighed]) -> list[Evidence]:
    """The event that carries the chosen category (in the body; a title has no body offsets)."""
    for w in weighed:
        if w.category == decision.category and not w.in_title:
            return [_ev(doc, "category", decision.category, w.event.start, w.event.end, "category", 0.8)]
    return []


def _body_events(doc: ArticleDoc) -> list[Event]:
    return [e for e in (doc.doc._.events or []) if e.polarity != "negated" and not e.officer_patient]


def _police_context(doc: ArticleDoc, ev: Event) -> bool:
    """The event is done by police, or a police tool is its predicate (Taser, police dog, PAVA)."""
    if ev.police_agent:
        return True
    if ev.agent is not None:
        return False
    if ev.kind in ("taser", "chemical"):
        return True
    token = doc.doc[ev.token]
    sent = token.sent
    return any("POLICE" in labels_of(t) for t in sent) and ev.kind in ("restraint", "dog", "blunt")


def force_evidence(doc: ArticleDoc) -> list[Evidence]:
    out = []
    for ev in _body_events(doc):
        force = FORCE_KINDS.get(ev.kind)
        if (
            ev.agent is not None
            and ev.agent.role == "police_vehicle"
            and ev.kind in ("crash", "injury", "death", "hit")
        ):
            force = "vehicle"  # "a collision with a police car", "killed by a patrol car"
        if force is None or not _police_context(doc, ev):
            continue
        if ev.kind == "firearm" and ev.agent is None:
            continue  # "a man was shot": by whom is not said
        confidence = 0.85 if ev.polarity == "asserted" else 0.5
        out.append(_ev(doc, "force_used", force, ev.start, ev.end, "force", confidence))
    return out


def outcome_evidence(doc: ArticleDoc, reports: list[Event]) -> list[Evidence]:
    """Fatal or injured, from what happened to the civilian patients (or to an unnamed one)."""
    out = []
    for ev in _body_events(doc):
        if ev.patient is not None and ev.patient.role not in ("civilian", "relative"):
            continue
        outcome = "fatal" if ev.fatal else OUTCOME_KINDS.get(ev.kind)
        if outcome is None:
            continue
        if ev.patient is None and ev not in reports:
            continue
        confidence = 0.85 if ev in reports else 0.7
        if ev.polarity == "hedged":
            confidence *= 0.5
        out.append(_ev(doc, "outcome", outcome, ev.start, ev.end, "outcome", confidence))
    if not out:
        # Force on a civilian with nothing said of a death or an injury: shot, bitten, struck means hurt.
        for ev in reports:
            if ev.kind in ("firearm", "dog", "blunt", "vehicle") and ev.civilian_patient and ev.polarity == "asserted":
                out.append(_ev(doc, "outcome", "injured", ev.start, ev.end, "outcome.implied", 0.5))
                break
    return out


def shots_evidence(doc: ArticleDoc) -> list[Evidence]:
    out = []
    for ev in _body_events(doc):
        if ev.kind == "firearm" and ev.count is not None and (ev.police_agent or ev.agent is None):
            confidence = 0.85 if ev.police_agent else 0.6
            if ev.count_at_least:  # "several times": a least count, never the field's value on its own
                out.append(_ev(doc, "shots_fired", ev.count, ev.start, ev.end, "shots.at_least", confidence / 2))
            else:
                out.append(_ev(doc, "shots_fired", ev.count, ev.start, ev.end, "shots", confidence))
    return out


def _patient_tokens(doc: ArticleDoc, who: Participant) -> list[Token]:
    return [t for t in doc.doc[who.token].subtree if who.start <= t.idx < who.end]


_PLACE_PREPS = frozenset("in at near on from to into outside inside across along".split())


def _describe_patient(doc: ArticleDoc, who: Participant) -> dict[str, tuple[object, int, int]]:
    """What the patient phrase itself says: name, age, gender, each with its span."""
    found: dict[str, tuple[object, int, int]] = {}
    head = doc.doc[who.token]
    # A name: a PERSON entity in the patient phrase ("Tom Reed, 34", "the man, named as ..."),
    # or the proper-noun chain of a patient the NER missed.
    names = [e for e in doc.ents if e.label_ == "PERSON" and who.start <= e.start_char < who.end]
    named = head
    if (
        head.pos_ == "PRON"
        and (ante := antecedent(head)) is not None
        and ante.pos_ == "PROPN"
        and not is_police(ante)
        and not (ante.dep_ == "pobj" and ante.head.lower_ in _PLACE_PREPS)  # "in Thornton Heath" is a place
    ):
        named = ante  # "Jo Voss was 18 when he died": the pronoun's antecedent names the patient
        names = [e for e in doc.ents if e.label_ == "PERSON" and e.start <= ante.i < e.end]
    chain = sorted(name_tokens(named), key=lambda t: t.i) if named.pos_ == "PROPN" else []
    chain = [t for t in chain if t.lower_.rstrip(".") not in _TITLES]  # "Mr Voss" names no one new
    if names and len(names[0].text.split()) >= 2:
        found["subject_name"] = (names[0].text, names[0].start_char, names[0].end_char)
    elif len(chain) >= 2 and all(t.pos_ == "PROPN" and not is_police(t) for t in chain):
        s, e = chain[0].idx, chain[-1].idx + len(chain[-1].text)
        found["subject_name"] = (doc.text[s:e], s, e)
    m = _AGE.search(who.text)
    if m:
        age = int(next(g for g in m.groups() if g))
        if 0 < age < 110:
            found["subject_age"] = (age, who.start + m.start(), who.start + m.end())
    if "RELATIVE" not in labels_of(head):
        for t in [head, *_patient_tokens(doc, who)]:
            word = t.lemma_.lower() if t.pos_ != "PRON" else t.lower_
            gender = "male" if word in _MALE else "female" if word in _FEMALE else None
            if gender:
                found["subject_gender"] = (gender, head.idx, head.idx + len(head.text))
                break
    return found


def subject_evidence(doc: ArticleDoc, weighed: list[Weighed]) -> list[Evidence]:
    """Name, age and gender of the subject: the civilian patient of the first deciding event
    (in text order). Other deciding events add what they say of the same person; one whose
    patient is named or aged otherwise ("after a previous death of a 24-year-old") is someone else."""
    best = max((w.weight for w in weighed), default=0.0)
    deciding = sorted(
        (
            w
            for w in weighed
            if not w.in_title
            and w.weight >= max(2.0, best - 0.5)
            and w.event.patient is not None
            and w.event.patient.role == "civilian"
            and w.event.patient.end <= len(doc.text)
        ),
        key=lambda w: w.event.start,
    )
    out: list[Evidence] = []
    subject: dict[str, object] = {}
    for rank, w in enumerate(deciding):
        said = _describe_patient(doc, w.event.patient)  # type: ignore[arg-type]
        if rank and any(
            k in subject and not _same(k, subject[k], v[0]) for k, v in said.items() if k != "subject_gender"
        ):
            continue  # another person
        confidence = (0.9 if rank == 0 else 0.7) * w.weight / best
        for field_name, (value, s, e) in said.items():
            subject.setdefault(field_name, value)
            out.append(_ev(doc, field_name, value, s, e, "subject", confidence))
    if deciding and "subject_name" not in subject:
        out += _name_from_other_mentions(doc, deciding, subject)
    return out


def _name_from_other_mentions(doc: ArticleDoc, deciding: list[Weighed], subject: dict[str, object]) -> list[Evidence]:
    """The deciding events call the subject "a Marrowby man"; another harm event of the article
    names its civilian patient ("the death of 39-year-old Jo Voss"): the same person when the
    article harms no other named civilian and nothing said of them (age, sex) disagrees."""
    named: list[dict[str, tuple[object, int, int]]] = []
    chosen = {w.event.token for w in deciding}
    for ev in _body_events(doc):
        patient = ev.patient
        if ev.token in chosen or patient is None or patient.role != "civilian" or patient.end > len(doc.text):
            continue
        said = _describe_patient(doc, patient)
        if "subject_name" in said and _recurs(doc, str(said["subject_name"][0])):
            named.append(said)
    names = {str(said["subject_name"][0]) for said in named}
    if not named or any(not names_compatible(a, b) for a in names for b in names):
        return []  # no name, or several people: leave the subject unnamed
    said = named[0]
    if any(k in subject and not _same(k, subject[k], v[0]) for k, v in said.items() if k != "subject_name"):
        return []
    return [_ev(doc, k, v, s, e, "mention", 0.5) for k, (v, s, e) in said.items() if k not in subject]


def surname_mentions(text: str, name: str) -> int:
    """How often the article says the person's surname: a protagonist is followed through the
    report, a death it recalls in passing is named once."""
    surname = name.split()[-1]
    return len(re.findall(rf"\b{re.escape(surname)}\b", text))


def _recurs(doc: ArticleDoc, name: str) -> bool:
    return surname_mentions(doc.text, name) >= 2


def _same(field_name: str, a: object, b: object) -> bool:
    if field_name == "subject_name":
        return names_compatible(str(a), str(b))
    return a == b


def action_evidence(doc: ArticleDoc) -> list[Evidence]:
    """threat, fleeing, subject_armed and subject_weapon_recovered from the subject's actions."""
    out = []
    for act in doc.doc._.actions or []:
        if act.kind == "found":
            out.append(_ev(doc, "subject_weapon_recovered", act.value, act.start, act.end, "found", 0.85))
            continue
        if act.kind == "flee" and act.polarity == "negated":
            out.append(_ev(doc, "fleeing", "not_fleeing", act.start, act.end, "flee", 0.8))
            continue
        if act.polarity != "asserted":
            continue  # "it was not clear whether he pointed a gun"
        field_name = {"threat": "threat", "flee": "fleeing", "armed": "subject_armed"}[act.kind]
        out.append(_ev(doc, field_name, act.value, act.start, act.end, act.kind, 0.9))
    return out


def extract_from_events(doc: ArticleDoc, decision: Relevance, weighed: list[Weighed]) -> list[Evidence]:
    reports = [w.event for w in weighed if not w.in_title]
    return (
        category_evidence(doc, decision, weighed)
        + force_evidence(doc)
        + outcome_evidence(doc, reports)
        + shots_evidence(doc)
        + subject_evidence(doc, weighed)
        + action_evidence(doc)
    )
