"""Export formats: one function per shape, shared by `forcewatch export` and the web's downloads.

Every format starts from the public record (store.queries.export_record) and means the same by
the same word: `conflicts` is always the names of the fields whose sources disagree, `sources`
the articles (URL, outlet, title), `reviewed` whether a person checked the record, `url` its page.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, TextIO

from forcewatch.catalogue import QUALIFIERS
from forcewatch.model import FIELDS

# --- the plain CSV: every field, one column each --------------------------------------------

CSV_COLUMNS = [
    "id",
    "url",
    *[f for f in FIELDS if f != "quotes"],
    "agency_id",
    "case_status",
    "case_lifecycle",
    "counted_classification",
    "reviewed",
    "conflicts",
    "source_count",
    "source_urls",
    "source_outlets",
    "source_titles",
]


def timeline_text(events: list[dict[str, Any]]) -> str:
    """The timeline as `event=time` pairs: `call_received=19:20; shots_fired=around 19:45`."""
    out = []
    for e in events:
        qualifier = e.get("qualifier") or "exact"
        time = e["time"] if qualifier == "exact" else f"{QUALIFIERS.get(qualifier, qualifier)} {e['time']}"
        out.append(f"{e['event']}={time}")
    return "; ".join(out)


def counted_classification(fields: dict[str, Any]) -> str | None:
    """The Guardian's The Counted classes (deaths only): Gunshot, Death in custody, Taser, Struck by vehicle, Other."""
    if fields.get("outcome") != "fatal":
        return None
    force = fields.get("force_used") or []
    if "firearm" in force or fields.get("category") == "police_shooting":
        return "Gunshot"
    if "taser" in force:
        return "Taser"
    if "vehicle" in force or fields.get("category") == "road_traffic":
        return "Struck by vehicle"
    if fields.get("category") in ("custody", "suicide_following_custody"):
        return "Death in custody"
    return "Other"


def source_columns(record: dict[str, Any]) -> dict[str, Any]:
    """The articles behind a record, as Fatal Encounters and Mapping Police Violence list their links."""
    sources = record["sources"]
    return {
        "source_count": len(sources),
        "source_urls": " ".join(s["url"] for s in sources if s.get("url")),
        "source_outlets": " | ".join(s.get("outlet") or "unknown outlet" for s in sources),
        "source_titles": " | ".join(s.get("title") or "untitled" for s in sources),
    }


def csv_row(record: dict[str, Any]) -> dict[str, Any]:
    f = record["fields"]
    row: dict[str, Any] = {k: ("; ".join(map(str, v)) if isinstance(v, list) else v) for k, v in f.items()}
    row["timeline"] = timeline_text(f.get("timeline") or [])
    # The case lifecycle as stage=date (or stage=as of DATE), in case order; case_status stays a column.
    row["case_lifecycle"] = "; ".join(
        f"{e['stage']}={e.get('date') or ('as of ' + e['as_of'] if e.get('as_of') else '')}".rstrip("=")
        for e in f.get("case_lifecycle") or []
    )
    return {
        **row,
        "id": record["id"],
        "url": record["url"],
        "counted_classification": counted_classification(f),
        "reviewed": record["reviewed"],
        "conflicts": "; ".join(record["conflicts"]),
        **source_columns(record),
    }


# --- the Washington Post's Fatal Force v2 file ------------------------------------------------

WAPO_COLUMNS = [
    "id",
    "date",
    "threat_type",
    "flee_status",
    "armed_with",
    "city",
    "county",
    "state",
    "latitude",
    "longitude",
    "location_precision",
    "name",
    "age",
    "gender",
    "race",
    "race_source",
    "was_mental_illness_related",
    "body_camera",
    "agency_ids",
]

#: WaPo v2 race codes from the words an article uses (their file: W, B, A, N, H, O; several joined by ';').
_RACE_CODES = [
    ("W", r"\bwhite\b"),
    ("B", r"\b(black|african[- ]american)\b"),
    ("A", r"\basian\b"),
    ("N", r"\b(native american|indigenous|american indian|alaska native)\b"),
    ("H", r"\b(hispanic|latino|latina|latinx)\b"),
]
#: Their armed_with, threat_type and flee_status codes; ours are the same words except flee_status's "not".
_WAPO_ARMED = {"gun", "knife", "blunt_object", "other", "replica", "undetermined", "unarmed", "vehicle"}
_WAPO_THREAT = {"shoot", "point", "attack", "threat", "move", "flee", "accident", "undetermined"}
_WAPO_FLEE = {"not_fleeing": "not", "foot": "foot", "car": "car", "other": "other"}


def race_code(text: str | None) -> str | None:
    if not text:
        return None
    codes = [code for code, pattern in _RACE_CODES if re.search(pattern, text, re.I)]
    if re.search(r"\b(mixed|biracial|multiracial)\b", text, re.I) and not codes:
        codes = ["O"]
    return ";".join(codes) or "O"


