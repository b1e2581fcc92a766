"""Which incident does an article report? Blocking, then a scored comparison.

Incremental: each new article is compared only with incidents in its block (the date
window +-3 days with a shared place or force, the same subject surname at any date,
or the same locality/agency when either side has no date), never with the articles
already linked, so cost grows near-linearly with the corpus. No single field is a
gate: `similarity` adds evidence for and against (name, place, force, date, age,
gender, category), and a date a day or a week off is a conflict to flag, not a
second incident. A small incident scores an article by its best report, a large one by its
summary (`Summary`: what most of its reports say). Near-copies
(wire reprints, updated versions) are found with MinHash LSH (datasketch) and
join their original's incident as the same source, not an independent one.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import islice

from datasketch import MinHash, MinHashLSH
from text_to_num import alpha2digit
from wordfreq import zipf_frequency

from forcewatch.link.compare import names_compatible
from forcewatch.model import ArticleFacts

WINDOW_DAYS = 3
LINK_THRESHOLD = 3.0
REVIEW_MARGIN = 1.0  # pairs this close below the threshold go to the possible-duplicates list
SYNDICATION_JACCARD = 0.7
_PERM = 64


@dataclass(frozen=True)
class Weights:
    """The linking model in one place: evidence for (+) and against (-) one incident."""

    country_differs: float = -5.0  # strong, not a gate: a gazetteer can misread a place
    same_day: float = 2.0
    day_apart: float = 1.0
    month_apart: float = -1.5  # 8-31 days: a misdated report, or another death
    far_apart: float = -3.0  # months or years apart, without a shared name
    far_apart_same_name: float = -1.0  # an inquest or trial dates itself, or is misdated to its own day
    same_locality: float = 2.0
    other_locality_same_region: float = -0.5
    other_locality: float = -3.0
    other_locality_same_name: float = -1.0  # a birthplace or home read as the scene
    same_region: float = 0.25  # a state or county holds many incidents a day: the same day and region is not enough
    other_region: float = -1.0  # regions are coarse and named inconsistently
    same_street: float = 1.5
    other_street: float = -0.5
    same_force: float = 1.0
    other_force: float = -1.0
    same_category: float = 0.5
    other_category: float = -1.0  # outlets classify one death differently
    full_name: float = 4.0  # a first and last name shared by both is rare evidence
    surname: float = 2.5
    rare_surname: float = 3.0  # a surname few English texts use (word frequency)
    other_name: float = -4.0
    close_age: float = 1.0  # within 2 years; within a decade may be a later correction
    far_age: float = -4.5  # ten years or more apart: another person, whatever the place and day say
    gender_differs: float = -2.0  # strong, but a report about several people can give the wrong one
    term_cap: float = 2.4  # shared distinctive words (streets, shops, rare names) together
    fact: float = 0.6  # the same cited fact: "20 rounds", "45 minutes"
    fact_cap: float = 1.2


WEIGHTS = Weights()


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
    facts: frozenset[str] = frozenset()  # cited facts: "20 rounds", "45 minutes", "3 officers"
    month: str | None = None  # "YYYY-MM" when only a month is told ("in May 2020"), no day


#: Reports an incident needs before an article is scored against its summary (`Summary`)
#: instead of against each of its reports.
SUMMARY_MIN = 8
#: Share of an incident's reports (among those giving the field) a name, word or cited fact
#: needs to be part of its summary: a famous case's stray misreadings are not its evidence.
SUMMARY_SHARE = 0.1


class Summary:
    """What a large incident's reports say, per field: how many give each value, and the most
    common one (ties to the smallest text, so the summary does not depend on the order).

    Why: single link (the best of its reports) over a famous case's thousands of noisy reports
    (a day off, a neighbourhood read as the town, a trial report dated to its own day) reaches
    every other death of its city, and healing then folds those in, so incidents snowball and
    each article scores thousands of reports. Against the summary an article meets the case's
    day, town, force, category, age and gender, and the names (words, facts) that at least
    SUMMARY_SHARE of its reports give, with the same `Weights`, in constant time."""

    __slots__ = ("reports", "counts", "modes", "names", "terms", "facts", "_facets", "_supported", "_by_name")

    def __init__(self) -> None:
        self.reports = 0
        self.counts: dict[str, dict[object, int]] = {f: {} for f in _SCALARS}
        self.modes: dict[str, tuple[int, str, object]] = {}
        self.names: dict[str, int] = {}
        self.terms: dict[str, int] = {}
        self.facts: dict[str, int] = {}
        self._facets: Facets | None = None
        self._supported: list[str] = []
        self._by_name: dict[str, Facets] = {}  # the summary as scored against an article of that name

    def count(self, f: Facets, times: int = 1) -> None:
        self.reports += times
        for name in _SCALARS:
            value = getattr(f, name)
            if value is not None and value != "":
                self._bump(name, value, times)
        if f.name:
            self.names[f.name] = self.names.get(f.name, 0) + times
        for term in f.terms:
            self.terms[term] = self.terms.get(term, 0) + times
        for fact in f.facts:
            self.facts[fact] = self.facts.get(fact, 0) + times
        self._facets = None

    def day(self) -> int | None:
        """The most common day (ordinal) its reports give, if any."""
        mode = self.modes.get("day")
        return mode[2] if mode else None  # type: ignore[return-value]

    def _bump(self, name: str, value: object, times: int) -> None:
        """Count a value and keep the field's mode (counts only grow, so the new count of this
        value against the old mode decides)."""
        counts = self.counts[name]
        n = counts[value] = counts.get(value, 0) + times
        mode = self.modes.get(name)
        if mode is None or n > mode[0] or (n == mode[0] and str(value) < mode[1]):
            self.modes[name] = (n, str(value), value)

    def absorb(self, other: Summary) -> None:
        """Add another incident's counts (healing)."""
        self.reports += other.reports
        for name, counts in other.counts.items():
            for value, n in counts.items():
                self._bump(name, value, n)
        for mine, theirs in ((self.names, other.names), (self.terms, other.terms), (self.facts, other.facts)):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n
        self._facets = None

    @staticmethod
    def _kept(counts: dict[str, int]) -> list[str]:
        floor = max(1.0, SUMMARY_SHARE * sum(counts.values()))
        return sorted(k for k, n in counts.items() if n >= floor)

    def facets_for(self, a: Facets) -> Facets:
        """The summary as one report's Facets, its name the one of the incident's names that
        agrees with the article's (a full one first), else the most common."""
        f = self._facets
        if f is None:
            f = self._facets = Facets(Profile())
            for name in _SCALARS:
                mode = self.modes.get(name)
                setattr(f, name, mode[2] if mode else None)
            f.terms, f.facts = frozenset(self._kept(self.terms)), frozenset(self._kept(self.facts))
            self._supported = sorted(self._kept(self.names), key=lambda n: (-self.names[n], n))
            if self._supported:
                _named(f, self._supported[0])
            self._by_name = {}
        if a.name and self._supported:
            named = self._by_name.get(a.name)
            if named is None:
                agreeing = [n for n in self._supported if _names_compatible(a.name, n)]
                chosen = (
                    (next((n for n in agreeing if _full(n)), agreeing[0]) if a.full else agreeing[0])
                    if agreeing
                    else f.name
                )
                named = f
                if chosen != f.name:
                    named = _copy(f)
                    _named(named, chosen)  # type: ignore[arg-type]
                self._by_name[a.name] = named
            return named
        return f


