"""The web's data functions: each page and its JSON twin are built from the same function here.

The incident page and /api/incidents/{id} use `incident_view` (store.queries.incident_data);
the list, its JSON, the exports, the map and the summary share `Filters` and `_where`,
filtering and paginating in SQL so a list page costs the same at 10 or 10,000 incidents.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

from sqlalchemy import func, literal_column, or_, select

from forcewatch.model import FIELDS, TIMELINE_EVENTS
from forcewatch.store.db import Store, chunks
from forcewatch.store.queries import headline_of, incident_data
from forcewatch.store.schema import ArticleRow, IncidentFieldRow, IncidentRow, evidence_dict

#: A whole or partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD), or empty.
DATE_PATTERN = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"
YesNo = Literal["", "yes", "no"]
SortKey = Literal["date", "id", "place", "category", "agency", "sources", "conflicts"]
SORT_KEYS: tuple[str, ...] = ("date", "id", "place", "category", "agency", "sources", "conflicts")
Order = Literal["asc", "desc"]


def valid_date(value: str) -> str:
    """A whole or partial ISO date that exists on the calendar (2025-13-45 does not), or ""."""
    import datetime as dt

    if not re.match(DATE_PATTERN, value):
        raise ValueError("write a date as YYYY, YYYY-MM or YYYY-MM-DD")
    parts = value.split("-")
    if len(parts) >= 2 and not 1 <= int(parts[1]) <= 12:
        raise ValueError(f"there is no month {parts[1]}")
    if len(parts) == 3:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"there is no day {parts[2]} in {parts[0]}-{parts[1]}") from None
    return value


#: Every field a person can set: the catalogue (timeline as one field per event).
EDITABLE_FIELDS = [f for f in FIELDS if f != "timeline"] + [f"timeline.{e}" for e in TIMELINE_EVENTS]


@dataclass(frozen=True)
class Filters:
    date_from: str = ""
    date_to: str = ""
    country: str = ""
    region: str = ""
    category: str = ""
    agency: str = ""
    armed: str = ""
    conflicts: YesNo = ""
    reviewed: YesNo = ""
    q: str = ""  # words in the subject, place, force, or any of the incident's articles

    def params(self) -> dict[str, str]:
        """The filters that are set, as query parameters (for links and exports)."""
        return {k: v for k, v in asdict(self).items() if v}


def _where(f: Filters) -> list[Any]:
    c = IncidentRow
    # Literal 0, not a parameter: then SQLite can use a partial index "WHERE merged_into IS NULL AND sources > 0".
    conds: list[Any] = [c.merged_into.is_(None), c.sources > literal_column("0")]
    if f.date_from:
        conds.append(c.date >= f.date_from)
    if f.date_to:
        conds.append(c.date <= f.date_to + "~")  # "~" sorts after digits: 2024-03 includes 2024-03-31
    if f.country:
        conds.append(c.country == f.country.upper())
    if f.region:
        conds.append(c.region.icontains(f.region, autoescape=True))
    if f.category:
        conds.append(c.category == f.category)
    if f.agency:
        conds.append(c.agency.icontains(f.agency, autoescape=True))
    if f.armed:
        conds.append(c.armed == f.armed)
    if f.conflicts:
        conds.append(c.conflicts > 0 if f.conflicts == "yes" else c.conflicts == 0)
    if f.reviewed:
        conds.append(c.reviewed.is_(f.reviewed == "yes"))
    if f.q:
        a = ArticleRow
        in_articles = select(a.incident_id).where(
            a.incident_id.is_not(None),
            or_(a.title.icontains(f.q, autoescape=True), a.body.icontains(f.q, autoescape=True)),
        )
        conds.append(
            or_(
                *(col.icontains(f.q, autoescape=True) for col in (c.subject, c.locality, c.region, c.agency)),
                c.id.in_(in_articles),
            )
        )
    return conds


def _order(sort: SortKey, order: Order) -> list[Any]:
    """ORDER BY for a sort key; ties always by ascending id.

    (Ascending id is also the table's scan order, so SQLite's top-N sort keeps its
    first rows instead of replacing one per row, as a descending tie-break makes it do.)
    """
    c = IncidentRow
    by_key: dict[str, list[Any]] = {
        "date": [c.date],
        "id": [c.id],
        "place": [c.country, c.region, c.locality],
        "category": [c.category],
        "agency": [c.agency],
        "sources": [c.sources],
        "conflicts": [c.conflicts],
    }
    columns = by_key[sort]
    desc = order == "desc"
    keys = [(col.desc() if desc else col.asc()).nulls_last() for col in columns]
    return keys if sort == "id" else [*keys, c.id.asc()]


_LIST_COLUMNS = (
    "id",
    "date",
    "country",
    "region",
    "locality",
    "subject",
    "category",
    "agency",
    "armed",
    "sources",
    "conflicts",
    "latitude",
    "longitude",
    "reviewed",
)


def list_item(r: Any) -> dict[str, Any]:
    """One summary row, the shape of store.queries.incidents_list (from a row with _LIST_COLUMNS)."""
    item = {name: getattr(r, name) for name in _LIST_COLUMNS}
    item["place"] = ", ".join(p for p in (r.locality, r.region, r.country) if p)
    return item


def list_incidents(
    store: Store, f: Filters, sort: SortKey = "date", order: Order = "desc", page: int = 1, per_page: int = 50
) -> dict[str, Any]:
    """A page of incidents matching the filters: {"items", "total", "page", "per_page"}."""
    conds = _where(f)
    columns = [getattr(IncidentRow, name) for name in _LIST_COLUMNS]
    with store.engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(IncidentRow).where(*conds)) or 0
        q = select(*columns).where(*conds).order_by(*_order(sort, order)).limit(per_page).offset((page - 1) * per_page)
        items = [list_item(r) for r in conn.execute(q)]
    with_headlines(store, items)
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def matching_ids(store: Store, f: Filters, sort: SortKey = "date", order: Order = "desc") -> list[int]:
    """Every incident id matching the filters (for exports)."""
    with store.session() as s:
        return list(s.scalars(select(IncidentRow.id).where(*_where(f)).order_by(*_order(sort, order))))


def filter_options(store: Store) -> dict[str, list[str]]:
    """The values each filter can take, for the list page's selects (one pass over the table)."""
    names = ("country", "region", "category", "agency", "armed")
    q = (
        select(*(getattr(IncidentRow, n) for n in names))
        .where(*_where(Filters()))
        .group_by(*(getattr(IncidentRow, n) for n in names))
    )
    seen: dict[str, set[str]] = {n: set() for n in names}
    with store.engine.connect() as conn:
        for row in conn.execute(q):
            for name, value in zip(names, row, strict=True):
                if value:
                    seen[name].add(value)
    return {n: sorted(v) for n, v in seen.items()}


