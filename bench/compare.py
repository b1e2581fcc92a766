"""Reconciliation benchmark: `forcewatch compare`'s matcher (date-window blocking) vs all-pairs scoring.

Synthetic incidents (dates over five years, US states and cities, invented names) and a
reference file's rows: 80% of the incidents again with noise (the date a day off in 15%,
the name shortened or re-spelt in 20%, the city missing in 10%), plus 20% rows forcewatch
lacks. Both sides use the same scorer (`publish.compare.score`) and the same greedy
one-to-one choice; the baseline scores every row against every incident. Prints seconds,
the ratio, the sizes and whether both found the same matches (and their precision and
recall against the known truth).

    .venv/bin/python bench/compare.py --incidents 2000 --rows 2000
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from forcewatch.publish.compare import MIN_SCORE, Match, Ours, match, score
from forcewatch.publish.reference import RefRow

STATES = ["TX", "OH", "CA", "AZ", "FL", "GA", "NY", "IL", "WA", "CO"]
CITIES = ["Northshire", "Marrowby", "Brackley", "Eastmoor", "Kestrel", "Ashby", "Pellow Falls", "Voss City"]
FIRST = ["Daniel", "Tom", "Lee", "Sam", "Jo", "Ray", "Kim", "Alex", "Chris", "Pat", "Robin", "Dana"]
LAST = ["Voss", "Ashby", "Pellow", "Brackley", "Marrowby", "Northshire", "Kestrel", "Eastmoor", "Harrow", "Linden"]


def synthetic(n_incidents: int, n_rows: int, seed: int = 7) -> tuple[list[Ours], list[RefRow], set[tuple[int, str]]]:
    rng = random.Random(seed)
    start = date(2019, 1, 1)
    incidents = []
    for i in range(1, n_incidents + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}" if rng.random() < 0.8 else None
        o = Ours(
            i,
            start + timedelta(days=rng.randrange(5 * 365)),
            rng.choice(STATES),
            rng.choice(CITIES),
            None,
            name,
            "police_shooting",
            "US",
        )
        o.fields["subject_age"] = rng.randrange(16, 80)
        incidents.append(o)
    rows, truth = [], set()
    for k in range(n_rows):
        if k < 0.8 * n_rows and k < len(incidents):
            o = incidents[k]
            day = o.date + timedelta(days=rng.choice([-1, 1])) if rng.random() < 0.15 else o.date  # type: ignore[operator]
            name = o.name
            if name and rng.random() < 0.2:
                name = name.split()[0][:3] + "ny " + name.split()[1]
            row = RefRow("wapo", str(9000 + k), k + 2, day, name, o.fields["subject_age"])  # type: ignore[arg-type]
            row.state, row.city = o.state, (o.city if rng.random() > 0.1 else None)
            truth.add((o.id, row.id))
        else:
            row = RefRow("wapo", str(9000 + k), k + 2, start + timedelta(days=rng.randrange(5 * 365)))
            row.name, row.state, row.city = (
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                rng.choice(STATES),
                rng.choice(CITIES),
            )
        rows.append(row)
    return incidents, rows, truth


def all_pairs(rows: list[RefRow], incidents: list[Ours], days: int = 3) -> list[Match]:
    """The baseline: every row scored against every incident, then the same greedy choice."""
    candidates = []
    for row in rows:
        for o in incidents:
            scored = score(row, o, days)
            if scored is not None and scored[0] >= MIN_SCORE:
                candidates.append(Match(o.id, row.id, scored[0], scored[1]))
    used_i: set[int] = set()
    used_r: set[str] = set()
    out = []
    for m in sorted(candidates, key=lambda m: (-m.score, m.incident, m.row)):
        if m.incident not in used_i and m.row not in used_r:
            used_i.add(m.incident)
            used_r.add(m.row)
            out.append(m)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    incidents, rows, truth = synthetic(args.incidents, args.rows)
    t0 = time.perf_counter()
    ours = match(rows, incidents)
    t1 = time.perf_counter()
    base = all_pairs(rows, incidents)
    t2 = time.perf_counter()
    found = {(m.incident, m.row) for m in ours}
    same = found == {(m.incident, m.row) for m in base}
    tp = len(found & truth)
    print(f"corpus: {len(incidents)} incidents, {len(rows)} reference rows ({len(truth)} true pairs)")
    print(f"forcewatch compare (date-window blocking): {t1 - t0:.3f} s")
    print(f"baseline all-pairs scoring:                {t2 - t1:.3f} s")
    print(f"ratio: {(t2 - t1) / max(t1 - t0, 1e-9):.1f}x faster; same matches as all-pairs: {same}")
    print(f"matches {len(found)}: precision {tp / max(len(found), 1):.3f}, recall {tp / max(len(truth), 1):.3f}")


if __name__ == "__main__":
    main()