def _named(f: Facets, name: str) -> None:
    words = name.split()
    f.name, f.full, f.rare = name, len(words) > 1, rarity(words[-1].lower()) < 3.0


def _copy(f: Facets) -> Facets:
    out = Facets.__new__(Facets)
    for slot in Facets.__slots__:
        setattr(out, slot, getattr(f, slot))
    return out


@dataclass
class IncidentProfile:
    id: int
    profiles: list[Profile] = field(default_factory=list)  # every report, in link order
    facets: list[Facets] = field(default_factory=list)  # of each distinct report, while small
    summary: Summary | None = None  # counts of every report, once it has SUMMARY_MIN
    names: set[str] = field(default_factory=set)  # who its reports say the subject is (the healing guard)
    seen: set[tuple[object, ...]] = field(default_factory=set)  # `Facets.key` of each distinct report
    by_scene: dict[tuple[object, ...], list[Facets]] = field(default_factory=dict)  # see `covering`

    def add(self, profile: Profile, facets: Facets) -> None:
        """A new report. While the incident is small its facets are kept for scoring unless
        another report has the same ones (the best score is a maximum over reports, so a repeat
        cannot change it); from SUMMARY_MIN reports on it is scored by its `Summary` only."""
        self.profiles.append(profile)
        if facets.name:
            self.names.add(facets.name)
        if self.summary is not None:
            self.summary.count(facets)
        elif len(self.profiles) >= SUMMARY_MIN:
            self._summarise()
        else:
            self._keep(facets)

    def _keep(self, facets: Facets) -> None:
        key = facets.key()
        if key in self.seen:
            return
        self.seen.add(key)
        self.facets.append(facets)
        scene = _scene(facets)
        if scene is not None:
            self.by_scene.setdefault(scene, []).append(facets)

    def _summarise(self) -> None:
        """From now on the summary: counted over every report so far; per-report facets dropped."""
        self.summary = Summary()
        for p in self.profiles:
            self.summary.count(Facets(p))
        self.facets, self.seen, self.by_scene = [], set(), {}

    def absorb(self, other: IncidentProfile) -> None:
        """Another incident's reports (healing)."""
        self.names |= other.names
        if self.summary is None and len(self.profiles) + len(other.profiles) < SUMMARY_MIN:
            self.profiles.extend(other.profiles)
            for facets in other.facets:
                self._keep(facets)
        elif self.summary is None:
            self.profiles.extend(other.profiles)
            self._summarise()
        else:
            self.profiles.extend(other.profiles)
            if other.summary is not None:
                self.summary.absorb(other.summary)
            else:
                for p in other.profiles:
                    self.summary.count(Facets(p))

    def contradicts(self, other: IncidentProfile) -> bool:
        """Whether two incidents name different people: every name one gives is incompatible with
        every name of the other. A bridging article (an unnamed "man, 30" on the day) then joins
        one of them and does not heal the two into one. Names only: ages ten years apart and
        genders were tried too, and made the clusters depend on the ingest order (a misread age
        decides differently depending on which reports came first; tests/test_link_order.py)."""
        return bool(self.names and other.names) and not any(
            _names_compatible(a, b) for a in self.names for b in other.names
        )

    def covering(self, a: Facets) -> bool:
        """Whether a report of the incident scores with `a` as `a`'s own facets do: the same day,
        town, force and category, and on every other field `a` gives the same value or (where
        a difference would only count against) none. Fields `a` lacks count for nothing either
        way. Most reports of a famous case find such a report, so the case is not scanned."""
        scene = _scene(a)
        if scene is None or a.terms:
            return False
        for b in self.by_scene.get(scene, ()):
            if (
                (not a.country or b.country in (None, a.country))
                and (not a.region or b.region in (None, a.region))
                and (not a.neighbourhood or b.neighbourhood == a.neighbourhood)
                and (not a.name or b.name == a.name)
                and ((b.age == a.age) if a.age else (a.span is None or b.span in (None, a.span)))
                and (not a.gender or b.gender in (None, a.gender))
                and (not a.facts or a.facts <= b.facts)
            ):
                return True
        return False

    def best(self, facets: Facets, key: tuple[object, ...] | None = None) -> float:
        """The article's score against the incident: against its summary once it has one
        (SUMMARY_MIN reports), else the best `score_facets` over its reports. No report can
        score higher with an article than its own facets do (each kind of evidence is at its
        most when the values are the same, and no penalty applies), so when a report of the
        incident has exactly the article's facets (`key`) that is the best, without a scan."""
        if self.summary is not None:
            return score_facets(facets, self.summary.facets_for(facets))
        if key is not None and (key in self.seen or self.covering(facets)):
            return score_facets(facets, facets)
        return max([score_facets(facets, other) for other in self.facets])


