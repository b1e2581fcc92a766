"""Exports that drop into the tools people use: CSV with source links, WaPo v2 rows, IOPC years, GeoJSON, Datasette."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from forcewatch import formats
from forcewatch.cli import app
from forcewatch.pipeline import Options
from forcewatch.run import ingest
from forcewatch.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
PATHS = [
    ROOT / "examples" / "corpus",
    ROOT / "tests" / "corpus" / "web",
    ROOT / "tests" / "corpus" / "fictional" / "f07_columbus_linden_ledger.txt",
    ROOT / "tests" / "corpus" / "fictional" / "f23_dekalb_vehicle_shooting_peach.txt",
    ROOT / "tests" / "corpus" / "fictional" / "f17_glasgow_cell_death_clydeside.txt",
]
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("exports") / "x.db")
    report = ingest([str(p) for p in PATHS], Store(path), Options(ingested_on=date(2025, 11, 1)))
    assert not report.problems
    return path


def export(db: str, *args: str) -> tuple[str, str]:
    r = runner.invoke(app, ["export", "--db", db, *args])
    assert r.exit_code == 0, r.output
    return r.stdout, r.stderr


def records(db: str) -> list[dict]:
    return json.loads(export(db, "--format", "json", "--base-url", "https://fw.example.org")[0])


def by_place(recs: list[dict], locality: str) -> dict:
    return next(r for r in recs if r["fields"].get("locality") == locality)


def test_json_record_has_sources_url_reviewed_and_conflict_names(db: str) -> None:
    recs = records(db)
    luton = by_place(recs, "Luton")
    assert luton["url"] == f"https://fw.example.org/incidents/{luton['id']}"
    assert luton["reviewed"] is False
    assert {s["outlet"] for s in luton["sources"]} == {"South West Wire", "Bedfordshire Daily Post"}
    assert all(s["title"] for s in luton["sources"])
    assert luton["conflicts"] == ["timeline.shots_fired"]
    assert len(luton["conflicting_values"]["timeline.shots_fired"]) == 2
    assert luton["headline"] == "Man, 38, shot dead by Bedfordshire Police in Luton, 6 Oct 2025"


def test_csv_has_source_links_timeline_pairs_and_the_same_conflicts(db: str) -> None:
    rows = list(csv.DictReader(io.StringIO(export(db, "--format", "csv")[0])))
    assert list(rows[0]) == formats.CSV_COLUMNS
    luton = next(r for r in rows if r["locality"] == "Luton")
    assert luton["source_count"] == "2" and luton["source_outlets"].count(" | ") == 1
    assert "Watchdog investigates fatal police shooting in Luton" in luton["source_titles"]
    assert luton["timeline"].startswith("call_received=19:20; police_arrived=around 19:35")
    assert luton["conflicts"] == "timeline.shots_fired"  # the field names, as in JSON and GeoJSON
    assert luton["reviewed"] == "False" and luton["url"].endswith(f"/incidents/{luton['id']}")
    assert luton["counted_classification"] == "Gunshot" and luton["agency_id"] == "40"
    phoenix = next(r for r in rows if r["locality"] == "Phoenix")
    assert phoenix["counted_classification"] == "Death in custody"


def test_wapo_rows_are_us_shootings_in_their_codes(db: str) -> None:
    out, note = export(db, "--format", "wapo")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == formats.WAPO_COLUMNS
    recs = records(db)
    us_shootings = [r for r in recs if formats.is_us_shooting(r)]
    assert len(rows) == len(us_shootings) >= 1 and len(recs) > len(rows)
    assert f"{len(recs) - len(rows)} incidents skipped" in note
    for row in rows:
        assert len(row["state"]) == 2 and row["state"].isupper()
        assert row["location_precision"] in ("address", "not_available")
        assert row["armed_with"] in ("", *formats._WAPO_ARMED)
        assert row["threat_type"] in ("", *formats._WAPO_THREAT)
        assert row["flee_status"] in ("", "not", "foot", "car", "other")
        assert row["race"] == "" or set(row["race"].split(";")) <= set("WBANHO")
        assert row["race_source"] in ("clip", "not_available")
        assert row["body_camera"] in ("", "True", "False")
        assert " " not in row["agency_ids"]  # identifiers, never names
    assert formats.race_code("a Black man") == "B" and formats.race_code("Hispanic and white") == "W;H"
    assert formats.state_code("Ohio") == "OH" and formats.state_code("West Yorkshire") is None


def test_iopc_counts_england_and_wales_by_financial_year(db: str) -> None:
    out, note = export(db, "--format", "iopc")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["financial_year", *formats.IOPC_CATEGORIES, "total"]
    years = {r["financial_year"]: r for r in rows}
    # Northampton (11 Apr 2025) and Luton (6 Oct 2025): both 2025/26; Glasgow, Phoenix, the US are not counted
    assert years["2025/26"]["police_shooting"] == "2" and years["2025/26"]["total"] == "2"
    assert sum(int(r["total"]) for r in rows) == 2 and "skipped: not in England or Wales" in note
    assert formats.financial_year("2025-03-31") == "2024/25" and formats.financial_year("2025-04-01") == "2025/26"
    assert formats.financial_year("1999-12-01") == "1999/00" and formats.financial_year(None) == "unknown"


def test_geojson_properties(db: str) -> None:
    geo = json.loads(export(db, "--format", "geojson")[0])
    luton = next(f for f in geo["features"] if f["properties"]["locality"] == "Luton")
    p = luton["properties"]
    for key in ("subject_age", "outcome", "category", "date", "sources", "url", "location_precision", "headline"):
        assert p[key] not in (None, [], ""), key
    assert p["outcome"] == "fatal" and p["location_precision"] == "locality" and len(p["sources"]) == 2
    assert p["conflicts"] == ["timeline.shots_fired"]


def test_export_takes_the_list_filters_and_limit(db: str) -> None:
    gb = records_of(db, "--country", "GB")
    assert gb and all(r["fields"]["country"] == "GB" for r in gb)
    assert len(records_of(db, "--limit", "1")) == 1
    newest = records_of(db, "--sort", "date", "--order", "desc", "--limit", "1")[0]
    assert newest["fields"]["date"] == max(r["fields"]["date"] for r in records(db) if r["fields"].get("date"))
    r = runner.invoke(app, ["export", "--db", db, "--date-from", "2025-13-45"])
    assert r.exit_code == 2 and "no month 13" in r.stderr


def records_of(db: str, *args: str) -> list[dict]:
    return json.loads(export(db, "--format", "json", *args)[0])


def test_datasette_opens_the_file_as_a_documented_data_set(db: str) -> None:
    """Datasette itself (from PyPI) serves the database with the shipped metadata."""
    import asyncio
    import sqlite3

    datasette_app = pytest.importorskip("datasette.app", reason="datasette is in the dev extra")
    from forcewatch.datasette import metadata

    shipped = json.loads((ROOT / "docs" / "datasette-metadata.json").read_text(encoding="utf-8"))
    assert shipped == metadata("forcewatch"), "stale: python -m forcewatch.datasette > docs/datasette-metadata.json"
    copy = Path(db).parent / "forcewatch.db"  # Datasette names a database by its file's stem
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # the WAL's pages too, which a file copy would miss

    async def visit() -> tuple[str, str, list[dict], dict]:
        ds = datasette_app.Datasette([str(copy)], metadata=shipped)
        await ds.invoke_startup()
        home = (await ds.client.get("/")).text
        page = (await ds.client.get("/forcewatch/incidents")).text
        rows = (await ds.client.get("/forcewatch/incidents.json?_shape=array&merged_into__isnull=1")).json()
        meta = (await ds.client.get("/-/metadata.json")).json()
        return home, page, rows, meta

    home, page, rows, meta = asyncio.run(visit())
    assert "forcewatch: deaths and injuries after police contact" in home
    assert "One summary row per incident" in page
    assert "Town or city where it happened." in page  # a column description from the catalogue
    assert "users" not in re.findall(r'href="/forcewatch/(\w+)"', home)  # hidden tables stay hidden
    assert {r["locality"] for r in rows} >= {"Luton", "Phoenix"}
    assert meta["databases"]["forcewatch"]["tables"]["incidents"]["units"]["latitude"] == "degree"


def test_exports_open_in_pandas_as_typed_columns(db: str) -> None:
    """Point 9-12 of issue 12 as a user checks them: each export read by pandas, one row per incident,
    dates, numbers and yes/no as pandas types, and WaPo rows appending to a file in their v2 shape."""
    pd = pytest.importorskip("pandas")
    recs = records(db)
    frame = pd.read_csv(io.StringIO(export(db, "--format", "csv")[0]))
    assert len(frame) == len(recs) and frame["id"].is_unique and list(frame.columns) == formats.CSV_COLUMNS
    assert pd.to_datetime(frame["date"], format="%Y-%m-%d").notna().all()
    assert pd.api.types.is_numeric_dtype(frame["subject_age"]) and frame["subject_age"].dropna().between(0, 120).all()
    assert frame["reviewed"].dtype == bool and frame["source_count"].dtype.kind == "i"
    urls = frame.set_index("locality").loc["Luton", "source_outlets"].split(" | ")
    assert sorted(urls) == ["Bedfordshire Daily Post", "South West Wire"]

    # a row of the Washington Post's own v2 file (invented values, their columns and codes), then ours appended
    theirs = pd.DataFrame(
        [
            {"id": 9001, "date": "2024-01-02", "threat_type": "point", "flee_status": "not", "armed_with": "gun"}
            | {"city": "Marrowby", "county": "", "state": "OH", "latitude": 40.0, "longitude": -83.0}
            | {"location_precision": "not_available", "name": "Ada Voss", "age": 41, "gender": "female", "race": "W"}
            | {"race_source": "clip", "was_mental_illness_related": False, "body_camera": False, "agency_ids": "1"}
        ]
    )
    ours = pd.read_csv(io.StringIO(export(db, "--format", "wapo")[0]), dtype={"agency_ids": str})
    both = pd.concat([theirs, ours], ignore_index=True)
    assert list(both.columns) == list(theirs.columns) == formats.WAPO_COLUMNS  # appended: no new or missing column
    assert len(both) == 1 + len(ours) and pd.to_datetime(both["date"], format="%Y-%m-%d").notna().all()
    assert set(both["body_camera"].dropna()) <= {True, False}

    nested = pd.json_normalize(recs)
    assert {"id", "url", "headline", "reviewed", "fields.date", "fields.category"} <= set(nested.columns)
    geo = json.loads(export(db, "--format", "geojson")[0])
    points = pd.json_normalize(geo["features"])
    assert {"properties.headline", "properties.location_precision", "geometry.coordinates"} <= set(points.columns)
