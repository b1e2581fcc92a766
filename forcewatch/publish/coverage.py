"""How many incidents did no list record? Two-list capture-recapture with Chapman's estimator.

Two lists that record incidents independently (two outlets, or forcewatch and a reference
database) overlap in m of their n1 and n2 incidents. Chapman's bias-corrected
Lincoln-Petersen estimator of the whole population is

    N = (n1 + 1)(n2 + 1) / (m + 1) - 1                     (Chapman 1951)

with variance (n1 + 1)(n2 + 1)(n1 - m)(n2 - m) / ((m + 1)^2 (m + 2)) (Seber 1970). The
number no list recorded is f0 = N - r = (n1 - m)(n2 - m) / (m + 1), r = n1 + n2 - m the
incidents seen. The 95% interval is Chao's (1987) log-normal one for f0, which never goes
below the r incidents seen: [r + f0 / C, r + f0 * C], C = exp(1.96 sqrt(ln(1 + var / f0^2))).
The estimate assumes the lists are independent; outlets that copy each other (or a
database that reads the same news) are positively dependent and make it an underestimate.
Closed form, so no statistics library is needed.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select

from forcewatch.publish.tables import comparisons
from forcewatch.store.db import Store
from forcewatch.store.schema import ArticleRow, IncidentRow
from forcewatch.web.data import Filters, _where

Z95 = 1.959963984540054


@dataclass
class Estimate:
    list_a: str
    list_b: str
    n_a: int
    n_b: int
    both: int
    seen: int  # r: incidents on either list
    total: float  # Chapman's N
    unseen: float  # f0 = N - r: incidents neither list recorded
    low: float  # 95% interval of N
    high: float
    se: float

    def as_json(self) -> dict[str, Any]:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def chapman(n_a: int, n_b: int, both: int, list_a: str = "A", list_b: str = "B", z: float = Z95) -> Estimate:
    """Chapman's estimate from list sizes and their overlap, with Chao's log-normal interval."""
    if not 0 <= both <= min(n_a, n_b):
        raise ValueError(f"the overlap ({both}) must be between 0 and the smaller list ({min(n_a, n_b)})")
    seen = n_a + n_b - both
    total = (n_a + 1) * (n_b + 1) / (both + 1) - 1
    variance = (n_a + 1) * (n_b + 1) * (n_a - both) * (n_b - both) / ((both + 1) ** 2 * (both + 2))
    unseen = total - seen
    if unseen <= 0:
        low = high = float(seen)
    else:
        c = math.exp(z * math.sqrt(math.log(1 + variance / unseen**2)))
        low, high = seen + unseen / c, seen + unseen * c
    return Estimate(list_a, list_b, n_a, n_b, both, seen, total, unseen, low, high, math.sqrt(variance))


def outlet_lists(store: Store, f: Filters) -> dict[str, set[int]]:
    """Each outlet's incidents among those matching the filters (syndicated copies are not their own list)."""
    matching = select(IncidentRow.id).where(*_where(f))
    q = (
        select(ArticleRow.outlet, ArticleRow.incident_id)
        .where(ArticleRow.incident_id.in_(matching), ArticleRow.copy_of.is_(None), ArticleRow.outlet.is_not(None))
        .distinct()
    )
    lists: dict[str, set[int]] = {}
    with store.engine.connect() as conn:
        for outlet, incident in conn.execute(q):
            if outlet and outlet.strip() and incident is not None:
                lists.setdefault(outlet.strip(), set()).add(incident)
    return lists


def outlet_estimate(store: Store, f: Filters, a: str | None = None, b: str | None = None) -> Estimate | None:
    """Chapman from two outlets (by default the two that reported the most matching incidents)."""
    lists = outlet_lists(store, f)
    if a is None or b is None:
        ranked = sorted(lists, key=lambda o: (-len(lists[o]), o))
        if len(ranked) < 2:
            return None
        a, b = ranked[0], ranked[1]
    if a not in lists or b not in lists:
        missing = [o for o in (a, b) if o not in lists]
        raise ValueError(f"no matching incident reported by {', '.join(missing)}")
    return chapman(len(lists[a]), len(lists[b]), len(lists[a] & lists[b]), a, b)


def reference_estimates(store: Store) -> list[dict[str, Any]]:
    """Chapman from the latest `forcewatch compare` run against each reference database.

    The lists are forcewatch's incidents in the rows' period and country, and the rows; the
    overlap is the matched pairs.
    """
    out = []
    with store.engine.connect() as conn:
        latest = select(comparisons.c.database, func.max(comparisons.c.id)).group_by(comparisons.c.database)
        ids = [i for _, i in conn.execute(latest)]
        rows = conn.execute(select(comparisons).where(comparisons.c.id.in_(ids)).order_by(comparisons.c.database)).all()
    for r in rows:
        both = min(r.matched, r.incidents, r.rows)
        est = chapman(r.incidents, r.rows, both, "forcewatch", r.database)
        out.append(
            {
                "database": r.database,
                "source": r.source,
                "at": r.at.isoformat(timespec="seconds") + "Z",
                "date_from": r.date_from,
                "date_to": r.date_to,
                **est.as_json(),
            }
        )
    return out


METHOD = (
    "Two-list capture-recapture: Chapman's estimator (Chapman 1951) with Seber's variance (Seber 1970)"
    " and Chao's log-normal 95% interval (Chao 1987). Assumes the two lists record incidents independently."
)


def coverage_view(store: Store, f: Filters) -> dict[str, Any]:
    """What the summary page and /api/coverage show."""
    outlets = outlet_estimate(store, f)
    return {
        "outlets": outlets.as_json() if outlets else None,
        "references": reference_estimates(store),
        "method": METHOD,
    }
