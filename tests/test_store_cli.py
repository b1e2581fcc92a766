"""End to end through the CLI and the store: ingest, show, export, eval, re-ingest, review, merge, split."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from forcewatch.cli import app
from tests.conftest import REPO, SEEDS, SEEDS_GOLD, needs_shared

runner = CliRunner()
EXAMPLES = REPO / "examples" / "corpus"


def counts(db: str) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    if not SEEDS.exists():
        pytest.skip("../shared is not beside the repository")
    db = str(tmp_path_factory.mktemp("db") / "fw.db")
    result = runner.invoke(app, ["ingest", str(SEEDS), "--db", db, "--ingested-on", "2026-11-23"])
    assert result.exit_code == 0, result.output
    return db


@needs_shared()
def test_seed_incident_shows_facts_quotes_and_conflict(seeded):
    out = runner.invoke(app, ["show", "1", "--db", seeded], terminal_width=200).output
    for expected in (
        "2023-11-23",
        "Dagenham",
        "Metropolitan Police Service",
        "IOPC",
        "investigating",
        "CONFLICT",
        "contradicts itself",
    ):
        assert expected in out
    data = json.loads(runner.invoke(app, ["show", "1", "--db", seeded, "--json"]).output)
    assert len(data["articles"]) == 2
    assert data["fields"]["subject_age"] == 40 and data["fields"]["subject_age_approximate"] is True
    assert any(c["field"] == "timeline.shots_fired" for c in data["conflicts"])


@needs_shared()
def test_reingest_changes_no_row(seeded):
    before = counts(seeded)
    result = runner.invoke(app, ["ingest", str(SEEDS), "--db", seeded])
    assert result.exit_code == 0 and "2 already stored" in result.output
    assert counts(seeded) == before


@needs_shared()
def test_export_json_shape_and_articles(seeded):
    records = json.loads(runner.invoke(app, ["export", "--format", "json", "--db", seeded]).output)
    rec = records[0]
    assert set(rec) >= {"id", "articles", "fields", "evidence", "conflicts"}
    assert {a["path"] for a in rec["articles"]} == {str(p) for p in sorted(SEEDS.iterdir())}
    quote = rec["evidence"]["locality"][0]
    assert set(quote) == {"article", "value", "quote", "start", "end", "value_start", "value_end"}
    assert quote["start"] <= quote["value_start"] < quote["value_end"] <= quote["end"]
    arts = json.loads(runner.invoke(app, ["export", "--articles", "--format", "json", "--db", seeded]).output)
    assert all({"path", "relevant", "category", "reason", "incident"} <= set(a) for a in arts)
    wapo = runner.invoke(app, ["export", "--format", "wapo", "--db", seeded]).stdout  # skip counts go to stderr
    assert wapo.splitlines()[0].startswith("id,date,threat_type,flee_status,armed_with,city")


@needs_shared()
def test_eval_json_keys_and_seed_scores():
    result = json.loads(runner.invoke(app, ["eval", str(SEEDS_GOLD), "--json"]).output)
    assert set(result) == {
        "field_f1",
        "fields_total",
        "fields",
        "relevance",
        "clustering",
        "clustering_bcubed",
        "conflicts",
        "articles",
        "incidents",
        "errors",
    }
    assert {"tp", "fp", "fn"} <= set(result["relevance"]) and isinstance(result["errors"], list)
    assert result["field_f1"] >= 0.95
    assert result["clustering"]["f1"] == 1.0 and result["relevance"]["f1"] == 1.0
    assert result["conflicts"]["recall"] == 1.0


def test_hostile_inputs_reported_and_rest_stored(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "empty.txt").write_text("")
    (corpus / "bin.txt").write_bytes(b"\x00\xff" * 1000)
    (corpus / "bad.jsonl").write_text("{oops\n")
    (corpus / "bad.html").write_text("<html><body><div></div></body></html>")
    for f in EXAMPLES.iterdir():
        (corpus / f.name).write_bytes(f.read_bytes())
    db = str(tmp_path / "fw.db")
    result = runner.invoke(app, ["ingest", str(corpus), "--db", db])
    assert result.exit_code == 2
    for name in ("empty.txt", "bin.txt", "bad.jsonl", "bad.html"):
        assert name in result.output
    assert counts(db)["articles"] == len(list(EXAMPLES.iterdir()))


def test_example_corpus_review_merge_split(tmp_path):
    db = str(tmp_path / "fw.db")
    assert runner.invoke(app, ["ingest", str(EXAMPLES), "--db", db]).exit_code == 0
    rows = json.loads(runner.invoke(app, ["incidents", "--db", db, "--json"]).output)
    assert len(rows) == 2 and sorted(r["sources"] for r in rows) == [1, 2]
    from forcewatch.run import merge_incidents, split_incident
    from forcewatch.store.db import Store
    from forcewatch.store.queries import incident_data

    store = Store(db)
    two = next(r["id"] for r in rows if r["sources"] == 2)
    one = next(r["id"] for r in rows if r["sources"] == 1)
    store.review(two, "subject_name", "Test Person", actor="editor", reason="named at inquest")
    merge_incidents(store, two, one, "editor", "same event")
    data = incident_data(store, two)
    assert len(data["articles"]) == 3 and data["fields"]["subject_name"] == "Test Person"
    assert {h["kind"] for h in data["history"]} >= {"auto", "review", "merge"}
    moved = [a["id"] for a in data["articles"]][-1:]
    new = split_incident(store, two, moved, "editor", "different event")
    assert [a["id"] for a in incident_data(store, new)["articles"]] == moved
    assert store.overrides()[moved[0]] == new


def test_review_updates_list_columns_and_survives_reingest(tmp_path):
    """A reviewed value shows in the incidents list at once, and a later automatic run keeps it."""
    from forcewatch.pipeline import Options
    from forcewatch.run import ingest
    from forcewatch.store.db import Store
    from forcewatch.store.queries import incident_data, incidents_list

    db = str(tmp_path / "fw.db")
    store = Store(db)
    files = sorted(str(p) for p in EXAMPLES.iterdir())
    ingest([f for f in files if "luton" in f][:1], store, Options())
    first = incidents_list(store)[0]
    store.review(first["id"], "locality", "Reviewed Town", actor="editor", reason="checked the map")
    assert incidents_list(store)[0]["locality"] == "Reviewed Town"
    ingest(files, store, Options())  # new articles arrive and incidents are rebuilt
    data = incident_data(store, first["id"])
    assert data["fields"]["locality"] == "Reviewed Town"
    assert data["merged"]["locality"]["reviewed"] and data["merged"]["locality"]["sources"]


def test_iopc_summary_and_geojson_exports(seeded):
    table = runner.invoke(app, ["export", "--format", "iopc", "--db", seeded]).stdout.splitlines()
    assert (
        table[0] == "financial_year,road_traffic,police_shooting,custody,suicide_following_custody,other_contact,total"
    )
    assert table[1] == "2023/24,0,1,0,0,0,1"  # April to March, as the IOPC publishes
    geo = json.loads(runner.invoke(app, ["export", "--format", "geojson", "--db", seeded]).output)
    point = geo["features"][0]
    assert point["properties"]["location_precision"] == "locality"
    assert point["geometry"]["coordinates"][1] == pytest.approx(51.55, abs=0.05)


def test_later_report_names_the_person_and_history_keeps_the_change(tmp_path):
    """A follow-up that names the man updates the record; the history says which article did it."""
    from forcewatch.pipeline import Options
    from forcewatch.run import ingest
    from forcewatch.store.db import Store
    from forcewatch.store.queries import incident_data

    dev = REPO / "tests" / "corpus" / "dev"
    first, follow_up = sorted(dev.glob("h01_*")), sorted(dev.glob("h03_*"))
    store = Store(str(tmp_path / "fw.db"))
    ingest([str(first[0])], store, Options())
    incident_id = store.incident_rows()[0].id
    assert incident_data(store, incident_id)["fields"].get("subject_name") is None
    ingest([str(follow_up[0])], store, Options())
    data = incident_data(store, incident_id)
    assert len(data["articles"]) == 2
    assert data["fields"]["subject_name"] == "Kieran Moseley"
    named = [h for h in data["history"] if h["field"] == "subject_name"]
    follow_up_id = next(a["id"] for a in data["articles"] if a["path"] == str(follow_up[0]))
    assert named[-1]["new"] == "Kieran Moseley" and named[-1]["article"] == follow_up_id
    shots = [h for h in data["history"] if h["field"] == "shots_fired"]
    assert data["merged"]["shots_fired"]["conflict"]  # one shot, then two: a revision flagged, not hidden
    assert shots[0]["new"] == 1
