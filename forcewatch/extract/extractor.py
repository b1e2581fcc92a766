"""Run every extractor over one article, in the order their hints depend on.

Agencies and oversight bodies hint at the country, which the place resolver and
the date reader (US or UK day order) need; everything else is independent.
"""

from __future__ import annotations

from forcewatch.extract.agencies import agency_country, extract_agency
from forcewatch.extract.circumstances import extract_circumstances
from forcewatch.extract.document import ArticleDoc
from forcewatch.extract.force import extract_force
from forcewatch.extract.from_events import extract_from_events
from forcewatch.extract.gazetteer import Gazetteer
from forcewatch.extract.oversight import extract_oversight, oversight_hints
from forcewatch.extract.people import extract_people
from forcewatch.extract.places import extract_places, places_from_agency
from forcewatch.extract.quotes import extract_quotes
from forcewatch.extract.relevance import Weighed
from forcewatch.extract.when import extract_date, extract_timeline
from forcewatch.link.compare import names_compatible
from forcewatch.model import Evidence, Relevance


def main_agency(agencies: list[Evidence]) -> str | None:
    """The force named most (weighted by its evidence): the one whose officers acted."""
    counts: dict[str, float] = {}
    for ev in agencies:
        counts[ev.value] = counts.get(ev.value, 0.0) + ev.confidence
    return max(counts, key=lambda name: counts[name]) if counts else None


_SUBJECT_FIELDS = ("subject_name", "subject_age", "subject_gender")


def prefer_event_subject(from_events: list[Evidence], from_text: list[Evidence]) -> list[Evidence]:
    """The patient of the deciding event is the subject: where the events name, age or sex it,
    text-pattern values that disagree (a relative, a witness, an official) are dropped."""
    known: dict[str, list[object]] = {}
    for ev in from_events:
        if ev.field in _SUBJECT_FIELDS and ev.extractor == "events.subject":
            known.setdefault(ev.field, []).append(ev.value)
    kept = []
    for ev in from_text:
        values = known.get(ev.field)
        if values is not None and not any(_same(ev.field, ev.value, v) for v in values):
            continue
        kept.append(ev)
    return kept


def _same(field: str, a: object, b: object) -> bool:
    return names_compatible(str(a), str(b)) if field == "subject_name" else a == b


def extract_all(doc: ArticleDoc, decision: Relevance, weighed: list[Weighed], gazetteer: Gazetteer) -> list[Evidence]:
    evidence: list[Evidence] = extract_from_events(doc, decision, weighed)
    agencies = extract_agency(doc, gazetteer)
    oversight = extract_oversight(doc)
    hints: list[tuple[str, float]] = []
    for ev in agencies:
        country = agency_country(ev.value)
        if country:
            hints.append((country, 3.0))
    hints += oversight_hints(doc)  # IOPC -> GB, SIU -> CA, IPCA -> NZ, GSOC -> IE, LECC -> AU, ...
    for ev in oversight:
        if ev.field == "oversight_body" and ev.value in ("state", "DOJ"):
            hints.append(("US", 2.0))
    places = extract_places(doc, gazetteer, hints, [])
    places += places_from_agency(doc, gazetteer, agencies, places)
    country = next((e.value for e in places if e.field == "country"), None)
    evidence += agencies + oversight + places
    evidence += extract_date(doc, us_order=(country == "US"))
    evidence += extract_timeline(doc)
    evidence += prefer_event_subject(evidence, extract_people(doc))
    evidence += extract_force(doc)
    evidence += extract_circumstances(doc)
    evidence += extract_quotes(doc, main_agency(agencies))
    return evidence
