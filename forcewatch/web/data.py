"""The web's data functions: each page and its JSON twin are built from the same function here.

The incident page and /api/incidents/{id} use `incident_view` (store.queries.incident_data);
the list, its JSON, the exports, the map and the summary share `Filters` and `_where`,
filtering and paginating in SQL so a list page costs the same at 10 or 10,000 incidents.
Each takes a Store (the web app: its SQLAlchemy engine) or a Reader (the CLI: sqlite3), see
store/reader.py: one query per view, whichever connection runs it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

from forcewatch.model import FIELDS, TIMELINE_EVENTS
from forcewatch.store.queries import evidence_rows, headline_of, incident_data
from forcewatch.store.reader import (
    as_bool,
    as_date_text,
    as_datetime,
    chunked,
    contains,
    in_list,
    json_value,
    like,
    reader_of,
)

#: The columns an evidence row shares with forcewatch.model.Evidence (store/schema.py's EVIDENCE_COLUMNS;
#: repeated here so that reading never imports the SQLAlchemy schema).
EVIDENCE_COLUMNS = ("field", "value", "start", "end", "quote", "confidence", "extractor", "value_start", "value_end")

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


def make_filters(values: dict[str, str], label: Any = lambda name: name) -> Filters:
    """Filters from raw text (CLI options or query parameters), stripped and checked in one place.

    Raises ValueError listing each bad value as `label(name) 'value': why` (one per line).
    """
    problems = []
    for name in ("date_from", "date_to"):
        try:
            valid_date(values.get(name, ""))
        except ValueError as exc:  # a date that is not on the calendar, such as 2025-13-45
            problems.append(f"{label(name)} {values[name]!r}: {exc}")
    for name in ("conflicts", "reviewed"):
        if values.get(name, "") not in ("", "yes", "no"):
            problems.append(f"{label(name)} {values[name]!r}: write yes or no")
    if problems:
        raise ValueError("\n".join(problems))
    known = {k: (values.get(k) or "").strip() for k in Filters.__dataclass_fields__}
    return Filters(**known)  # type: ignore[arg-type]  # conflicts/reviewed checked above


def where_sql(f: Filters) -> tuple[str, dict[str, Any]]:
    """The WHERE clause over `incidents` (SQL both databases read) and its parameters."""
    # `sources > 0` written out, not a parameter: SQLite then uses the partial index
    # "WHERE merged_into IS NULL AND sources > 0".
    conds = ["incidents.merged_into IS NULL", "incidents.sources > 0"]
    params: dict[str, Any] = {}

    def add(sql: str, **values: Any) -> None:
        conds.append(sql)
        params.update(values)

    if f.date_from:
        add("incidents.date >= :f_date_from", f_date_from=f.date_from)
    if f.date_to:  # "~" sorts after digits: 2024-03 includes 2024-03-31
        add("incidents.date <= :f_date_to", f_date_to=f.date_to + "~")
    if f.country:
        add("incidents.country = :f_country", f_country=f.country.upper())
    if f.region:
        add(contains("incidents.region", "f_region"), f_region=like(f.region))
    if f.category:
        add("incidents.category = :f_category", f_category=f.category)
    if f.agency:
        add(contains("incidents.agency", "f_agency"), f_agency=like(f.agency))
    if f.armed:
        add("incidents.armed = :f_armed", f_armed=f.armed)
    if f.conflicts:
        conds.append("incidents.conflicts > 0" if f.conflicts == "yes" else "incidents.conflicts = 0")
    if f.reviewed:
        add("incidents.reviewed = :f_reviewed", f_reviewed=f.reviewed == "yes")
    if f.q:
        columns = " OR ".join(
            contains(f"incidents.{col}", "f_q") for col in ("subject", "locality", "region", "agency")
        )
        in_articles = (
            "SELECT articles.incident_id FROM articles WHERE articles.incident_id IS NOT NULL"
            f" AND ({contains('articles.title', 'f_q')} OR {contains('articles.body', 'f_q')})"
        )
        add(f"({columns} OR incidents.id IN ({in_articles}))", f_q=like(f.q))
    return " AND ".join(conds), params


def _where(f: Filters) -> list[Any]:
    """where_sql as SQLAlchemy conditions, for queries built with SQLAlchemy (forcewatch/publish/)."""
    from sqlalchemy import text

    sql, params = where_sql(f)
    return [text(sql).bindparams(**params)]


_ORDER_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date",),
    "id": ("id",),
    "place": ("country", "region", "locality"),
    "category": ("category",),
    "agency": ("agency",),
    "sources": ("sources",),
    "conflicts": ("conflicts",),
}


def _order(sort: SortKey, order: Order) -> str:
    """ORDER BY for a sort key; ties always by ascending id.

    (Ascending id is also the table's scan order, so SQLite's top-N sort keeps its
    first rows instead of replacing one per row, as a descending tie-break makes it do.)
    """
    direction = "DESC" if order == "desc" else "ASC"
    keys = [f"{col} {direction} NULLS LAST" for col in _ORDER_COLUMNS[sort]]
    return ", ".join(keys if sort == "id" else [*keys, "id ASC"])


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


def list_item(r: dict[str, Any]) -> dict[str, Any]:
    """One summary row, the shape of store.queries.incidents_list (from a row with _LIST_COLUMNS)."""
    item = {name: r[name] for name in _LIST_COLUMNS}
    item["reviewed"] = as_bool(item["reviewed"])
    item["place"] = ", ".join(p for p in (r["locality"], r["region"], r["country"]) if p)
    return item


def list_incidents(
    source: Any, f: Filters, sort: SortKey = "date", order: Order = "desc", page: int = 1, per_page: int = 50
) -> dict[str, Any]:
    """A page of incidents matching the filters: {"items", "total", "page", "per_page"}."""
    db = reader_of(source)
    where, params = where_sql(f)
    total = db.rows(f"SELECT count(*) AS n FROM incidents WHERE {where}", params)[0]["n"] or 0
    sql = (
        f"SELECT {', '.join(_LIST_COLUMNS)} FROM incidents WHERE {where} ORDER BY {_order(sort, order)}"
        " LIMIT :limit OFFSET :offset"
    )
    rows = db.rows(sql, {**params, "limit": per_page, "offset": (page - 1) * per_page})
    items = [list_item(r) for r in rows]
    with_headlines(db, items)
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def matching_ids(source: Any, f: Filters, sort: SortKey = "date", order: Order = "desc") -> list[int]:
    """Every incident id matching the filters (for exports)."""
    where, params = where_sql(f)
    sql = f"SELECT id FROM incidents WHERE {where} ORDER BY {_order(sort, order)}"
    return [r["id"] for r in reader_of(source).rows(sql, params)]


def filter_options(source: Any) -> dict[str, list[str]]:
    """The values each filter can take, for the list page's selects (one pass over the table)."""
    names = ("country", "region", "category", "agency", "armed")
    where, params = where_sql(Filters())
    cols = ", ".join(names)
    seen: dict[str, set[str]] = {n: set() for n in names}
    for row in reader_of(source).rows(f"SELECT {cols} FROM incidents WHERE {where} GROUP BY {cols}", params):
        for name in names:
            if row[name]:
                seen[name].add(row[name])
    return {n: sorted(v) for n, v in seen.items()}


