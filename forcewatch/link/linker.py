"""Which incident does an article report? Blocking, then a scored comparison.

Incremental: each new article is compared only with incidents in its block (the date
window +-3 days with a shared place or force, the same subject surname at any date,
or the same locality/agency when either side has no date), never with the articles
already linked, so cost grows near-linearly with the corpus. No single field is a
gate: `similarity` adds evidence for and against (name, place, force, date, age,
gender, category), and a date a day or a week off is a conflict to flag, not a
second incident. Near-copies
(wire reprints, updated versions) are found with MinHash LSH (datasketch) and
join their original's incident as the same source, not an independent one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from datasketch import MinHash, MinHashLSH

from forcewatch.link.compare import names_compatible
from forcewatch.model import ArticleFacts

WINDOW_DAYS = 3
LINK_THRESHOLD = 3.0
SYNDICATION_JACCARD = 0.7
RARE_DF = 3  # a distinctive term counts while at most this many earlier articles had it
_PERM = 64


@dataclass
class Profile:
    """The few facts of an article (or incident) that decide linking."""

    date: date | None = None
    country: str | None = None
    region: str | None = None
    locality: str | None = None
    neighbourhood: str | None = None
    agency: str | None = None
    category: str | None = None
    name: str | None = None
    age: int | None = None
    age_range: tuple[int, int] | None = None  # "in his 40s": (40, 49), when no age is stated
    gender: str | None = None
    terms: frozenset[str] = frozenset()  # distinctive words of the evidence: names, streets, facts


@dataclass
class IncidentProfile:
    id: int
    profiles: list[Profile] = field(default_factory=list)


_CAPITALISED = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z'’-]{2,}")
_COMMON = frozenset(
    "The This That Police Officers Officer Mr Mrs Ms Miss Street Road Avenue Court Inquest Coroner "
    "Independent Office Conduct Commission Department Service County State City Council Sunday Monday "
    "Tuesday Wednesday Thursday Friday Saturday January February March April May June July August "
    "September October November December He She They It His Her Internal Affairs Division Unit Special "
    "Investigations Investigation Hospital Professional Standards Authority Ombudsman Force Constabulary "
    "Sheriff Deputy Chief Superintendent Inspector Sergeant Detective Family Justice Crown".split()
)


def distinctive_terms(facts: ArticleFacts) -> frozenset[str]:
    """Capitalised words inside sentences of the evidence (names, streets, shops): two reports of
    one death share several that no profile field holds. Words any report has are left out."""
    quotes = {ev.quote for ev in facts.evidence}
    found = {m.group(0).rstrip("'’") for q in quotes for m in _CAPITALISED.finditer(q)}
    return frozenset(t.lower() for t in found if t not in _COMMON)


def _name_words(name: str) -> str:
    """A name without possessives and titles ("Ms Voss's" -> "Voss")."""
    words = [w for w in re.sub(r"['’]s\b", "", name).split() if w.rstrip(".").lower() not in _TITLES]
    return " ".join(words) or name


_TITLES = frozenset("mr mrs ms miss dr sir".split())


def profile_of(facts: ArticleFacts) -> Profile:
    """First-ranked evidence per field; enough to compare, cheap to keep for millions."""
    p = Profile(category=facts.relevance.category)
    counts: dict[str, dict[object, float]] = defaultdict(lambda: defaultdict(float))
    first: dict[str, object] = {}
    for ev in facts.evidence:
        if ev.field in ("date", "locality", "region", "country", "neighbourhood"):
            first.setdefault(ev.field, ev.value)
        elif ev.field in ("agency", "subject_name", "subject_age", "subject_gender"):
            counts[ev.field][ev.value] += ev.confidence
        elif ev.field == "subject_age_range":
            counts[ev.field][tuple(ev.value)] += ev.confidence
    best = {f: max(c, key=lambda v: c[v]) for f, c in counts.items()}
    p.date = date.fromisoformat(first["date"]) if "date" in first else None  # type: ignore[arg-type]
    p.country, p.region = first.get("country"), first.get("region")  # type: ignore[assignment]
    p.locality, p.neighbourhood = first.get("locality"), first.get("neighbourhood")  # type: ignore[assignment]
    p.agency, p.name = best.get("agency"), best.get("subject_name")  # type: ignore[assignment]
    p.age, p.gender = best.get("subject_age"), best.get("subject_gender")  # type: ignore[assignment]
    p.age_range = None if p.age else best.get("subject_age_range")  # type: ignore[assignment]
    if p.name:
        p.name = _name_words(p.name)
    p.terms = distinctive_terms(facts)
    return p


def similarity(a: Profile, b: Profile) -> float:
    """Evidence that two profiles describe the same event; negative when they cannot."""
    score = 0.0
    if a.country and b.country and a.country != b.country:
        score -= 5.0  # strong, not a gate: a gazetteer can misread a place
    same_name = bool(a.name and b.name and names_compatible(a.name, b.name))
    if a.date and b.date:
        gap = abs((a.date - b.date).days)
        # Evidence, not a gate: a week off is a reporting error to flag; months apart needs a name
        # (an inquest or a trial years later dates itself, or is misdated to its own day).
        far = -1.0 if same_name else -3.0
        score += {0: 2.0, 1: 1.0}.get(gap, 0.0 if gap <= 7 else -1.5 if gap <= 31 else far)
    if a.locality and b.locality:
        score += 2.0 if a.locality == b.locality else (-0.5 if a.region == b.region else -3.0)
    elif a.region and b.region:
        score += 0.5 if a.region == b.region else -1.0  # regions are coarse and named inconsistently
    if a.neighbourhood and b.neighbourhood:
        score += 1.5 if a.neighbourhood == b.neighbourhood else -0.5  # a street is specific
    if a.agency and b.agency:
        score += 1.0 if a.agency == b.agency else -1.0
    if a.category and b.category:
        score += 0.5 if a.category == b.category else -1.0  # outlets classify one death differently
    if a.name and b.name:
        if names_compatible(a.name, b.name):
            # A full name shared by both is rare evidence; a surname alone is common.
            score += 4.0 if len(a.name.split()) > 1 and len(b.name.split()) > 1 else 2.5
        else:
            score -= 4.0
    if a.age and b.age:
        gap = abs(a.age - b.age)
        # Within a decade may be a later correction: no penalty.
        score += 1.0 if gap <= 2 else (0.0 if gap <= 9 else -3.0)
    elif (a.age or a.age_range) and (b.age or b.age_range):
        # A decade ("in his 40s") against an age or another decade: only a clear miss counts.
        (lo_a, hi_a), (lo_b, hi_b) = a.age_range or (a.age or 0, a.age or 0), b.age_range or (b.age or 0, b.age or 0)
        if max(lo_a, lo_b) - min(hi_a, hi_b) > 5:
            score -= 3.0
    if a.gender and b.gender and a.gender != b.gender:
        score -= 2.0  # strong, but a report about several people can give the wrong one
    places = {x.lower() for x in (a.locality, b.locality, a.region, b.region, a.neighbourhood, b.neighbourhood) if x}
    shared = len((a.terms & b.terms) - places)
    score += min(1.6, 0.4 * shared)
    return score


def name_key(profile: Profile) -> str | None:
    """The subject's surname, lower-cased: reports years apart share it when nothing else."""
    return profile.name.split()[-1].lower() if profile.name else None


