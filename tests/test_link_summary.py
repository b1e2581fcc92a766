"""How an article is scored against an incident: a small one by its best report (with the
shortcuts that skip the scan, checked against it), a large one by its summary (`Summary`)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from forcewatch.link import linker
from forcewatch.link.linker import SUMMARY_MIN, Facets, Linker, Profile, Summary, score_facets, similarity

PLACES = [
    ("Marrowby", "Northshire", "GB"),
    ("Brackley", "Northshire", "GB"),
    ("Ashby", "Westmoor", "GB"),
    ("Pellow", None, "US"),
]
NAMES = [None, "Ada Voss", "Voss", "Ada Vosse", "Tom Pellow", "Pellow", "Jon Ashby", "John Ashby", "Smith", ""]


def random_profile(rng: random.Random) -> Profile:
    locality, region, country = rng.choice(PLACES)
    day = date(2024, 3, 1) + timedelta(days=rng.choice([0, 0, 1, 2, 5, 9, 20, 40, 400]))
    age = rng.choice([None, None, 0, 23, 24, 31, 45])
    return Profile(
        date=rng.choice([day, day, None]),
        country=rng.choice([country, country, None]),
        region=rng.choice([region, None, "Eastmoor"]),
        locality=rng.choice([locality, None, "Old Town", ""]),
        neighbourhood=rng.choice([None, None, "Kingsway", "Mill Lane"]),
        agency=rng.choice([None, "Northshire Police", "Westmoor Police"]),
        category=rng.choice([None, "custody", "police_shooting"]),
        name=rng.choice(NAMES),
        age=age,
        age_range=rng.choice([None, (40, 49), (20, 29)]) if not age else None,
        gender=rng.choice([None, "male", "female"]),
        terms=frozenset(rng.sample(["kingsway", "brackley", "marrowby", "quillon", "ferrand"], rng.randint(0, 3))),
        facts=frozenset(rng.sample(["2 shot", "45 minute", "3 officer"], rng.randint(0, 2))),
        month=rng.choice([None, None, "2024-03", "2024-04", "2025-03"]),  # kept only when undated
    )


def test_no_report_scores_higher_with_an_article_than_its_own_facets():
    """`IncidentProfile.best` answers from the article's own facets when a report has the same
    ones: that needs score(a, b) <= score(a, a) for every b, checked here on many random pairs."""
    rng = random.Random(11)
    for _ in range(3000):
        a, b = Facets(random_profile(rng)), Facets(random_profile(rng))
        assert score_facets(a, b) <= score_facets(a, a)


def test_the_best_score_of_an_incident_is_the_same_with_and_without_its_shortcuts():
    """`best` with the article's key (own facets already there, or a covering report) against the
    plain maximum over every report, on incidents that share day, town, force and category."""
    rng = random.Random(13)
    hits = 0
    for _ in range(600):
        scene = random_profile(rng)
        incident = linker.IncidentProfile(1)
        for _ in range(rng.randint(1, SUMMARY_MIN - 1)):  # larger ones are scored by their summary
            p = random_profile(rng)
            if rng.random() < 0.7:
                p.date, p.locality, p.agency, p.category = scene.date, scene.locality, scene.agency, scene.category
                p.terms = frozenset() if rng.random() < 0.7 else p.terms
            incident.add(p, Facets(p))
        for _ in range(10):
            p = random_profile(rng)
            if rng.random() < 0.7:
                p.date, p.locality, p.agency, p.category = scene.date, scene.locality, scene.agency, scene.category
                p.terms = frozenset()
            a = Facets(p)
            hits += incident.covering(a)
            assert incident.best(a, a.key()) == max(score_facets(a, b) for b in incident.facets)
    assert hits >= 20  # the covering shortcut was taken (29 times with this seed)


CASE = Profile(
    date=date(2024, 3, 9),
    country="GB",
    region="Northshire",
    locality="Marrowby",
    agency="Northshire Police",
    category="police_shooting",
    name="Tobin Quarrell",
    age=24,
    gender="male",
)


def _famous_case() -> list[Profile]:
    """A case of many reports, with the noise a famous case's coverage has: a day off, a
    neighbourhood read as the town, no force, the surname alone, and a trial report dated to
    its own day months on."""
    reports = []
    for k in range(3 * SUMMARY_MIN):
        p = replace(CASE)
        if k % 10 == 1:
            p.date = date(2024, 3, 10)
        if k % 13 == 2:
            p.locality = "Old Town"
        if k % 7 == 3:
            p.agency = None
        if k % 5 == 4:
            p.name = "Quarrell"
        reports.append(p)
    reports.append(replace(CASE, date=date(2024, 11, 20), age=None))  # the trial, misdated to its own day
    return reports


def test_a_large_incident_is_scored_by_its_summary_not_by_a_stray_report():
    """An unnamed death in the same town on the day a stray trial report of a famous case was
    (mis)dated to: single link would join it to the case through that report; the summary
    (the case's day, town, force and names) does not."""
    lk = Linker()
    case = {lk.link(f"r{k}", p)[0] for k, p in enumerate(_famous_case())}
    assert len(case) == 1
    incident = lk.incidents[case.pop()]
    assert incident.summary is not None and incident.summary.reports == 3 * SUMMARY_MIN + 1
    other = Profile(
        date(2024, 11, 20), "GB", "Northshire", "Marrowby", None, "Northshire Police", "custody", None, 52, "male"
    )
    stray = Facets(incident.profiles[-1])
    assert score_facets(Facets(other), stray) >= linker.LINK_THRESHOLD  # the pair alone would link
    assert incident.best(Facets(other)) < linker.LINK_THRESHOLD
    assert lk.link("x", other)[0] != incident.id


def test_the_summary_keeps_the_case_its_own_late_and_partial_reports():
    """What the summary says: each field's most common value; names a tenth of the reports give.
    Later reports with the name alone, or a day off, still join it."""
    lk = Linker()
    first = lk.link("r0", CASE)[0]
    for k, p in enumerate(_famous_case()):
        lk.link(f"r{k + 1}", p)
    summary = lk.incidents[first].summary
    assert summary is not None
    f = summary.facets_for(Facets(Profile(name="Quarrell")))
    assert (f.locality, f.agency, f.day, f.name) == (
        "Marrowby",
        "Northshire Police",
        date(2024, 3, 9).toordinal(),
        "Tobin Quarrell",
    )
    inquest = Profile(
        date=date(2026, 2, 1), country="GB", region="Northshire", name="Tobin Quarrell", category="police_shooting"
    )
    assert lk.link("inquest", inquest)[0] == first
    assert lk.link("next day", replace(CASE, date=date(2024, 3, 10), name=None, age=None))[0] == first
    assert lk.link("other name", replace(CASE, name="Ada Voss", gender="female", age=51))[0] != first


def test_the_summary_does_not_depend_on_the_order_of_its_reports():
    reports = _famous_case()
    article = Facets(replace(CASE, name="Quarrell", date=None))
    keys = set()
    for seed in range(3):
        order = list(reports)
        random.Random(seed).shuffle(order)
        s = Summary()
        for p in order:
            s.count(Facets(p))
        keys.add(s.facets_for(article).key())
    assert len(keys) == 1
    halves = Summary(), Summary()  # counted in two incidents, then healed into one
    for k, p in enumerate(reports):
        halves[k % 2].count(Facets(p))
    halves[0].absorb(halves[1])
    assert halves[0].facets_for(article).key() in keys


def test_a_town_of_the_same_name_in_another_region_is_another_town():
    """Two reports of the same day naming "Marrowby" in two regions: the name alone is not the
    same place (evidence against, as for any other town elsewhere)."""
    here = replace(CASE, name=None, age=None, agency=None)
    elsewhere = replace(here, region="Westmoor")
    assert similarity(here, elsewhere) < similarity(here, replace(here, region=None)) == similarity(here, here)
    assert similarity(here, elsewhere) < linker.LINK_THRESHOLD