FACETS = ("country", "category", "armed")


def facet_counts(store: Store, f: Filters) -> dict[str, dict[str, int]]:
    """For each select filter, how many incidents each value would give with the other filters kept."""
    from dataclasses import replace

    out: dict[str, dict[str, int]] = {}
    with store.engine.connect() as conn:
        for name in FACETS:
            col = getattr(IncidentRow, name)
            others = replace(f, **{name: ""})  # type: ignore[arg-type]  # the facets are plain text fields
            q = select(col, func.count()).where(*_where(others)).group_by(col)
            out[name] = {value: n for value, n in conn.execute(q) if value}
    return out


def overview(store: Store) -> dict[str, Any]:
    """Totals for the home page: incidents, articles, outlets, dates covered, last update."""
    a, c = ArticleRow, IncidentRow
    live = _where(Filters())
    with store.engine.connect() as conn:
        incidents, first, last, updated = conn.execute(
            select(func.count(), func.min(c.date), func.max(c.date), func.max(c.updated_at)).where(*live)
        ).one()
        articles, outlets, relevant = conn.execute(
            select(func.count(), func.count(func.distinct(a.outlet)), func.count().filter(a.relevant.is_(True)))
        ).one()
        countries = conn.scalar(select(func.count(func.distinct(c.country))).where(*live))
    return {
        "incidents": incidents,
        "first": first,
        "last": last,
        "updated": updated.isoformat(sep=" ", timespec="minutes") if updated else None,
        "articles": articles,
        "relevant": relevant,
        "outlets": outlets,
        "countries": countries,
    }