FACETS = ("country", "category", "armed")


def facet_counts(source: Any, f: Filters) -> dict[str, dict[str, int]]:
    """For each select filter, how many incidents each value would give with the other filters kept."""
    from dataclasses import replace

    db = reader_of(source)
    out: dict[str, dict[str, int]] = {}
    for name in FACETS:
        others = replace(f, **{name: ""})  # type: ignore[arg-type]  # the facets are plain text fields
        where, params = where_sql(others)
        rows = db.rows(f"SELECT {name} AS value, count(*) AS n FROM incidents WHERE {where} GROUP BY {name}", params)
        out[name] = {r["value"]: r["n"] for r in rows if r["value"]}
    return out


def overview(source: Any) -> dict[str, Any]:
    """Totals for the home page: incidents, articles, outlets, dates covered, last update."""
    db = reader_of(source)
    where, params = where_sql(Filters())
    live = db.rows(
        "SELECT count(*) AS incidents, min(date) AS first, max(date) AS last, max(updated_at) AS updated,"
        f" count(DISTINCT country) AS countries FROM incidents WHERE {where}",
        params,
    )[0]
    texts = db.rows(
        "SELECT count(*) AS articles, count(DISTINCT outlet) AS outlets,"
        " count(CASE WHEN relevant THEN 1 END) AS relevant FROM articles"
    )[0]
    updated = as_datetime(live["updated"])
    return {
        "incidents": live["incidents"],
        "first": live["first"],
        "last": live["last"],
        "updated": updated.isoformat(sep=" ", timespec="minutes") if updated else None,
        "articles": texts["articles"],
        "relevant": texts["relevant"],
        "outlets": texts["outlets"],
        "countries": live["countries"],
    }


def incident_view(source: Any, incident_id: int) -> dict[str, Any] | None:
    """store.queries.incident_data plus `merged_into` (set when a merge retired this incident)."""
    db = reader_of(source)
    data = incident_data(db, incident_id)
    if data is None:
        return None
    data["merged_into"] = db.rows("SELECT merged_into FROM incidents WHERE id = :id", {"id": incident_id})[0][
        "merged_into"
    ]
    return data


