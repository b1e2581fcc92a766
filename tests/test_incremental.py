"""The incremental merge (link/incremental.py) gives exactly what a full reconcile() gives.

Two levels: generated facts arriving in random orders (inserted anywhere in the store's
order, syndicated copies, days and months resolved against a reference that moves, hedged
and exact ages, places from a force's name, quotes per speaker, self-contradictions),
compared with reconcile() field by field after every article; and a real ingest of the dev
corpus whose stored incidents are compared with a full rebuild of every one of them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from forcewatch.link.incremental import IncidentState, group_of
from forcewatch.link.reconcile import reconcile
from forcewatch.model import ArticleFacts, Evidence, Relevance

REPO = Path(__file__).resolve().parents[1]


def _ev(field: str, value, extractor: str = "test", confidence: float = 0.8, start: int = 0) -> Evidence:
    return Evidence(field, value, start, start + 10, f"quote {field} {value!r}", confidence, extractor)


def _facts(rng: random.Random, aid: str) -> ArticleFacts:
    """One article's facts, drawn from small pools so that values agree, disagree and repeat."""
    evs: list[Evidence] = []

    def maybe(p: float) -> bool:
        return rng.random() < p

    if maybe(0.7):
        evs.append(_ev("subject_age", rng.choice([34, 35, 38, 52]), "people.age"))
    if maybe(0.3):
        evs.append(_ev("subject_age", rng.choice([30, 40, 50]), "people.age.approximate", 0.5, 40))
    if maybe(0.25):
        lo = rng.choice([30, 50])
        evs.append(_ev("subject_age_range", [lo, lo + 9], "people.age.range"))
    if maybe(0.6):
        evs.append(
            _ev(
                "locality",
                rng.choice(["Marrowby", "Brackley", "Northshire"]),
                rng.choice(["places.town", "places.agency"]),
            )
        )
    if maybe(0.5):
        evs.append(_ev("date", rng.choice(["2026-03-01", "2026-03-02", "2026-02-28"])))
    elif maybe(0.5):
        evs.append(_ev("date_month_day", rng.choice(["03-01", "02-27", "03-02/0"]), "when.date.partial"))
    if maybe(0.5):
        qualifier = rng.choice(["exact", "before", "after", "around"])
        evs.append(_ev("timeline.shot", {"time": rng.choice(["21:30", "21:35", "23:00"]), "qualifier": qualifier}))
    if maybe(0.5):
        for i in range(rng.choice([1, 2])):  # two values in one report: it may contradict itself
            evs.append(_ev("subject_armed", rng.choice(["yes", "no", "undetermined"]), start=100 * i))
    if maybe(0.5):
        evs.append(_ev("outcome", rng.choice(["fatal", "injured"])))
    if maybe(0.4):  # an integer field that is no age: hedged ages must not count for it
        evs.append(_ev("shots_fired", rng.choice([2, 3, 34])))
    if maybe(0.4):
        evs.append(_ev("subject_name", rng.choice(["Alan Voss", "Voss", "Peter Ashby"]), confidence=rng.random()))
    for _ in range(rng.choice([0, 1, 2])):
        speaker = rng.choice(["Inspector Pellow", "inspector pellow", "A neighbour"])
        evs.append(_ev("quotes", {"speaker": speaker, "text": rng.choice(["He ran.", "It was over quickly.", "No."])}))
    for _ in range(rng.choice([0, 1, 2])):
        evs.append(_ev("force_used", rng.choice(["taser", "firearm", "restraint"])))
    if maybe(0.3):
        evs.append(_ev("category", rng.choice(["shooting", "custody"])))
    rng.shuffle(evs)
    evs = [Evidence(e.field, e.value, e.start, e.end, e.quote, e.confidence, e.extractor, aid) for e in evs]
    return ArticleFacts(aid, Relevance(True, rng.choice([None, "shooting", "custody"]), "test"), evs)


def _store_order(rows: list[tuple[str, date | None, str | None]], paths: dict[str, str]) -> list:
    return sorted(rows, key=lambda r: (r[1] is None, r[1] or date.min, paths[r[0]]))


def _full(rows, facts):
    copies = {a: c for a, _, c in rows}
    return reconcile(1, [facts[a] for a, _, _ in rows], {a: p for a, p, _ in rows}, lambda a: group_of(copies, a))