_CAPITALISED = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z'’-]{2,}")
_COMMON = frozenset(
    "The This That Police Officers Officer Mr Mrs Ms Miss Street Road Avenue Court Inquest Coroner "
    "Independent Office Conduct Commission Department Service County State City Council Sunday Monday "
    "Tuesday Wednesday Thursday Friday Saturday January February March April May June July August "
    "September October November December He She They It His Her Internal Affairs Division Unit Special "
    "Investigations Investigation Hospital Professional Standards Authority Ombudsman Force Constabulary "
    "Sheriff Deputy Chief Superintendent Inspector Sergeant Detective Family Justice Crown".split()
)


@lru_cache(maxsize=200_000)
def rarity(word: str) -> float:
    """How distinctive a word is: its Zipf frequency in English (wordfreq's shipped tables;
    7 is "the", 3 is one in a million words, 0 unseen). A fixed table, unlike counts over
    the corpus so far, keeps linking independent of the order articles arrive in."""
    return zipf_frequency(word, "en")


def term_weight(term: str) -> float:
    """Evidence a shared capitalised word carries: a street or a rare name, not "Sacramento"-
    grade common words."""
    z = rarity(term)
    return 0.6 if z < 2.0 else 0.45 if z < 3.0 else 0.25 if z < 3.5 else 0.0


