"""Police agencies: canonical names, aliases merged, identifiers where one exists.

UK forces come from a checked-in list (forcewatch/data/uk_forces.json); forces in
Ireland, Canada, New Zealand, Australia and India from another
(forcewatch/data/forces_abroad.json, the Indian state forces generated from pycountry);
US agencies follow naming patterns ("Houston Police Department", "Harris County
Sheriff's Office", "Texas Highway Patrol") and are named canonically from those parts.

Some aliases are words every report uses ("police", "the guards"): they name a force
only when the article is otherwise set in that force's country (`article_country`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from forcewatch.extract.oversight import body_countries
from forcewatch.model import Evidence

if TYPE_CHECKING:
    from forcewatch.extract.document import ArticleDoc


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
    full: list[str] = []
    short: list[str] = []
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


@dataclass(frozen=True)
class Alias:
    """One way a report names a force outside the UK and US."""

    text: str
    pattern: re.Pattern[str]
    agency: Agency
    exact: bool  # matched in exact case ("RCMP", "OPP")
    context: bool  # only in an article set in the force's country ("police" in New Zealand)
    not_in: frozenset[str]  # countries whose reports use the same words for another force


def _plain(text: str) -> str:
    """ "Tamil Nādu" -> "Tamil Nadu": pycountry's transliterations carry macrons newsrooms drop."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _alias_pattern(text: str, exact: bool, not_before: str | None, not_after: list[str]) -> re.Pattern[str]:
    body = r"\s+".join(map(re.escape, text.split()))
    behind = "".join(f"(?<!{re.escape(a)})" for a in not_after)
    ahead = f"(?!{not_before})" if not_before else ""
    return re.compile(rf"{behind}(?<![\w&-])({body})(?![\w&]){ahead}", 0 if exact else re.I)


def _aliases_of(spec: dict, agency: Agency, names: list) -> list[Alias]:
    out = []
    for alias in names:
        alias = {"text": alias} if isinstance(alias, str) else alias
        exact, context = alias.get("exact", False), alias.get("context", False)
        pattern = _alias_pattern(alias["text"], exact, spec.get("not_before"), spec.get("not_after", []))
        out.append(Alias(alias["text"], pattern, agency, exact, context, frozenset(spec.get("not_in", []))))
    return out


@dataclass(frozen=True)
class Abroad:
    by_name: dict[str, Agency]  # canonical name or alias, lower case -> Agency
    aliases: list[Alias]  # longest first
    state_forces: dict[str, list[tuple[Agency, re.Pattern[str]]]]  # country -> each state force and its cues
    patterns: list[tuple[str, re.Pattern[str]]]  # (country, named-force pattern)


def _cues(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")(?![\w-])")


@lru_cache(maxsize=1)
def forces_abroad() -> Abroad:
    """The forces of forcewatch/data/forces_abroad.json, the Indian state forces generated from pycountry."""
    import pycountry

    data = json.loads(resources.files("forcewatch.data").joinpath("forces_abroad.json").read_text())
    aliases: list[Alias] = []
    state_forces: dict[str, list[tuple[Agency, re.Pattern[str]]]] = {}
    by_region = set(data.get("police_by_region", {}).get("countries", []))
    for force in data["forces"]:
        agency = Agency(force["name"], None, force["country"], force["region"])
        aliases += _aliases_of(force, agency, [force["name"], *force["aliases"]])
        if force.get("region_cues") and agency.country in by_region:
            state_forces.setdefault(agency.country, []).append((agency, _cues(force["region_cues"])))
    for gen in data["generated"]:
        extra, not_in = gen.get("extra_aliases", {}), gen.get("not_in", {})
        for sub in pycountry.subdivisions.get(country_code=gen["country"]):
            region = _plain(sub.name)
            agency = Agency(gen["template"].format(name=region), None, gen["country"], region)
            names = [agency.name, *extra.get(region, [])]
            if sub.name != region:
                names.append(gen["template"].format(name=sub.name))
            aliases += _aliases_of({"not_in": not_in.get(region, [])}, agency, names)
            if gen.get("region_cues") and agency.country in by_region:
                state_forces.setdefault(agency.country, []).append((agency, _cues(list({region, sub.name}))))
    by_name = {a.text.lower(): a.agency for a in aliases if not a.context}
    by_name.update({a.agency.name.lower(): a.agency for a in aliases})
    patterns = [(p["country"], re.compile(p["pattern"])) for p in data.get("patterns", [])]
    return Abroad(by_name, sorted(aliases, key=lambda a: -len(a.text)), state_forces, patterns)


