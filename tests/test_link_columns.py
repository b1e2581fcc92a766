"""Scores over columns (forcewatch/link/columns.py) are bit-for-bit `score_facets`, and a Linker
whose large incidents are scored over columns links exactly as one scoring pair by pair."""

from __future__ import annotations

import random
from datetime import date, timedelta

from forcewatch.link import columns, linker
from forcewatch.link.linker import Facets, Linker, Profile, Weights, _names_compatible, score_facets

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


def test_columns_score_every_report_exactly_as_score_facets():
    rng = random.Random(5)
    reports = [Facets(random_profile(rng)) for _ in range(400)]
    table = columns.Columns()
    for f in reports:
        table.append(f)
    for weights in (Weights(), Weights(far_apart=-2.0, same_locality=1.7)):
        for _ in range(150):
            article = Facets(random_profile(rng))
            got = table.scores(article, weights, _names_compatible)
            want = [score_facets(article, b, weights) for b in reports]
            assert got.tolist() == want  # equal floats, not close ones


def test_a_linker_scoring_large_incidents_over_columns_links_as_one_scoring_pairs(monkeypatch):
    rng = random.Random(9)
    profiles = [random_profile(rng) for _ in range(1500)]
    with_columns = Linker()
    got = [with_columns.link(f"a{i}", p) for i, p in enumerate(profiles)]
    assert any(i.columns is not None for i in with_columns.incidents.values())  # the columns were used
    monkeypatch.setattr(linker, "VECTOR_MIN", 10**9)
    pairwise = Linker()
    want = [pairwise.link(f"a{i}", p) for i, p in enumerate(profiles)]
    assert not any(i.columns is not None for i in pairwise.incidents.values())
    assert got == want
    assert [(n.article_id, n.incident_id, n.score) for n in with_columns.near] == [
        (n.article_id, n.incident_id, n.score) for n in pairwise.near
    ]


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
    for _ in range(300):
        scene = random_profile(rng)
        incident = linker.IncidentProfile(1)
        for _ in range(rng.randint(1, 30)):
            p = random_profile(rng)
            if rng.random() < 0.7:
                p.date, p.locality, p.agency, p.category = scene.date, scene.locality, scene.agency, scene.category
                p.terms = frozenset() if rng.random() < 0.7 else p.terms
            incident.add(Facets(p))
        for _ in range(10):
            p = random_profile(rng)
            if rng.random() < 0.7:
                p.date, p.locality, p.agency, p.category = scene.date, scene.locality, scene.agency, scene.category
                p.terms = frozenset()
            a = Facets(p)
            hits += incident.covering(a)
            assert incident.best(a, a.key()) == max(score_facets(a, b) for b in incident.facets)
    assert hits >= 20  # the covering shortcut was taken (32 times with this seed)