def incident_view(store: Store, incident_id: int) -> dict[str, Any] | None:
    """store.queries.incident_data plus `merged_into` (set when a merge retired this incident)."""
    data = incident_data(store, incident_id)
    if data is None:
        return None
    with store.engine.connect() as conn:
        data["merged_into"] = conn.scalar(select(IncidentRow.merged_into).where(IncidentRow.id == incident_id))
    return data


def article_view(store: Store, article_id: str) -> dict[str, Any] | None:
    """One article, its relevance decision and every evidence span (offsets into `body`)."""
    a = store.article(article_id)
    if a is None:
        return None
    return {
        "id": a.id,
        "path": a.path,
        "url": a.url,
        "outlet": a.outlet,
        "byline": a.byline,
        "published": a.published.isoformat() if a.published else None,
        "title": headline_of(a.title, a.body),
        "body": a.body,
        "language": a.language,
        "relevant": a.relevant,
        "category": a.category,
        "reason": a.reason,
        "incident": a.incident_id,
        "copy_of": a.copy_of,
        "evidence": [{"id": e.id, **evidence_dict(e)} for e in store.evidence([a.id])],
    }


#: The fields a headline is written from (catalogue.headline), read for a page of rows at once.
HEADLINE_FIELDS = (
    "subject_name",
    "subject_age",
    "subject_age_approximate",
    "subject_gender",
    "outcome",
    "force_used",
    "location_precision",
)


def headline_fields(store: Store, ids: list[int]) -> dict[int, dict[str, Any]]:
    """For each incident id, the values of HEADLINE_FIELDS (one query per chunk of ids)."""
    out: dict[int, dict[str, Any]] = {i: {} for i in ids}
    if not ids:
        return out
    f = IncidentFieldRow
    with store.engine.connect() as conn:
        rows: list[Any] = []
        for part in chunks(ids):  # an export may list every incident: one bounded IN list per chunk
            q = select(f.incident_id, f.field, f.value).where(f.incident_id.in_(part), f.field.in_(HEADLINE_FIELDS))
            rows += conn.execute(q).all()
        for incident_id, name, value in rows:
            out[incident_id][name] = value
    return out


def with_headlines(store: Store, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """List items plus `headline`, `outcome` and `location_precision` (what a reader scans for)."""
    from forcewatch.catalogue import headline

    extra = headline_fields(store, [r["id"] for r in items])
    for r in items:
        values = {**extra[r["id"]], **{k: r.get(k) for k in ("date", "category", "agency", "locality")}}
        r["headline"] = headline(values, r["id"])
        r["outcome"] = values.get("outcome")
        r["location_precision"] = values.get("location_precision")
    return items


def map_points(store: Store, f: Filters) -> dict[str, Any]:
    """GeoJSON points of the matching incidents: headline, category, outcome and location precision."""
    from forcewatch.catalogue import value_label

    c = IncidentRow
    q = (
        select(c.id, c.latitude, c.longitude, c.date, c.locality, c.region, c.country, c.category, c.subject, c.agency)
        .where(*_where(f), c.latitude.is_not(None), c.longitude.is_not(None))
        .order_by(c.id)
    )
    with store.session() as s:
        rows = [
            {
                "id": i,
                "latitude": lat,
                "longitude": lon,
                "date": d,
                "place": ", ".join(p for p in (loc, reg, cty) if p),
                "locality": loc,
                "category": cat,
                "subject": subj,
                "agency": agency,
            }
            for i, lat, lon, d, loc, reg, cty, cat, subj, agency in s.execute(q)
        ]
    with_headlines(store, rows)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]},
            "properties": {
                "id": r["id"],
                "headline": r["headline"],
                "date": r["date"],
                "place": r["place"],
                "category": r["category"],
                "category_label": value_label("category", r["category"]) if r["category"] else "Unknown",
                "outcome": r["outcome"],
                "outcome_label": value_label("outcome", r["outcome"]) if r["outcome"] else "Unknown",
                "subject": r["subject"],
                "location_precision": r["location_precision"] or "unknown",
                "precision_label": value_label("location_precision", r["location_precision"])
                if r["location_precision"]
                else "Unknown",
            },
        }
        for r in rows
    ]
    return {"type": "FeatureCollection", "features": features}