def canonical_abroad(name: str) -> Agency | None:
    return forces_abroad().by_name.get(re.sub(r"^the\s+", "", name.strip(), flags=re.I).lower())


#: Words that set a report in a country, each with its weight.
_COUNTRY_CUES = [
    (re.compile(r"\b(New Zealand|Aotearoa|NZ|Kiwis?|Māori|Maori)\b"), "NZ", 2.0),
    (re.compile(r"(?<!Northern )\b(Ireland|Irish Republic|Taoiseach|Dáil)\b"), "IE", 2.0),
    (re.compile(r"\bCo\.? (?!(Antrim|Down|Armagh|Fermanagh|Londonderry|Derry|Tyrone)\b)[A-Z][a-z]+"), "IE", 2.0),
    (
        re.compile(
            r"\b(Canada|Canadian|Ontario|Quebec|Québec|British Columbia|Alberta|Manitoba|Saskatchewan|Nova Scotia|"
            r"New Brunswick|Newfoundland|Labrador|Prince Edward Island)\b|, (Ont|Que|Alta|Man|Sask|B\.C|N\.S|N\.B|N\.L|P\.E\.I)\.|\bB\.C\."
        ),
        "CA",
        2.0,
    ),
    (
        re.compile(r"\b(Australia|Australian|New South Wales|NSW|Queensland|Tasmania|Northern Territory)\b"),
        "AU",
        2.0,
    ),
    (re.compile(r"\b(India|lakh|crore|FIR|tehsil)\b"), "IN", 1.0),
    (re.compile(r"\b(Pakistan|Pakistani|Lahore|Karachi|Islamabad|Rawalpindi|Faisalabad|Multan)\b"), "PK", 2.0),
    (re.compile(r"\b(U\.S\.|United States|Washington state)\b|, (Wash|Ore|Ill|Kan|Calif)\."), "US", 2.0),
    (re.compile(r"\b(UK|Britain|British(?! Columbia)|(?<!New )England|Scotland|Wales)\b"), "GB", 1.0),
]
_TLDS = {"nz": "NZ", "ie": "IE", "ca": "CA", "au": "AU", "in": "IN", "uk": "GB", "pk": "PK"}


def article_country(doc: ArticleDoc, gazetteer: object | None = None, named: list[Agency] | None = None) -> str | None:
    """The country the report is set in, when its cues agree: forces and oversight bodies
    named, country and province names, the outlet's domain, the places the model found."""
    scores: dict[str, float] = {}

    def add(country: str, weight: float) -> None:
        scores[country] = scores.get(country, 0.0) + weight

    for agency in {a.name: a for a in named or []}.values():
        add(agency.country, 3.0)
    for country in {c for c, _ in body_countries(doc)}:
        add(country, 3.0)
    for _, cues in forces_abroad().state_forces.get("IN", []):  # Indian state names are India's alone
        if any(True for _ in doc.finditer(cues)):
            add("IN", 2.0)
    for pattern, country, weight in _COUNTRY_CUES:
        hits = sum(1 for _ in doc.finditer(pattern))
        if hits:
            add(country, weight * min(hits, 3))
    host = re.sub(r"^\w+://", "", doc.article.url or "").split("/")[0].split(":")[0]
    if host.rsplit(".", 1)[-1] in _TLDS:
        add(_TLDS[host.rsplit(".", 1)[-1]], 2.0)
    if gazetteer is not None:
        for ent in doc.ents:
            if ent.label_ != "GPE":
                continue
            if gazetteer.us_state(ent.text):  # type: ignore[attr-defined]
                add("US", 1.0)
                continue
            places = gazetteer.lookup(ent.text)  # type: ignore[attr-defined]
            if places and places[0].population >= 50000:
                add(places[0].country, 1.0)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 2.0 or (len(ranked) > 1 and ranked[1][1] >= ranked[0][1]):
        return None
    return ranked[0][0]


