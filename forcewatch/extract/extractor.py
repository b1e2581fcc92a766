"""Run every extractor over one article, in the order their hints depend on.

Agencies and oversight bodies hint at the country, which the place resolver and
the date reader (US or UK day order) need; everything else is independent.
"""

from __future__ import annotations

import re

from forcewatch.extract.agencies import agency_country, extract_agency
from forcewatch.extract.circumstances import extract_circumstances
from forcewatch.extract.document import ArticleDoc
from forcewatch.extract.force import extract_force
from forcewatch.extract.from_events import extract_from_events, surname_mentions
from forcewatch.extract.gazetteer import Gazetteer
from forcewatch.extract.lifecycle import extract_lifecycle
from forcewatch.extract.oversight import extract_oversight, oversight_hints
from forcewatch.extract.people import extract_people
from forcewatch.extract.places import (
    county_of_own_council,
    extract_places,
    looks_like_street,
    names_a_town,
    places_from_agency,
)
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


def the_agents_force(agencies: list[Evidence], weighed: list[Weighed]) -> list[Evidence]:
    """The record's agency is the force of the officers who acted: a force named inside the
    police agent of a deciding event ("a Harris County sheriff's deputy shot") weighs triple, one
    named elsewhere in that event's sentence double; an investigating force stays as it was."""
    best = max((w.weight for w in weighed), default=0.0)
    agents = [w.event for w in weighed if w.event.police_agent and w.weight >= best - 0.5 and not w.in_title]
    for ev in agencies:
        at = ev.value_start if ev.value_start is not None else ev.start
        for event in agents:
            agent = event.agent
            if agent is not None and agent.start <= at < agent.end:
                ev.confidence *= 3.0
                break
            if event.sentence[0] <= at < event.sentence[1]:
                ev.confidence *= 2.0
                break
    return agencies


_INITIALS = re.compile(r"(?:[A-Z]\.){2,}")


def trim_place_abbreviation(text: str, evidence: list[Evidence]) -> list[Evidence]:
    """ "in Marrowby, N.B. Voss was ..." : the tokenizer keeps a province's or state's
    abbreviation with the next sentence, and the NER reads "N.B. Voss" as one name. Initials
    right after a comma belong to the place before them, not to the name."""
    for ev in evidence:
        if ev.field != "subject_name" or ev.value_start is None:
            continue
        first, _, rest = str(ev.value).partition(" ")
        if rest and _INITIALS.fullmatch(first) and text[: ev.value_start].rstrip().endswith(","):
            ev.value, ev.value_start = rest, ev.value_start + len(first) + 1
        # One spelling of a name whatever the outlet's typography ("D’Andre" / "D'Andre"); the
        # quote keeps the text as printed.
        ev.value = str(ev.value).replace("’", "'").replace("‘", "'")
    return evidence


def recurring_first(text: str, people: list[Evidence]) -> list[Evidence]:
    """A name the article says once ("after the death of Jo Voss in another city") weighs half
    of one it comes back to: the subject is followed through the report, a recalled case is not."""
    for ev in people:
        if ev.field == "subject_name" and ev.value:
            if surname_mentions(text, str(ev.value)) < 2:
                ev.confidence *= 0.5
    return people


def _same(field: str, a: object, b: object) -> bool:
    return names_compatible(str(a), str(b)) if field == "subject_name" else a == b


def extract_all(doc: ArticleDoc, decision: Relevance, weighed: list[Weighed], gazetteer: Gazetteer) -> list[Evidence]:
    evidence: list[Evidence] = extract_from_events(doc, decision, weighed)
    agencies = the_agents_force(extract_agency(doc, gazetteer), weighed)
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
    evidence = trim_place_abbreviation(doc.text, evidence)
    people = trim_place_abbreviation(doc.text, extract_people(doc))
    # A person's name is never a place: "the family of Jo Ashby" is no town called Ashby.
    surnames = {
        str(e.value).split()[-1]
        for e in evidence + people
        if e.field == "subject_name"
        and e.value
        and not looks_like_street(str(e.value))
        and not names_a_town(str(e.value), gazetteer)  # "from Milton Keynes", read as a person by the model
    }
    names = [
        (m.start(), m.end())
        for surname in surnames
        if len(surname) > 2 and surname[:1].isupper()
        for m in re.finditer(rf"\b{re.escape(surname)}\b", doc.text)
    ]
    places = extract_places(doc, gazetteer, hints, names)
    places += places_from_agency(doc, gazetteer, agencies, places)
    places = county_of_own_council(agencies, places)
    country = next((e.value for e in places if e.field == "country"), None)
    evidence += agencies + oversight + places
    evidence += extract_date(doc, us_order=(country == "US"))
    evidence += extract_timeline(doc)
    evidence += extract_lifecycle(doc, us_order=(country == "US"))
    evidence += prefer_event_subject(evidence, recurring_first(doc.text, people))
    evidence += extract_force(doc)
    evidence += extract_circumstances(doc)
    evidence += extract_quotes(doc, main_agency(agencies))
    return evidence