def distinctive_terms(facts: ArticleFacts) -> frozenset[str]:
    """Capitalised words inside sentences of the evidence (names, streets, shops): two reports of
    one death share several that no profile field holds. Words any report has are left out."""
    quotes = {ev.quote for ev in facts.evidence}
    found = {re.sub(r"['’]s?$", "", m.group(0)) for q in quotes for m in _CAPITALISED.finditer(q)}  # "Voss's" is Voss
    return frozenset(t.lower() for t in found if t not in _COMMON and term_weight(t.lower()) > 0)


_CITED = re.compile(
    r"\b(\d{1,4})[\s-]+(shots?|rounds?|bullets?|times|minutes?|hours?|seconds?|officers|deputies|troopers|"
    r"feet|foot|metres|meters|yards|miles|mph|stab wounds|wounds)\b",
    re.I,
)


def cited_facts(facts: ArticleFacts) -> frozenset[str]:
    """Numbers with their unit in the evidence ("fired twenty rounds", "for 45 minutes"): two
    reports citing the same figure most likely tell one event. Number words through text2num."""
    found = set()
    for quote in {ev.quote for ev in facts.evidence}:
        for m in _CITED.finditer(alpha2digit(quote, "en", threshold=0)):
            if int(m.group(1)) > 1:
                found.add(f"{int(m.group(1))} {m.group(2).lower().rstrip('s')}")
    return frozenset(found)


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
        if ev.field in ("date", "date_month", "locality", "region", "country", "neighbourhood"):
            first.setdefault(ev.field, ev.value)
        elif ev.field in ("agency", "subject_name", "subject_age", "subject_gender"):
            counts[ev.field][ev.value] += ev.confidence
        elif ev.field == "subject_age_range":
            counts[ev.field][tuple(ev.value)] += ev.confidence
    best = {f: max(c, key=lambda v: c[v]) for f, c in counts.items()}
    p.date = date.fromisoformat(first["date"]) if "date" in first else None  # type: ignore[arg-type]
    p.month = None if p.date else first.get("date_month")  # type: ignore[assignment]
    p.country, p.region = first.get("country"), first.get("region")  # type: ignore[assignment]
    p.locality, p.neighbourhood = first.get("locality"), first.get("neighbourhood")  # type: ignore[assignment]
    p.agency, p.name = best.get("agency"), best.get("subject_name")  # type: ignore[assignment]
    p.age, p.gender = best.get("subject_age"), best.get("subject_gender")  # type: ignore[assignment]
    p.age_range = None if p.age else best.get("subject_age_range")  # type: ignore[assignment]
    if p.name:
        p.name = _name_words(p.name)
    p.terms = distinctive_terms(facts)
    p.facts = cited_facts(facts)
    return p


def _full(name: str) -> bool:
    return len(name.split()) > 1


class Facets:
    """A Profile as `similarity` reads it, computed once per profile: the date as a day number,
    whether the name is a full one and its surname rare, the age as a span. Plain slots, because
    the Linker scores millions of pairs and attribute reads on them are the cost."""

    __slots__ = (
        "day",
        "month",
        "country",
        "region",
        "locality",
        "neighbourhood",
        "agency",
        "category",
        "name",
        "full",
        "rare",
        "age",
        "span",
        "gender",
        "terms",
        "facts",
    )

    def __init__(self, p: Profile) -> None:
        self.day = p.date.toordinal() if p.date else None
        self.month = month_number(p.date.year, p.date.month) if p.date else month_of(p.month)
        self.country, self.region, self.locality = p.country, p.region, p.locality
        self.neighbourhood, self.agency, self.category = p.neighbourhood, p.agency, p.category
        self.name = p.name
        words = p.name.split() if p.name else []
        self.full = len(words) > 1
        self.rare = bool(words) and rarity(words[-1].lower()) < 3.0
        self.age = p.age
        self.span = (p.age_range or (p.age or 0, p.age or 0)) if (p.age or p.age_range) else None
        self.gender, self.terms, self.facts = p.gender, p.terms, p.facts

    def key(self) -> tuple[object, ...]:
        """Every value `score_facets` reads (full and rare follow from the name)."""
        return (
            self.day,
            self.month,
            self.country,
            self.region,
            self.locality,
            self.neighbourhood,
            self.agency,
            self.category,
            self.name,
            self.age,
            self.span,
            self.gender,
            self.terms,
            self.facts,
        )


