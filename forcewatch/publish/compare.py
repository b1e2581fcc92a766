"""Reconciling forcewatch's incidents with a reference database's rows.

Matching: an MPV or FE row whose news or document URL is an ingested article's URL is
decisive. Otherwise a row is compared only with incidents dated within `days` of it and
scored on evidence for and against: the day (same +2, within the window +1), state (same
+2, different: never), city (rapidfuzz ratio >= 90: +2, else -1), agency (token-set ratio
>= 80: +1), name (token-sort ratio >= 85: +4, both named and below 60: -4), age (equal +1,
over 3 apart -2). Pairs scoring at least 4 are kept, best first, each incident and each row
used once (greedy; with a few candidates per row an optimal assignment changes nothing).

The report gives coverage each way (the rows forcewatch lacks, and forcewatch's incidents in
the rows' period and country that the database lacks), agreement on armed, fleeing, threat,
body camera, age and race, and every disagreement with forcewatch's quotes. The row ids
are written to the incidents' crosswalk columns (wapo_id, mpv_id, fe_id), and the run's
counts to `comparisons` for the coverage estimate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import select, update

from forcewatch.errors import Problem
from forcewatch.publish.coverage import chapman
from forcewatch.publish.reference import DATABASES, RefRow, race_codes, read_reference, state_code, url_key
from forcewatch.publish.tables import CROSSWALK, comparisons, incident_crosswalk
from forcewatch.store.db import Store, now
from forcewatch.store.schema import ArticleRow, IncidentFieldRow, IncidentRow

#: forcewatch field -> the name the report uses for it.
COMPARED = {
    "subject_armed": "armed",
    "fleeing": "flee",
    "threat": "threat",
    "body_camera": "body_camera",
    "subject_age": "age",
    "subject_race": "race",
}
MIN_SCORE = 4.0
#: What each database records: the Post only fatal shootings by on-duty officers.
SCOPE = {"wapo": {"police_shooting"}, "mpv": None, "fe": None}


@dataclass
class Ours:
    id: int
    date: date | None
    state: str | None
    city: str | None
    agency: str | None
    name: str | None
    category: str | None
    country: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    urls: set[str] = field(default_factory=set)


@dataclass
class Match:
    incident: int
    row: str
    score: float
    reasons: list[str]


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


def load_incidents(store: Store) -> list[Ours]:
    """Every live incident with the fields the comparison reads, their sources and article URLs."""
    with store.session() as s:
        rows = list(s.scalars(select(IncidentRow).where(IncidentRow.merged_into.is_(None), IncidentRow.sources > 0)))
        ours = {
            r.id: Ours(r.id, _day(r.date), state_code(r.region), r.locality, r.agency, None, r.category, r.country)
            for r in rows
        }
        wanted = [*COMPARED, "subject_name", "outcome"]
        q = select(IncidentFieldRow).where(IncidentFieldRow.field.in_(wanted))
        for f in s.scalars(q):
            if f.incident_id in ours:
                ours[f.incident_id].fields[f.field] = f.value
                sources = f.sources if isinstance(f.sources, list) else []
                ours[f.incident_id].sources[f.field] = [dict(x) for x in sources]
        q2 = select(ArticleRow.incident_id, ArticleRow.url, ArticleRow.outlet, ArticleRow.id).where(
            ArticleRow.incident_id.is_not(None)
        )
        outlets: dict[str, str | None] = {}
        for incident_id, url, outlet, article_id in s.execute(q2):
            outlets[article_id] = outlet
            if incident_id in ours and url:
                ours[incident_id].urls.add(url_key(url))
    for o in ours.values():
        o.name = o.fields.get("subject_name")
        for sources in o.sources.values():
            for src in sources:
                src["outlet"] = outlets.get(src.get("article", ""))
    return list(ours.values())


def score(row: RefRow, ours: Ours, days: int) -> tuple[float, list[str]] | None:
    """Evidence that a row and an incident are the same death; None when they cannot be."""
    if ours.date is None or abs((ours.date - row.date).days) > days:
        return None
    if row.state and ours.state and row.state != ours.state:
        return None
    total, why = 0.0, []
    gap = abs((ours.date - row.date).days)
    total += 2 if gap == 0 else 1
    why.append("same day" if gap == 0 else f"{gap} day(s) apart")
    if row.state and ours.state:
        total += 2
        why.append("same state")
    if row.city and ours.city:
        if fuzz.ratio(row.city.lower(), ours.city.lower()) >= 90:
            total += 2
            why.append("same city")
        else:
            total -= 1
    if row.agency and ours.agency and fuzz.token_set_ratio(row.agency.lower(), ours.agency.lower()) >= 80:
        total += 1
        why.append("same agency")
    if row.name and ours.name:
        similar = fuzz.token_sort_ratio(row.name.lower(), ours.name.lower())
        if similar >= 85:
            total += 4
            why.append(f"name {similar:.0f}%")
        elif similar < 60:
            total -= 4
    age = ours.fields.get("subject_age")
    if row.age is not None and isinstance(age, int):
        if age == row.age:
            total += 1
            why.append("same age")
        elif abs(age - row.age) > 3:
            total -= 2
    return total, why


def match(rows: list[RefRow], incidents: list[Ours], days: int = 3) -> list[Match]:
    """One-to-one matches: decisive URL matches first, then scored pairs best first."""
    by_url: dict[str, int] = {}
    for o in incidents:
        for u in o.urls:
            by_url.setdefault(u, o.id)
    by_day: dict[date, list[Ours]] = defaultdict(list)
    for o in incidents:
        if o.date is not None:
            by_day[o.date].append(o)
    decided: list[Match] = []
    candidates: list[Match] = []
    for row in rows:
        hit = next((by_url[url_key(u)] for u in row.urls if url_key(u) in by_url), None)
        if hit is not None:
            decided.append(Match(hit, row.id, 100.0, ["news URL is an ingested article"]))
            continue
        for offset in range(-days, days + 1):
            for o in by_day.get(row.date + timedelta(days=offset), []):
                scored = score(row, o, days)
                if scored is not None and scored[0] >= MIN_SCORE:
                    candidates.append(Match(o.id, row.id, scored[0], scored[1]))
    used_incidents: set[int] = set()
    used_rows: set[str] = set()
    out = []
    for m in decided + sorted(candidates, key=lambda m: (-m.score, m.incident, m.row)):
        if m.incident in used_incidents or m.row in used_rows:
            continue
        used_incidents.add(m.incident)
        used_rows.add(m.row)
        out.append(m)
    return out


def agrees(name: str, ours: Any, accepts: frozenset[object]) -> bool:
    if name == "subject_race":
        mine = race_codes(str(ours))
        return any(mine & set(theirs) for theirs in accepts if isinstance(theirs, frozenset))
    if isinstance(ours, list):
        return any(v in accepts for v in ours)
    return ours in accepts


def _quotes(o: Ours, name: str) -> list[dict[str, Any]]:
    return [
        {"article": src.get("article"), "outlet": src.get("outlet"), "value": src.get("value"), "quote": q}
        for src in o.sources.get(name, [])
        for q in (src.get("quotes") or [])[:1]
    ]


def _row_json(row: RefRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "line": row.line,
        "date": row.date.isoformat(),
        "name": row.name,
        "city": row.city,
        "state": row.state,
        "agency": row.agency,
    }


def _ours_json(o: Ours) -> dict[str, Any]:
    return {
        "id": o.id,
        "date": o.date.isoformat() if o.date else None,
        "name": o.name,
        "city": o.city,
        "state": o.state,
        "category": o.category,
    }


def compare(store: Store, path: Path, database: str, days: int = 3, save: bool = True) -> dict[str, Any]:
    """Match a reference file to the store, write the crosswalk ids, and report coverage and agreement."""
    rows: list[RefRow] = []
    problems: list[Problem] = []
    for item in read_reference(path, database):
        (problems if isinstance(item, Problem) else rows).append(item)  # type: ignore[arg-type]
    incidents = load_incidents(store)
    matches = match(rows, incidents, days)
    by_row = {r.id: r for r in rows}
    by_id = {o.id: o for o in incidents}
    matched_rows = {m.row for m in matches}
    matched_incidents = {m.incident for m in matches}

    date_from = min((r.date for r in rows), default=None)
    date_to = max((r.date for r in rows), default=None)
    scope = SCOPE[database]
    comparable = [
        o
        for o in incidents
        if date_from is not None
        and o.date is not None
        and date_from <= o.date <= date_to  # type: ignore[operator]
        and o.country in ("US", None)
        and (scope is None or o.category in scope)
        and o.fields.get("outcome") in ("fatal", None)
    ]
    in_scope = {o.id for o in comparable} | matched_incidents

    agreement = {label: {"compared": 0, "agree": 0} for label in COMPARED.values()}
    disagreements = []
    for m in matches:
        row, o = by_row[m.row], by_id[m.incident]
        for name, label in COMPARED.items():
            theirs = row.coded.get(name)
            ours = o.fields.get(name)
            if theirs is None or ours is None:
                continue
            agreement[label]["compared"] += 1
            if agrees(name, ours, theirs.accepts):
                agreement[label]["agree"] += 1
            else:
                disagreements.append(
                    {
                        "incident": o.id,
                        "row": row.id,
                        "field": label,
                        "forcewatch": ours,
                        database: theirs.shown,
                        "quotes": _quotes(o, name),
                    }
                )
    for stats in agreement.values():
        stats["rate"] = round(stats["agree"] / stats["compared"], 3) if stats["compared"] else None  # type: ignore[assignment]

    n_ours, n_rows, both = len(in_scope), len(rows), len(matches)
    estimate = chapman(n_ours, n_rows, both, "forcewatch", database).as_json() if rows else None
    report: dict[str, Any] = {
        "database": database,
        "name": DATABASES[database],
        "source": str(path),
        "days": days,
        "rows": n_rows,
        "period": [date_from.isoformat() if date_from else None, date_to.isoformat() if date_to else None],
        "incidents": n_ours,
        "matched": both,
        "coverage": {
            "rows_in_forcewatch": round(both / n_rows, 3) if n_rows else None,
            "incidents_in_reference": round(both / n_ours, 3) if n_ours else None,
        },
        "missing_from_forcewatch": [_row_json(r) for r in rows if r.id not in matched_rows],
        "missing_from_reference": [_ours_json(o) for o in comparable if o.id not in matched_incidents],
        "agreement": agreement,
        "disagreements": disagreements,
        "matches": [{"incident": m.incident, "row": m.row, "score": m.score, "why": m.reasons} for m in matches],
        "estimate": estimate,
        "problems": [str(p) for p in problems],
    }
    if save and rows:  # a file that gave no row (wrong layout, unreadable) changes nothing stored
        _save(store, database, rows, matches, report)
    return report


def _save(store: Store, database: str, rows: list[RefRow], matches: list[Match], report: dict[str, Any]) -> None:
    """Crosswalk ids onto the incidents (an id of this file no longer matched is cleared) and the run's counts."""
    column = incident_crosswalk.c[CROSSWALK[database]]
    ids = [r.id for r in rows]
    with store.engine.begin() as conn:
        for start in range(0, len(ids), 500):
            conn.execute(
                update(incident_crosswalk).where(column.in_(ids[start : start + 500])).values({column.name: None})
            )
        for m in matches:
            conn.execute(
                update(incident_crosswalk).where(incident_crosswalk.c.id == m.incident).values({column.name: m.row})
            )
        conn.execute(
            comparisons.insert().values(
                database=database,
                source=report["source"],
                at=now(),
                date_from=report["period"][0],
                date_to=report["period"][1],
                rows=report["rows"],
                incidents=report["incidents"],
                matched=report["matched"],
                report=report,
            )
        )


def comparison_runs(store: Store) -> list[dict[str, Any]]:
    """Every stored run, newest first, without its full report."""
    c = comparisons.c
    q = select(c.id, c.database, c.source, c.at, c.date_from, c.date_to, c.rows, c.incidents, c.matched).order_by(
        c.id.desc()
    )
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def comparison_report(store: Store, run_id: int) -> dict[str, Any] | None:
    """The full report of one stored run."""
    with store.engine.connect() as conn:
        row = conn.execute(select(comparisons.c.report, comparisons.c.at).where(comparisons.c.id == run_id)).first()
    if row is None:
        return None
    return {**(row.report or {}), "id": run_id, "at": row.at.isoformat(timespec="seconds") + "Z"}


def crosswalk(store: Store, incident_id: int) -> dict[str, str | None]:
    """The reference ids stored on one incident."""
    with store.engine.connect() as conn:
        row = conn.execute(select(incident_crosswalk).where(incident_crosswalk.c.id == incident_id)).first()
    return {name: (getattr(row, name) if row else None) for name in CROSSWALK.values()}