def state_code(region: str | None) -> str | None:
    """A US state's two-letter code from its name (the `us` package)."""
    if not region:
        return None
    import us

    state = us.states.lookup(region)
    return state.abbr if state else None


def is_us_shooting(record: dict[str, Any]) -> bool:
    """The Fatal Force file's scope: people shot and killed by police in the US."""
    f = record["fields"]
    shot = f.get("category") == "police_shooting" or "firearm" in (f.get("force_used") or [])
    return f.get("country") == "US" and shot and f.get("outcome") == "fatal"


def _bool(value: Any) -> str | None:
    return None if value is None else ("True" if value else "False")


def wapo_row(record: dict[str, Any]) -> dict[str, Any]:
    """One row in their v2 columns and codes, ready to append to their CSV.

    Coordinates here are the centre of the named town (the gazetteer's precision), which none of
    their location_precision values describes: they are left out and marked not_available.
    """
    f = record["fields"]
    armed = f.get("subject_armed")
    threat = f.get("threat")
    agency_id = f.get("agency_id")
    precise = f.get("location_precision") == "address"
    return {
        "id": record["id"],
        "date": f.get("date"),
        "threat_type": threat if threat in _WAPO_THREAT else None,
        "flee_status": _WAPO_FLEE.get(f.get("fleeing") or ""),
        "armed_with": armed if armed in _WAPO_ARMED else None,
        "city": f.get("locality"),
        "county": None,
        "state": state_code(f.get("region")),
        "latitude": f.get("latitude") if precise else None,
        "longitude": f.get("longitude") if precise else None,
        "location_precision": "address" if precise else "not_available",
        "name": f.get("subject_name"),
        "age": f.get("subject_age"),
        "gender": f.get("subject_gender") if f.get("subject_gender") in ("male", "female") else None,
        "race": race_code(f.get("subject_race")),
        "race_source": "clip" if f.get("subject_race") else "not_available",
        "was_mental_illness_related": _bool(f.get("mental_health_crisis")),
        "body_camera": _bool(f.get("body_camera")),
        "agency_ids": agency_id if agency_id and re.fullmatch(r"[A-Za-z0-9-]+", str(agency_id)) else None,
    }


# --- the IOPC's annual deaths statistics ----------------------------------------------------

IOPC_CATEGORIES = ["road_traffic", "police_shooting", "custody", "suicide_following_custody", "other_contact"]


def financial_year(day: str | None) -> str:
    """April to March, as the IOPC publishes: 2025-03-31 is 2024/25, 2025-04-01 is 2025/26."""
    if not day or not re.match(r"\d{4}-\d{2}", day):
        return "unknown"
    year, month = int(day[:4]), int(day[5:7])
    start = year if month >= 4 else year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def in_england_or_wales(record: dict[str, Any]) -> bool:
    """The IOPC's remit: a territorial force of England and Wales (PNC codes 01-63) or BTP (93)."""
    code = record["fields"].get("agency_id")
    if record["fields"].get("country") != "GB" or not code or not str(code).isdigit():
        return False
    return int(code) <= 63 or int(code) == 93


def write_iopc(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Counts by financial year and IOPC category, England and Wales only; returns how many were left out."""
    counts: dict[str, dict[str, int]] = {}
    skipped = 0
    for rec in records:
        if not in_england_or_wales(rec):
            skipped += 1
            continue
        category = rec["fields"].get("category")
        row = counts.setdefault(financial_year(rec["fields"].get("date")), dict.fromkeys(IOPC_CATEGORIES, 0))
        row[category if category in IOPC_CATEGORIES else "other_contact"] += 1
    writer = csv.writer(out)
    writer.writerow(["financial_year", *IOPC_CATEGORIES, "total"])
    for year in sorted(counts, key=lambda y: (y == "unknown", y)):
        row = counts[year]
        writer.writerow([year, *(row[c] for c in IOPC_CATEGORIES), sum(row.values())])
    return skipped


# --- GeoJSON --------------------------------------------------------------------------------


def geojson_feature(record: dict[str, Any]) -> dict[str, Any] | None:
    """A point with what a map pop-up needs; None when the incident has no coordinates."""
    f = record["fields"]
    if f.get("latitude") is None or f.get("longitude") is None:
        return None
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [f["longitude"], f["latitude"]]},
        "properties": {
            "id": record["id"],
            "url": record["url"],
            "headline": record["headline"],
            "date": f.get("date"),
            "category": f.get("category"),
            "outcome": f.get("outcome"),
            "subject_name": f.get("subject_name"),
            "subject_age": f.get("subject_age"),
            "subject_gender": f.get("subject_gender"),
            "locality": f.get("locality"),
            "region": f.get("region"),
            "country": f.get("country"),
            "agency": f.get("agency"),
            "location_precision": f.get("location_precision") or "unknown",
            "reviewed": record["reviewed"],
            "conflicts": record["conflicts"],
            "sources": record["sources"],
        },
    }