def summary_counts(store: Store, f: Filters, top: int = 15) -> dict[str, Any]:
    """Incident counts by year, category and agency (the top agencies, the rest as "other")."""
    c = IncidentRow
    conds = _where(f)
    out: dict[str, Any] = {}
    with store.session() as s:
        out["total"] = s.scalar(select(func.count()).select_from(c).where(*conds)) or 0
        year = func.substr(c.date, 1, 4)
        for name, col, order in (("year", year, year), ("category", c.category, None), ("agency", c.agency, None)):
            q = select(col, func.count()).where(*conds).group_by(col)
            rows = [(k or "unknown", n) for k, n in s.execute(q)]
            if order is not None:
                rows.sort(key=lambda kn: (kn[0] == "unknown", kn[0]))
            else:
                rows.sort(key=lambda kn: (-kn[1], kn[0]))
            if len(rows) > top:
                rows = rows[: top - 1] + [("other", sum(n for _, n in rows[top - 1 :]))]
            out[name] = rows
    return out


# --- reading a value typed into the review form ------------------------------------

_TIME = re.compile(r"^(?:(before|after|around|about|exact)\s+)?(\d{1,2})[:.](\d{2})$", re.I)


def parse_value(field: str, text: str, current: Any) -> Any:
    """The value a person typed, read by the field's kind.

    JSON is always accepted. Otherwise: booleans as yes/no/true/false, numbers as numbers,
    timeline events as "[before|after|around] HH:MM", lists as ";"-separated items, "" as none.
    Raises ValueError with a message fit for the form.
    """
    text = text.strip()
    if text == "":
        return None
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = text
    if not isinstance(parsed, str):
        return parsed
    text = parsed.strip()
    low = text.lower()
    if field.startswith("timeline."):
        m = _TIME.match(text)
        if not m or int(m.group(2)) > 23 or int(m.group(3)) > 59:
            raise ValueError("write a time as HH:MM, optionally after before/after/around, e.g. 'around 21:00'")
        qualifier = (m.group(1) or "exact").lower().replace("about", "around")
        return {"event": field.split(".", 1)[1], "time": f"{int(m.group(2)):02d}:{m.group(3)}", "qualifier": qualifier}
    if isinstance(current, bool) or field in _BOOL_FIELDS:
        if low in ("yes", "true", "y", "1"):
            return True
        if low in ("no", "false", "n", "0"):
            return False
        raise ValueError("write yes or no")
    if isinstance(current, int | float) or field in _NUMBER_FIELDS:
        try:
            number = float(text)
        except ValueError:
            raise ValueError("write a number") from None
        return int(number) if number.is_integer() and field not in ("latitude", "longitude") else number
    if isinstance(current, list) or field in ("force_used",):
        return [part.strip() for part in text.split(";") if part.strip()]
    return text


_BOOL_FIELDS = {
    "subject_age_approximate",
    "subject_weapon_recovered",
    "mental_health_crisis",
    "body_camera",
    "first_aid",
    "others_present",
}
_NUMBER_FIELDS = {"subject_age", "shots_fired", "latitude", "longitude"}


def edit_text(value: Any) -> str:
    """A value as the review form pre-fills it (the inverse of parse_value)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict) and "time" in value and "event" in value:
        return f"{value.get('qualifier') or 'exact'} {value['time']}"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