#: The single-valued facets a `Summary` counts: every slot of `Facets` but the name (and what
#: follows from it) and the sets of words and facts, which it keeps by share instead.
_SCALARS = tuple(s for s in Facets.__slots__ if s not in ("name", "full", "rare", "terms", "facts"))


def _scene(f: Facets) -> tuple[object, ...] | None:
    """Day, town, force and category, when a report gives all four (`IncidentProfile.covering`)."""
    if f.day is None or not f.locality or not f.agency or not f.category:
        return None
    return (f.day, f.locality, f.agency, f.category)


def month_number(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_of(text: str | None) -> int | None:
    """'2020-05' as a month number (so adjacent months differ by one), or None."""
    if not text:
        return None
    year, month = text.split("-")[:2]
    return month_number(int(year), int(month))


def similarity(a: Profile, b: Profile, w: Weights = WEIGHTS) -> float:
    """Evidence that two profiles describe the same event; negative when they cannot. Symmetric
    and free of state, so the incidents do not depend on the order articles arrive in."""
    return score_facets(Facets(a), Facets(b), w)


def score_facets(a: Facets, b: Facets, w: Weights = WEIGHTS) -> float:
    """`similarity` on profiles already read into Facets (the Linker keeps them)."""
    score = 0.0
    if a.country and b.country and a.country != b.country:
        score += w.country_differs
    a_name, b_name = a.name, b.name
    same_name = bool(a_name and b_name and _names_compatible(a_name, b_name))
    full_name = same_name and a.full and b.full
    dated = a.day is not None and b.day is not None
    if dated:
        gap = abs(a.day - b.day)  # type: ignore[operator]
        if gap == 0:
            score += w.same_day
        elif gap == 1:
            score += w.day_apart
        elif gap > 7:
            score += w.month_apart if gap <= 31 else w.far_apart_same_name if same_name else w.far_apart
    elif a.month is not None and b.month is not None:
        # One report tells only the month ("in May 2020"): the same month is as good as dated (no
        # day to agree on), a month off is a misdated report or another death, further is far.
        months = abs(a.month - b.month)
        if months == 0:
            dated = True
        else:
            score += w.month_apart if months == 1 else w.far_apart_same_name if same_name else w.far_apart
    # Without a date on one side, the same town, force and category are what any report of that
    # city shares: half as much evidence (an undated report must also share a name or rare words).
    undated = 1.0 if dated else 0.5
    undated_force = 1.0 if dated else 0.75  # a force covers fewer incidents than a city
    if a.locality and b.locality:
        if a.locality == b.locality and not (a.region and b.region and a.region != b.region):
            score += w.same_locality * undated  # a town of the same name in another region is another town
        elif full_name:
            score += w.other_locality_same_name
        else:
            score += w.other_locality_same_region if a.region == b.region else w.other_locality
    elif a.region and b.region:
        score += w.same_region * undated if a.region == b.region else w.other_region
    if a.neighbourhood and b.neighbourhood:
        score += w.same_street if a.neighbourhood == b.neighbourhood else w.other_street
    if a.agency and b.agency:
        score += w.same_force * undated_force if a.agency == b.agency else w.other_force
    if a.category and b.category:
        score += w.same_category * undated_force if a.category == b.category else w.other_category
    if a_name and b_name:
        if full_name:
            score += w.full_name
        elif same_name:
            score += w.rare_surname if (b.rare if a.full else a.rare) else w.surname
        else:
            score += w.other_name
    if a.age and b.age:
        gap = abs(a.age - b.age)
        score += w.close_age if gap <= 2 else (0.0 if gap <= 9 else w.far_age)
    elif a.span is not None and b.span is not None:
        # A decade ("in his 40s") against an age or another decade: only a clear miss counts.
        (lo_a, hi_a), (lo_b, hi_b) = a.span, b.span
        if max(lo_a, lo_b) - min(hi_a, hi_b) > 5:
            score += w.far_age
    if a.gender and b.gender and a.gender != b.gender:
        score += w.gender_differs
    if a.terms and b.terms:
        shared = a.terms & b.terms
        if shared:
            counted = {
                x.lower() for x in (a.locality, b.locality, a.region, b.region, a.neighbourhood, b.neighbourhood) if x
            }
            for name in (a_name, b_name):
                if name:
                    counted |= {x.lower() for x in name.split()}  # the name was counted above
            score += min(w.term_cap, sum(term_weight(t) for t in shared - counted))
    if a.facts and b.facts:
        score += min(w.fact_cap, w.fact * len(a.facts & b.facts))
    return score


@lru_cache(maxsize=400_000)  # pairs of names met in blocks; a miss is two fuzzy matches
def _names_compatible(a: str, b: str) -> bool:
    return names_compatible(a, b)


COMMON_SURNAME_ZIPF = 3.5  # "smith", "khan", "jones": too many people to compare at any date


def name_key(profile: Profile) -> str | None:
    """The subject's surname, lower-cased: reports years apart share it when nothing else. A
    common surname keys together with the place or force, or a block would hold every Smith."""
    if not profile.name:
        return None
    surname = profile.name.split()[-1].lower()
    if rarity(surname) < COMMON_SURNAME_ZIPF:
        return surname
    where = profile.locality or profile.agency or profile.region
    return f"{surname}|{where.lower()}" if where else None


def _month_key(profile: Profile) -> str | None:
    return profile.date.isoformat()[:7] if profile.date else profile.month  # isoformat: 3x strftime's speed


def undated_evidence(profile: Profile, query: bool = False) -> list[str]:
    """What a pair with an undated side must share, besides its town, force and category, to
    reach the threshold: an undated pair gets at most 2.125 from those three (half the town,
    three quarters of the force and category), so it links only with a close age, the same
    street, a cited fact, a distinctive word, the subject's surname or the same month ("in May
    2020" counts as dated). Blocking an undated pair on these keys instead of on its town alone
    loses no pair that can link, and a big city's undated reports are not compared with every
    incident of the city. `query`: an age looks up the ages two years either side."""
    keys: list[str] = []
    month = _month_key(profile)
    if month:
        keys.append("m:" + month)
    if profile.age:
        spread = range(-2, 3) if query else (0,)
        keys += [f"a:{profile.age + d}" for d in spread]
    if profile.neighbourhood:
        keys.append("s:" + profile.neighbourhood)
    if profile.name:
        keys.append("n:" + profile.name.split()[-1].lower())
    keys += ["f:" + f for f in sorted(profile.facts)]
    keys += ["t:" + t for t in sorted(profile.terms)]
    return keys


def undated_keys(profile: Profile, query: bool = False) -> list[str]:
    """(town or force, evidence) keys of `undated_evidence`, as an undated pair is blocked."""
    places = [k for k in (profile.locality, profile.agency) if k]
    return [f"{place}|{e}" for place in places for e in undated_evidence(profile, query)] if places else []


def place_keys(profile: Profile) -> list[str]:
    """Blocking keys: an article is compared with incidents sharing any of them."""
    return [k for k in (profile.region, profile.locality, profile.agency) if k]


_EMPTY: frozenset[int] = frozenset()


def day_index_keys(profile: Profile) -> list[str | None]:
    """Keys a dated report is filed under per day: its town and force, its region for reports
    that name no town ("R|"), every report's region for them to find ("A|"), or None when it
    names no place at all. A report that names a town is compared through the region only with
    reports that name none: two towns of one state on the same day with no force in common were
    most of the candidates in a state of many deaths a year, and score below the review margin."""
    if not (profile.region or profile.locality or profile.agency):
        return [None]
    keys: list[str | None] = [k for k in (profile.locality, profile.agency) if k]
    if profile.region:
        keys.append("A|" + profile.region)
        if not profile.locality:
            keys.append("R|" + profile.region)
    return keys


def day_query_keys(profile: Profile) -> list[str | None]:
    """The day keys a dated article looks up (see `day_index_keys`); empty: every incident of the day."""
    if not (profile.region or profile.locality or profile.agency):
        return []
    keys: list[str | None] = [k for k in (profile.locality, profile.agency) if k]
    if profile.region:
        keys.append(("R|" if profile.locality else "A|") + profile.region)
    keys.append(None)
    return keys


def shingles(text: str, size: int = 5) -> set[bytes]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + size]).encode() for i in range(max(1, len(words) - size + 1))}