@pytest.mark.parametrize("seed", range(40))
def test_incremental_merge_equals_reconcile_after_every_article(seed):
    rng = random.Random(seed)
    n = rng.randint(2, 14)
    ids = [f"a{i:02d}" for i in range(n)]
    facts = {a: _facts(rng, a) for a in ids}
    paths = {a: f"p{rng.randint(0, 99):02d}-{a}" for a in ids}
    published = {
        a: (date(2026, 3, 1) + timedelta(days=rng.randint(-3, 3))) if rng.random() < 0.8 else None for a in ids
    }
    arrival = ids[:]
    rng.shuffle(arrival)
    copy_of: dict[str, str | None] = {}
    for i, a in enumerate(arrival):  # a syndicated copy of an article linked before it
        copy_of[a] = rng.choice(arrival[:i]) if i and rng.random() < 0.25 else None
    state = IncidentState(1)
    previous = None
    for i, aid in enumerate(arrival):
        rows = _store_order([(a, published[a], copy_of[a]) for a in arrival[: i + 1]], paths)
        index = [a for a, _, _ in rows].index(aid)
        assert state.matches(rows[:index] + rows[index + 1 :])
        touched = state.add(index, aid, published[aid], copy_of[aid], facts[aid])
        assert touched is not None
        expected = _full(rows, facts)
        got = state.incident()
        assert list(got.fields) == list(expected.fields)  # the same fields, in the same order
        for name in expected.fields:
            assert got.fields[name] == expected.fields[name], (seed, i, name)
        assert state.independent() == len({group_of(copy_of, a) for a, _, _ in rows})
        if previous is not None:  # what the store writes: only the touched fields can have changed
            for name, merged in expected.fields.items():
                if name not in touched:
                    assert previous.fields.get(name) == merged, (seed, i, name)
        assert touched == [n for n in expected.fields if n in touched]  # in reconcile's field order
        previous = expected


def test_an_article_ending_a_chain_of_copies_asks_for_a_full_rebuild():
    """B was stored as a copy of X before X joined the incident: X's arrival regroups B."""
    rng = random.Random(7)
    state = IncidentState(1)
    state.copies["b"] = "x"
    assert state.add(0, "b", date(2026, 3, 2), "x", _facts(rng, "b")) is not None
    assert state.add(0, "x", date(2026, 3, 1), "y", _facts(rng, "x")) is None


CORPUS = REPO / "tests" / "corpus" / "dev"


def test_ingest_stores_what_a_full_rebuild_of_every_incident_stores(tmp_path):
    """The dev corpus ingested (incremental merges), then every incident reconciled in full (reconcile()) and saved: no row changes."""
    from sqlalchemy import select

    from forcewatch.pipeline import Options
    from forcewatch.run import ingest
    from forcewatch.store.db import Store
    from forcewatch.store.schema import HistoryRow, IncidentFieldRow, IncidentRow

    store = Store(str(tmp_path / "fw.db"))
    report = ingest([str(CORPUS)], store, Options(ingested_on=date(2026, 11, 23)))
    assert report.relevant >= 10

    def snapshot() -> tuple[list, list, int]:
        with store.session() as s:
            fields = [
                (r.incident_id, r.field, r.value, r.rule, r.support, r.conflict, r.conflict_values, r.sources)
                for r in s.scalars(
                    select(IncidentFieldRow).order_by(IncidentFieldRow.incident_id, IncidentFieldRow.field)
                )
            ]
            incidents = [
                (r.id, r.sources, r.conflicts, r.date, r.locality, r.subject, r.armed)
                for r in s.scalars(select(IncidentRow).order_by(IncidentRow.id))
            ]
            history = len(list(s.scalars(select(HistoryRow.id))))
        return fields, incidents, history

    incremental = snapshot()
    multi = [i for i in report.incidents if len(store.members(i)) > 1]
    assert multi, "the corpus has incidents of several reports"
    assert any(row[5] for row in incremental[0]), "the corpus has conflicts"
    for incident_id in sorted(report.incidents):  # the reference: reconcile() over every article
        rows = store.members(incident_id)
        facts = store.facts([a for a, _, _ in rows])
        copies = {a: c for a, _, c in rows}
        incident = reconcile(incident_id, facts, {a: p for a, p, _ in rows}, lambda a, c=copies: group_of(c, a))
        with store.transaction():
            store.save_incident(incident, len({group_of(copies, a) for a, _, _ in rows}), None)
    full = snapshot()
    assert full[0] == incremental[0]  # every field: value, rule, support, conflicts, sources
    assert full[1] == incremental[1]  # source counts and summary columns
    assert full[2] == incremental[2]  # a full rebuild finds nothing to change: no history row


def test_a_merge_keeps_the_merged_state_and_it_is_what_reconcile_gives(tmp_path):
    """Healing or a person's merge merges the target in full once and keeps its state, so the next
    article into it merges incrementally (before, a full reconcile, then the state built again)."""
    from forcewatch.pipeline import Options
    from forcewatch.run import ingest, merge_incidents
    from forcewatch.store.db import Store

    store = Store(str(tmp_path / "fw.db"))
    report = ingest([str(CORPUS)], store, Options(ingested_on=date(2026, 11, 23)))
    target, other = sorted(report.incidents)[:2]
    merge_incidents(store, target, other, "tester", "the same death")
    rows = store.members(target)
    state = store.incident_states[target]
    assert state.matches(rows) and len(rows) >= 2
    facts = {f.article_id: f for f in store.facts([a for a, _, _ in rows])}
    want = reconcile(
        target,
        [facts[a] for a, _, _ in rows],
        {a: p for a, p, _ in rows},
        lambda a: group_of({a: c for a, _, c in rows}, a),
    )
    got = state.incident()
    assert list(got.fields) == list(want.fields)
    assert {n: (m.value, m.support, m.conflict) for n, m in got.fields.items()} == {
        n: (m.value, m.support, m.conflict) for n, m in want.fields.items()
    }