def _abroad(
    doc: ArticleDoc, gazetteer: object | None, country: str | None, taken: list[tuple[int, int]]
) -> list[Evidence]:
    abroad = forces_abroad()
    found: list[tuple[Agency, float, re.Match[str]]] = []
    named: list[Agency] = []

    def claim(agency: Agency, confidence: float, m: re.Match[str], start: int, end: int) -> None:
        if not _overlaps(start, end, taken):
            taken.append((start, end))
            found.append((agency, confidence, m))

    for alias in abroad.aliases:  # doc.finditer skips the aliases Hyperscan rules out (extract/gate.py)
        if alias.context:
            continue
        for m in doc.finditer(alias.pattern):
            if not _overlaps(m.start(), m.end(), taken):
                named.append(alias.agency)
                if country is None or country not in alias.not_in:
                    claim(alias.agency, 0.85 if alias.exact else 0.9, m, m.start(), m.end())
    if country is None:
        unambiguous = {a.agency.name for a in abroad.aliases if not a.not_in}
        country = article_country(doc, gazetteer, [a for a in named if a.name in unambiguous])
        drop = {a.agency.name for a in abroad.aliases if country in a.not_in}
        for i in [i for i, (agency, _, _) in enumerate(found) if agency.name in drop][::-1]:
            taken.remove((found[i][2].start(), found[i][2].end()))
            del found[i]
    for c, pattern in abroad.patterns:
        if c != country:
            continue
        for m in doc.finditer(pattern):
            name = re.sub(r"^(?:(?:The|A|An|In|At|By|Of|For|And|Said|Local)[ -])+", "", m.group("name"))
            if len(name.split()) > 2 and not canonical_uk(name) and not canonical_abroad(name):
                claim(Agency(name, None, country, None), 0.8, m, m.end() - len(name), m.end())
    for alias in abroad.aliases:
        if alias.context and country == alias.agency.country and country not in alias.not_in:
            for m in doc.finditer(alias.pattern):
                claim(alias.agency, 0.6, m, m.start(), m.end())
    states = [a for a, cues in abroad.state_forces.get(country or "", []) if any(True for _ in doc.finditer(cues))]
    if len(states) == 1:  # "police" in a report set in one Australian or Indian state
        for m in doc.finditer(_BARE_POLICE):
            claim(states[0], 0.5, m, m.start(), m.end())
    out = []
    for agency, confidence, m in sorted(found, key=lambda f: f[2].start()):
        out.append(
            doc.evidence(
                "agency", agency.name, m.start(), m.end(), "agencies.abroad", acting(doc, m.start(), confidence)
            )
        )
    return out


_BARE_POLICE = re.compile(r"(?<![\w-])police(?![\w-])", re.I)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


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


_ACCORDING_TO = re.compile(r"\baccording to (the )?$", re.I)


def acting(doc: ArticleDoc, offset: int, confidence: float) -> float:
    """A force named only as the investigator (state police looking into deputies) weighs less
    than the force whose officers acted: the record's agency is the one that used force."""
    sentence = doc.sentence_at(offset).text
    if _INVESTIGATING.search(sentence) and not _ACTING.search(sentence):
        return confidence * 0.3
    if _ACCORDING_TO.search(doc.text[max(0, offset - 20) : offset]):
        return confidence * 0.5  # the source of the account ("according to the state police"), not the actor
    return confidence


def extract_agency(doc: ArticleDoc, gazetteer: object | None = None, country: str | None = None) -> list[Evidence]:
    """Every mention of a police agency, as its canonical name.

    `country` is the country the report is set in, when the caller knows it; else it is
    read from the article's cues (`article_country`)."""
    taken: list[tuple[int, int]] = []
    out: list[Evidence] = _abroad(doc, gazetteer, country, taken)
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
            if "County" not in template and (canonical_uk(place + " Police") or canonical_uk(place + " Constabulary")):
                continue  # "Kent Police" is British; "Durham County Sheriff's Office" never is
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
    agency = canonical_abroad(name) or canonical_uk(name)
    if agency:
        return agency.country
    if re.search(
        r"Police Department|Division of Police|Sheriff|Highway Patrol|State Patrol|State Police|Public Safety", name
    ):
        return "US"
    return None


def agency_code(name: str) -> str | None:
    agency = canonical_uk(name) or canonical_abroad(name)
    return agency.code if agency else None