def minhash(text: str) -> MinHash:
    m = MinHash(num_perm=_PERM)
    m.update_batch(list(shingles(text)))
    return m


PLACE_CAP = 200  # incidents per place looked at across the date window (the latest ones)
BLOCK_TERM_ZIPF = 2.5  # a word this rare is a blocking key: reports sharing it are compared at any date


def term_keys(profile: Profile) -> list[str]:
    return [t for t in profile.terms if rarity(t) < BLOCK_TERM_ZIPF]


FREEZE_EVERY = 5_000


def _freeze() -> None:
    """Collect, then move every live object out of the cyclic garbage collector's view (gc.freeze).

    The index is millions of long-lived objects in no reference cycle; without this the
    collector's full passes rescan all of them as it grows and took over half the linking time
    of a large corpus. Frozen objects are still freed by reference counting when they go; the
    collection just before means no unreachable cycle is frozen."""
    gc.collect()
    gc.freeze()


@dataclass
class Near:
    """A pair just under the threshold: a person should look (never merged silently)."""

    article_id: str
    incident_id: int
    score: float


class Linker:
    """Holds incident profiles and a MinHash index; assigns each new article an incident.

    An article that links to several incidents joins the best and the others are healed into
    it (`healed`, applied by the caller with history), so the clusters are the connected
    parts of "scores at least the threshold" whatever the ingest order. Pairs of incidents a
    person split (`apart`) are never healed together.
    """

    def __init__(self) -> None:
        self.incidents: dict[int, IncidentProfile] = {}
        self.by_day: dict[date, set[int]] = defaultdict(set)
        # (place, evidence) keys (`undated_keys`) to insertion-ordered sets of incidents: of
        # every report, and of the undated ones
        self.by_place: dict[str, dict[int, None]] = defaultdict(dict)
        self.by_day_key: dict[tuple[date, str | None], set[int]] = defaultdict(set)
        self.undated_by_place: dict[str, dict[int, None]] = defaultdict(dict)
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.by_term: dict[str, set[int]] = defaultdict(set)
        self.lsh = MinHashLSH(threshold=SYNDICATION_JACCARD, num_perm=_PERM)
        self.article_incident: dict[str, int] = {}
        self.apart: set[frozenset[int]] = set()
        self.healed: list[tuple[int, int]] = []  # (absorbed, into), for the caller to apply
        self.redirect: dict[int, int] = {}
        self.near: list[Near] = []
        self.next_id = 1
        self.indexed = 0  # profiles indexed: every FREEZE_EVERY, the collector stops rescanning them
        self.last_minhash: MinHash | None = None  # of the body `link` saw last (the store keeps it)

    def add_existing(
        self, incident_id: int, article_id: str, profile: Profile, body: str | None = None, facets: Facets | None = None
    ) -> None:
        """Register an already-linked article (loaded from the store) without relinking it
        (`facets`: the profile's, when the caller has them)."""
        incident_id = self.live(incident_id)
        self._index(incident_id, profile, facets)
        self.article_incident[article_id] = incident_id
        if body is not None and article_id not in self.lsh:
            self.lsh.insert(article_id, minhash(body))
        self.next_id = max(self.next_id, incident_id + 1)

    def _index(self, incident_id: int, profile: Profile, facets: Facets | None = None) -> None:
        self.indexed += 1
        if self.indexed % FREEZE_EVERY == 0:
            _freeze()
        incident = self.incidents.setdefault(incident_id, IncidentProfile(incident_id))
        incident.add(profile, facets or Facets(profile))
        # An incident scored by its summary is met at the summary's day: a report dated away
        # from it (a trial report dated to its own day) or undated adds no day or undated-place
        # entry, which would only bring the case to articles of other days to score it against
        # its summary's day (a name or a rare word still finds it at any date).
        day = incident.summary.day() if incident.summary is not None else None
        if profile.date and (day is None or abs(profile.date.toordinal() - day) <= WINDOW_DAYS):
            self.by_day[profile.date].add(incident_id)
            for day_key in day_index_keys(profile):
                self.by_day_key[(profile.date, day_key)].add(incident_id)
        undated = not profile.date and day is None
        for key in undated_keys(profile):
            self.by_place[key].pop(incident_id, None)
            self.by_place[key][incident_id] = None  # moved to the end: the latest last
            if undated:
                self.undated_by_place[key].pop(incident_id, None)
                self.undated_by_place[key][incident_id] = None
        surname = name_key(profile)
        if surname:
            self.by_name[surname].add(incident_id)
        for term in term_keys(profile):
            self.by_term[term].add(incident_id)

    def candidates(self, profile: Profile) -> set[int]:
        """Incidents in the date window that share a place or force with the article (or name
        none), any incident of the same subject surname or sharing a rare word, and for an
        undated article the reports of its place that share evidence a link would need (an age,
        a street, a fact: `undated_evidence`): a block stays small however many
        incidents a year holds, a later stage of a case still finds it, and every pair is looked
        at from both sides (so the result does not depend on the order)."""
        surname = name_key(profile)
        found = set(self.by_name.get(surname, ())) if surname else set()
        for term in term_keys(profile):
            found |= self.by_term.get(term, set())
        found |= self._place_candidates(profile)
        return {self.live(i) for i in found} if self.redirect else found

    def _place_candidates(self, profile: Profile) -> set[int]:
        """Dated: the date window with a shared place or force, and the undated reports of that
        place that share some evidence with it (`undated_evidence`). Undated: every incident of
        its place or force sharing such evidence. Both directions give the same pairs; each
        (place, evidence) list is capped at its latest PLACE_CAP incidents, so no block grows
        with a city's whole history (past the cap, order can matter: a name or a rare word
        still finds older incidents)."""
        keys = undated_keys(profile, query=True)
        if not profile.date:
            return {i for key in keys for i in islice(reversed(self.by_place.get(key, {})), PLACE_CAP)}
        days = [profile.date + timedelta(days=offset) for offset in range(-WINDOW_DAYS, WINDOW_DAYS + 1)]
        found: set[int] = set()
        day_keys = day_query_keys(profile)
        for day in days:
            if day_keys:
                for key in day_keys:
                    found |= self.by_day_key.get((day, key), _EMPTY)
            else:
                found |= self.by_day.get(day, _EMPTY)
        return found | {i for key in keys for i in islice(reversed(self.undated_by_place.get(key, {})), PLACE_CAP)}

    def copy_of(self, article_id: str, body: str) -> str | None:
        """The earlier article this one is a near-copy of (syndication), if any."""
        m = self.last_minhash = minhash(body)
        matches = sorted(a for a in self.lsh.query(m) if a != article_id)
        if article_id not in self.lsh:
            self.lsh.insert(article_id, m)
        return matches[0] if matches else None

    def score(self, profile: Profile, incident_id: int) -> float:
        """Single link: the best evidence between the article and any report of the incident."""
        return self._best(Facets(profile), incident_id)

    def _best(self, facets: Facets, incident_id: int, key: tuple[object, ...] | None = None) -> float:
        return self.incidents[incident_id].best(facets, key)

    def link(
        self, article_id: str, profile: Profile, body: str | None = None, forced: int | None = None
    ) -> tuple[int, str | None, float]:
        """(incident id, original article if this is a copy, score) for a new article."""
        self.last_minhash = None
        copy = self.copy_of(article_id, body) if body is not None else None
        matched: list[int] = []
        facets: Facets | None = None
        if forced is not None:
            incident, score = self.live(forced), float("inf")
        elif copy and copy in self.article_incident:
            incident, score = self.live(self.article_incident[copy]), float("inf")
        else:
            facets = Facets(profile)
            key = facets.key()
            scored = sorted(
                ((self._best(facets, c, key), c) for c in self.candidates(profile)), key=lambda x: (-x[0], x[1])
            )
            matched = [c for s, c in scored if s >= LINK_THRESHOLD]
            self.near += [
                Near(article_id, c, s) for s, c in scored if LINK_THRESHOLD - REVIEW_MARGIN <= s < LINK_THRESHOLD
            ]
            if matched:
                incident, score = min(matched), scored[0][0]  # the oldest survives: ids stay put
            else:
                incident, score = self.next_id, 0.0
                self.next_id += 1
        for other in matched:
            if other != incident and frozenset((other, incident)) not in self.apart:
                if not self.incidents[incident].contradicts(self.incidents[other]):
                    self._heal(other, incident)
        self._index(incident, profile, facets)
        self.next_id = max(self.next_id, incident + 1)
        self.article_incident[article_id] = incident
        return incident, copy, score

    def live(self, incident_id: int) -> int:
        """The incident an id now stands for (healed ids redirect to where they went)."""
        while incident_id in self.redirect:
            incident_id = self.redirect[incident_id]
        return incident_id

    def _heal(self, absorbed: int, into: int) -> None:
        """The new article ties both incidents to one event: fold them, for the caller to apply."""
        if self.fold(absorbed, into):
            self.healed.append((absorbed, into))

    def fold(self, absorbed: int, into: int) -> bool:
        """Fold one incident into another (healing, or a merge another process made); False when
        it is not held. Index entries of the absorbed id stay and redirect (rewriting them would
        cost the index)."""
        if absorbed == into:
            return False
        gone = self.incidents.pop(absorbed, None)
        if gone is None:
            return False
        kept = self.incidents.setdefault(into, IncidentProfile(into))
        kept.absorb(gone)
        self.redirect[absorbed] = into
        self.apart |= {frozenset((into, i)) for pair in self.apart if absorbed in pair for i in pair if i != absorbed}
        return True

    def take_healed(self) -> list[tuple[int, int]]:
        healed, self.healed = self.healed, []
        return healed
