"""Police agencies: canonical names, aliases merged, identifiers where one exists.

UK forces come from a checked-in list (forcewatch/data/uk_forces.json); US agencies
follow naming patterns ("Houston Police Department", "Harris County Sheriff's
Office", "Texas Highway Patrol") and are named canonically from those parts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from forcewatch.extract.document import ArticleDoc
from forcewatch.model import Evidence


@dataclass(frozen=True)
class Agency:
    name: str
    code: str | None
    country: str
    region: str | None


@lru_cache(maxsize=1)
def uk_forces() -> tuple[dict[str, Agency], re.Pattern[str], re.Pattern[str]]:
    """Alias -> Agency, and two patterns: full names (any case) and short aliases (exact case)."""
    data = json.loads(resources.files("forcewatch.data").joinpath("uk_forces.json").read_text())
    by_alias: dict[str, Agency] = {}
    full, short = [], []
    for force in data["forces"]:
        agency = Agency(force["name"], force["code"], "GB", force["region"])
        for alias in [force["name"], *force["aliases"]]:
            by_alias[alias.lower()] = agency
            (short if len(alias) <= 5 or alias.isupper() else full).append(alias)
    full_re = re.compile(r"\b(" + "|".join(sorted(map(re.escape, full), key=len, reverse=True)) + r")\b", re.I)
    # Short aliases ("Met", "GMP") only in exact case, and never "Met Office" or "Met Gala".
    short_re = re.compile(
        r"\b(" + "|".join(sorted(map(re.escape, short), key=len, reverse=True)) + r")\b(?! (Office|Gala|Opera|Museum))"
    )
    return by_alias, full_re, short_re


def canonical_uk(name: str) -> Agency | None:
    by_alias, _, _ = uk_forces()
    cleaned = re.sub(r"^the\s+", "", name.strip(), flags=re.I).lower()
    return by_alias.get(cleaned)


_NAME = r"(?:Mc|Mac|De|La|Le|O')?[A-Z][a-z]+(?:[ -](?:Mc|Mac|De|La|Le|O')?[A-Z][a-z]+){0,2}"
#: Initialisms newsrooms use for the largest US agencies (ambiguous ones such as CPD are left out).
US_ALIASES = {
    "NYPD": "New York City Police Department",
    "LAPD": "Los Angeles Police Department",
    "LASD": "Los Angeles County Sheriff's Department",
}
_US_ALIAS_RE = re.compile(r"\b(" + "|".join(US_ALIASES) + r")\b")
_US_PATTERNS = [
    (re.compile(rf"\b(?P<place>{_NAME}) Division of Police"), "{place} Division of Police"),
    (re.compile(rf"\b(?P<place>{_NAME}) County (?:police|Police)(?! Department)"), "{place} County Police Department"),
    (
        re.compile(rf"\b(?P<place>{_NAME}) (?:Police Department|Police Dept\.?|Police Bureau)"),
        "{place} Police Department",
    ),
    (
        re.compile(rf"\b(?P<place>{_NAME}) County Sheriff[’']?s? (?P<kind>Office|Department)"),
        "{place} County Sheriff's {kind}",
    ),
    (
        re.compile(rf"\b(?P<place>{_NAME}) County [Ss]heriff[’']?s?[’']? (?:deputies|deputy|officers?)"),
        "{place} County Sheriff's Office",
    ),
    (
        re.compile(
            rf"\b(?P<place>{_NAME}) (?P<kind>State Police|Highway Patrol|State Patrol|Department of Public Safety)\b"
        ),
        "{place} {kind}",
    ),
    (
        re.compile(
            rf"\b(?P<place>{_NAME}) (?:police|Police)(?! (?:Department|Dept|Bureau|Scotland|Service|Federation|and|Commissioner|Chief))\b"
        ),
        "{place} Police Department",
    ),
]


_INVESTIGATING = re.compile(r"\b(investigat\w*|inquiry|probe|review|is leading|asked to look)\b", re.I)
_ACTING = re.compile(
    r"\b(shot|fired|opened fire|killed|tasered|restrained|arrested|chased|pursued|officers? (from|of|with))\b", re.I
)


def acting(doc: ArticleDoc, offset: int, confidence: float) -> float:
    """A force named only as the investigator (state police looking into deputies) weighs less
    than the force whose officers acted: the record's agency is the one that used force."""
    sentence = doc.sentence_at(offset).text
    if _INVESTIGATING.search(sentence) and not _ACTING.search(sentence):
        return confidence * 0.3
    return confidence


def extract_agency(doc: ArticleDoc, gazetteer: object | None = None) -> list[Evidence]:
    """Every mention of a police agency, as its canonical name."""
    out: list[Evidence] = []
    taken: list[tuple[int, int]] = []
    _, full_re, short_re = uk_forces()
    for pattern in (full_re, short_re):
        for m in doc.finditer(pattern):
            if any(s <= m.start() < e for s, e in taken):
                continue
            agency = canonical_uk(m.group(1))
            if agency:
                taken.append((m.start(), m.end()))
                out.append(
                    doc.evidence("agency", agency.name, m.start(), m.end(), "agencies.uk", acting(doc, m.start(), 0.9))
                )
    for m in doc.finditer(_US_ALIAS_RE):
        taken.append((m.start(), m.end()))
        out.append(
            doc.evidence(
                "agency", US_ALIASES[m.group(1)], m.start(), m.end(), "agencies.us", acting(doc, m.start(), 0.85)
            )
        )
    for pattern, template in _US_PATTERNS:
        for m in doc.finditer(pattern):
            if any(s <= m.start() < e for s, e in taken):
                continue
            place = re.sub(r"^(The|A|An|In|At|By|Of|For|And|Said) ", "", m.group("place"))
            if place in ("The", "State", "County", "City", "Local", "Transport"):
                continue
            if canonical_uk(place + " Police") or canonical_uk(place + " Constabulary"):
                continue
            if "kind" in m.groupdict() and m.group("kind") is None:
                continue
            if (
                template in ("{place} Police Department", "{place} Division of Police")
                and "County" not in template
                and not _is_us_city(place, gazetteer)
            ):
                continue
            name = template.format(place=place, kind=m.groupdict().get("kind") or "")
            taken.append((m.start(), m.end()))
            confidence = acting(doc, m.start(), 0.8)
            if re.match(r"\s+(said|says|told)\b", doc.text[m.end() : m.end() + 8]):
                confidence *= 0.5  # named as the source of the account, not as the actor
            out.append(doc.evidence("agency", name, m.start(), m.end(), "agencies.us", confidence))
    return prefer_full_names(out)


def prefer_full_names(evidence: list[Evidence]) -> list[Evidence]:
    """ "Columbus police" is the Columbus Division of Police when the article names it so."""
    full = {
        e.value.removesuffix(" Division of Police"): e.value
        for e in evidence
        if e.value.endswith(" Division of Police")
    }
    for e in evidence:
        city = e.value.removesuffix(" Police Department")
        if e.value.endswith(" Police Department") and city in full:
            e.value = full[city]
    return evidence


def _is_us_city(name: str, gazetteer: object | None) -> bool:
    if gazetteer is None:
        return False
    places = gazetteer.lookup(name)  # type: ignore[attr-defined]
    return bool(places) and places[0].country == "US"


def agency_country(name: str) -> str | None:
    agency = canonical_uk(name)
    if agency:
        return agency.country
    if re.search(
        r"Police Department|Division of Police|Sheriff|Highway Patrol|State Patrol|State Police|Public Safety", name
    ):
        return "US"
    return None


def agency_code(name: str) -> str | None:
    agency = canonical_uk(name)
    return agency.code if agency else None