def article_view(source: Any, article_id: str) -> dict[str, Any] | None:
    """One article, its relevance decision and every evidence span (offsets into `body`)."""
    db = reader_of(source)
    found = db.rows(
        "SELECT id, path, url, outlet, byline, published, title, body, language, relevant, category, reason,"
        " incident_id, copy_of FROM articles WHERE id = :id",
        {"id": article_id},
    )
    if not found:
        return None
    a = found[0]
    return {
        "id": a["id"],
        "path": a["path"],
        "url": a["url"],
        "outlet": a["outlet"],
        "byline": a["byline"],
        "published": as_date_text(a["published"]),
        "title": headline_of(a["title"], a["body"]),
        "body": a["body"],
        "language": a["language"],
        "relevant": as_bool(a["relevant"]),
        "category": a["category"],
        "reason": a["reason"],
        "incident": a["incident_id"],
        "copy_of": a["copy_of"],
        "evidence": [{"id": e["id"], **{k: e[k] for k in EVIDENCE_COLUMNS}} for e in evidence_rows(db, [a["id"]])],
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


def headline_fields(source: Any, ids: list[int]) -> dict[int, dict[str, Any]]:
    """For each incident id, the values of HEADLINE_FIELDS (one query per 5,000 ids)."""
    db = reader_of(source)
    out: dict[int, dict[str, Any]] = {i: {} for i in ids}
    names, name_params = in_list("f", HEADLINE_FIELDS)
    for part in chunked(ids):
        marks, params = in_list("i", part)
        sql = f"SELECT incident_id, field, value FROM incident_fields WHERE incident_id IN ({marks}) AND field IN ({names})"
        for r in db.rows(sql, {**params, **name_params}):
            out[r["incident_id"]][r["field"]] = json_value(db, r["value"])
    return out


def with_headlines(source: Any, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """List items plus `headline`, `outcome` and `location_precision` (what a reader scans for)."""
    from forcewatch.catalogue import headline

    extra = headline_fields(source, [r["id"] for r in items])
    for r in items:
        values = {**extra[r["id"]], **{k: r.get(k) for k in ("date", "category", "agency", "locality")}}
        r["headline"] = headline(values, r["id"])
        r["outcome"] = values.get("outcome")
        r["location_precision"] = values.get("location_precision")
    return items


def map_points(source: Any, f: Filters) -> dict[str, Any]:
    """GeoJSON points of the matching incidents: headline, category, outcome and location precision."""
    from forcewatch.catalogue import value_label

    db = reader_of(source)
    where, params = where_sql(f)
    rows = db.rows(
        "SELECT id, latitude, longitude, date, locality, region, country, category, subject, agency FROM incidents"
        f" WHERE {where} AND latitude IS NOT NULL AND longitude IS NOT NULL ORDER BY id",
        params,
    )
    for r in rows:
        r["place"] = ", ".join(p for p in (r["locality"], r["region"], r["country"]) if p)
    with_headlines(db, rows)
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


def summary_counts(source: Any, f: Filters, top: int = 15) -> dict[str, Any]:
    """Incident counts by year, category and agency (the top agencies, the rest as "other")."""
    db = reader_of(source)
    where, params = where_sql(f)
    out: dict[str, Any] = {"total": db.rows(f"SELECT count(*) AS n FROM incidents WHERE {where}", params)[0]["n"] or 0}
    for name, col, by_key in (
        ("year", "substr(date, 1, 4)", True),
        ("category", "category", False),
        ("agency", "agency", False),
    ):
        found = db.rows(f"SELECT {col} AS k, count(*) AS n FROM incidents WHERE {where} GROUP BY {col}", params)
        rows = [(r["k"] or "unknown", r["n"]) for r in found]
        if by_key:
            rows.sort(key=lambda kn: (kn[0] == "unknown", kn[0]))
        else:
            rows.sort(key=lambda kn: (-kn[1], kn[0]))
        if len(rows) > top:
            rows = rows[: top - 1] + [("other", sum(n for _, n in rows[top - 1 :]))]
        out[name] = rows
    return out


def possible_duplicates_view(store: Any) -> list[dict[str, Any]]:
    """Incident pairs whose evidence falls just short of linking, each with its evidence for and
    against (link/duplicates.py) and both incidents as list rows: `forcewatch duplicates`, the
    /duplicates page and /api/duplicates all read this. Needs a Store (the linker's profiles)."""
    from forcewatch.link.duplicates import best_pair, explain, possible_duplicates
    from forcewatch.link.linker import LINK_THRESHOLD
    from forcewatch.run import load_linker

    linker = load_linker(store)
    pairs = possible_duplicates(linker)
    ids = sorted({i for p in pairs for i in (p.first, p.second)})
    db = reader_of(store)
    rows: dict[int, dict[str, Any]] = {}
    for part in chunked(ids):
        marks, params = in_list("i", part)
        found = db.rows(f"SELECT {', '.join(_LIST_COLUMNS)} FROM incidents WHERE id IN ({marks})", params)
        for item in with_headlines(db, [list_item(r) for r in found]):
            rows[item["id"]] = item
    from forcewatch.catalogue import value_label

    def shown(kind: str, value: Any) -> Any:
        return value_label("category", value) if kind == "category" and isinstance(value, str) else value

    out = []
    for p in pairs:
        evidence = [
            {**asdict(e), "first": shown(e.kind, e.first), "second": shown(e.kind, e.second)}
            for e in explain(*best_pair(linker, p.first, p.second))
        ]
        out.append(
            {
                "first": rows.get(p.first, {"id": p.first}),
                "second": rows.get(p.second, {"id": p.second}),
                "score": round(p.score, 2),
                "threshold": LINK_THRESHOLD,
                "for": [e for e in evidence if e["points"] > 0],
                "against": [e for e in evidence if e["points"] < 0],
            }
        )
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