def place_keys(profile: Profile) -> list[str]:
    """Blocking keys: an article is compared with incidents sharing any of them."""
    return [k for k in (profile.region, profile.locality, profile.agency) if k]


def shingles(text: str, size: int = 5) -> set[bytes]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + size]).encode() for i in range(max(1, len(words) - size + 1))}


def minhash(text: str) -> MinHash:
    m = MinHash(num_perm=_PERM)
    m.update_batch(list(shingles(text)))
    return m


class Linker:
    """Holds incident profiles and a MinHash index; assigns each new article an incident."""

    def __init__(self) -> None:
        self.incidents: dict[int, IncidentProfile] = {}
        self.by_day: dict[date, set[int]] = defaultdict(set)
        self.by_place: dict[str, set[int]] = defaultdict(set)
        self.by_day_key: dict[tuple[date, str | None], set[int]] = defaultdict(set)
        self.undated_by_place: dict[str, set[int]] = defaultdict(set)
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.term_df: dict[str, int] = defaultdict(int)
        self.lsh = MinHashLSH(threshold=SYNDICATION_JACCARD, num_perm=_PERM)
        self.article_incident: dict[str, int] = {}
        self.next_id = 1

    def add_existing(self, incident_id: int, article_id: str, profile: Profile, body: str | None = None) -> None:
        """Register an already-linked article (loaded from the store) without relinking it."""
        self._index(incident_id, profile)
        self.article_incident[article_id] = incident_id
        if body is not None and article_id not in self.lsh:
            self.lsh.insert(article_id, minhash(body))
        self.next_id = max(self.next_id, incident_id + 1)

    def rare(self, profile: Profile) -> Profile:
        """The profile with only the terms few earlier articles had (document frequency as IDF)."""
        return replace(profile, terms=frozenset(t for t in profile.terms if self.term_df[t] <= RARE_DF))

    def _index(self, incident_id: int, profile: Profile) -> None:
        for term in profile.terms:
            self.term_df[term] += 1
        self.incidents.setdefault(incident_id, IncidentProfile(incident_id)).profiles.append(profile)
        keys = place_keys(profile)
        if profile.date:
            self.by_day[profile.date].add(incident_id)
            day_keys: list[str | None] = [*keys] or [None]
            for day_key in day_keys:
                self.by_day_key[(profile.date, day_key)].add(incident_id)
        for key in (profile.locality, profile.agency):
            if key:
                self.by_place[key].add(incident_id)
                if not profile.date:
                    self.undated_by_place[key].add(incident_id)
        surname = name_key(profile)
        if surname:
            self.by_name[surname].add(incident_id)

    def candidates(self, profile: Profile) -> set[int]:
        """Incidents in the date window that share a place or force with the article (or name
        none), and any incident of the same subject surname: a block stays small however many
        incidents a year holds, and a later stage of a case (an inquest, a trial) still finds it."""
        surname = name_key(profile)
        by_name = set(self.by_name.get(surname, ())) if surname else set()
        return by_name | self._place_candidates(profile)

    def _place_candidates(self, profile: Profile) -> set[int]:
        if profile.date:
            days = [profile.date + timedelta(days=offset) for offset in range(-WINDOW_DAYS, WINDOW_DAYS + 1)]
            keys = place_keys(profile)
            found: set[int] = set()
            for day in days:
                if keys:
                    for key in [*keys, None]:
                        found |= self.by_day_key.get((day, key), set())
                else:
                    found |= self.by_day.get(day, set())
            # Only incidents first told without a date: scanning every incident of a city here
            # would make linking quadratic.
            undated = {
                i for key in (profile.locality, profile.agency) if key for i in self.undated_by_place.get(key, ())
            }
            return found | {i for i in undated if not any(p.date for p in self.incidents[i].profiles)}
        return {i for key in (profile.locality, profile.agency) if key for i in self.by_place.get(key, ())}

    def copy_of(self, article_id: str, body: str) -> str | None:
        """The earlier article this one is a near-copy of (syndication), if any."""
        m = minhash(body)
        matches = [a for a in self.lsh.query(m) if a != article_id]
        if article_id not in self.lsh:
            self.lsh.insert(article_id, m)
        return matches[0] if matches else None

    def link(
        self, article_id: str, profile: Profile, body: str | None = None, forced: int | None = None
    ) -> tuple[int, str | None, float]:
        """(incident id, original article if this is a copy, score) for a new article."""
        copy = self.copy_of(article_id, body) if body is not None else None
        if forced is not None:
            incident = forced
            score = float("inf")
        elif copy and copy in self.article_incident:
            incident, score = self.article_incident[copy], float("inf")
        else:
            best, score = None, LINK_THRESHOLD
            probe = self.rare(profile)
            for candidate in self.candidates(profile):
                s = max(similarity(probe, other) for other in self.incidents[candidate].profiles)
                if s >= score:
                    best, score = candidate, s
            if best is None:
                best, score = self.next_id, 0.0
                self.next_id += 1
            incident = best
        self._index(incident, profile)
        self.next_id = max(self.next_id, incident + 1)
        self.article_incident[article_id] = incident
        return incident, copy, score
