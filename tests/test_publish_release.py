"""Releases: dated numbered snapshots with a changelog (added, merged, split, retired, fields), diff, web."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from forcewatch.cli import WAPO_COLUMNS
from forcewatch.cli import app as cli_app
from forcewatch.publish.release import diff, make_release, release_file
from forcewatch.run import merge_incidents, rebuild_incident, split_incident
from forcewatch.store.db import Store
from forcewatch.web import create_app
from tests.publish_data import report, shooting

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture()
def released(tmp_path: Path) -> tuple[Store, str, dict]:
    """Release 1 of three incidents; then a review, a new report, a merge, a split and a new incident; release 2."""
    s = Store(str(tmp_path / "release.db"))
    where = [("latitude", 29.73, "The scene was at latitude 29.73."), ("longitude", -95.47, "And longitude -95.47.")]
    report(
        s, 1, "Gulfton Beacon", date(2024, 3, 4), shooting("Daniel Voss", 34, "Houston", "Texas", "2024-03-03") + where
    )
    other = [
        ("category", "police_shooting", "A second man, Ray Brackley, 40, was shot by Houston officers on 2024-03-02."),
        ("subject_name", "Ray Brackley", "Police named him as Ray Brackley."),
        ("date", "2024-03-02", "It happened on 2024-03-02."),
    ]
    wrongly_linked = report(s, 1, "Harris Herald", date(2024, 3, 5), other)
    report(
        s, 2, "Linden Ledger", date(2024, 5, 2), shooting("Tom Pellow", 27, "Columbus", "Ohio", "2024-05-01", "knife")
    )
    report(
        s,
        3,
        "Scioto Report",
        date(2024, 5, 3),
        shooting("Thomas Pellow", 27, "Columbus", "Ohio", "2024-05-01", "knife"),
    )
    first, log1 = make_release(s, "2024-first")
    assert (first.number, first.incidents) == (1, 3)
    assert log1["previous"] is None and [a["id"] for a in log1["added"]] == [1, 2, 3]
    s.review(1, "subject_age", 35, "alice", "The medical examiner gives 35", quote="aged 35, the examiner said")
    report(
        s, 2, "Capital Report", date(2024, 5, 4), [("body_camera", True, "Officers wore body cameras, the chief said.")]
    )
    merge_incidents(s, 2, 3, "bob", "Same shooting, same street")
    assert split_incident(s, 1, [wrongly_linked], "carol", "A different man on another day") == 4
    report(s, 5, "Dayton Post", date(2024, 6, 2), shooting("Lee Ashby", 45, "Dayton", "Ohio", "2024-06-01"))
    second, log2 = make_release(s, "2024-second")
    assert (second.number, second.incidents) == (2, 4)
    return s, wrongly_linked, log2


def test_changelog_field_by_field(released: tuple[Store, str, dict]) -> None:
    store, moved, log = released
    assert log["previous"]["number"] == 1 and log["release"]["name"] == "2024-second"
    assert log["counts"] == {
        "incidents_before": 3,
        "incidents_after": 4,
        "added": 2,
        "merged": 1,
        "split": 1,
        "retired": 0,
        "fields_changed": 5,
    }
    assert [(a["id"], a["split_from"], a["subject_name"]) for a in log["added"]] == [
        (4, 1, "Ray Brackley"),
        (5, None, "Lee Ashby"),
    ]
    [merged] = log["merged"]
    assert (merged["id"], merged["into"], merged["actor"], merged["reason"]) == (
        3,
        2,
        "bob",
        "Same shooting, same street",
    )
    [split] = log["split"]
    assert (split["from"], split["into"], split["articles"], split["actor"]) == (1, 4, [moved], "carol")
    changed = {(c["incident"], c["field"]): c for c in log["changed"]}
    assert {k: (c["old"], c["new"], c["reviewed"]) for k, c in changed.items()} == {
        (1, "date"): ("2024-03-02", "2024-03-03", False),  # the split took the other report's date away
        (1, "subject_age"): (34, 35, True),
        (1, "subject_name"): ("Ray Brackley", "Daniel Voss", False),
        (2, "body_camera"): (None, True, False),
        (2, "subject_name"): ("Tom Pellow", "Thomas Pellow", False),  # the merged report is the latest
    }
    age = changed[(1, "subject_age")]
    assert [(h["kind"], h["actor"], h["reason"], h["quote"]) for h in age["history"]] == [
        ("review", "alice", "The medical examiner gives 35", "aged 35, the examiner said")
    ]
    camera = changed[(2, "body_camera")]
    assert [e["quote"] for e in camera["evidence"]] == ["Officers wore body cameras, the chief said."]
    assert (
        camera["history"][0]["kind"] == "auto" and camera["history"][0]["article"] == camera["evidence"][0]["article"]
    )


def test_release_files_and_diff(released: tuple[Store, str, dict]) -> None:
    store, _, log = released
    content, media = release_file(store, 2, "incidents.csv")  # type: ignore[misc]
    assert media.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert list(rows[0]) == WAPO_COLUMNS
    assert sorted((r["id"], r["name"]) for r in rows) == [
        ("1", "Daniel Voss"),
        ("2", "Thomas Pellow"),
        ("4", "Ray Brackley"),
        ("5", "Lee Ashby"),
    ]
    geo = json.loads(release_file(store, 2, "incidents.geojson")[0])  # type: ignore[index]
    assert [(f["properties"]["id"], f["geometry"]["coordinates"]) for f in geo["features"]] == [(1, [-95.47, 29.73])]
    snapshot = json.loads(release_file(store, 1, "incidents.json")[0])  # type: ignore[index]
    assert [r["id"] for r in snapshot] == [1, 2, 3] and snapshot[0]["fields"]["subject_age"] == 34
    assert json.loads(release_file(store, 2, "changelog.json")[0])["changed"] == log["changed"]  # type: ignore[index]
    by_name = diff(store, "2024-first", "2024-second")
    assert by_name["changed"] == log["changed"] and by_name["merged"] == log["merged"]
    assert diff(store, 1, 1)["counts"]["fields_changed"] == 0


def test_cli_release_diff_and_web(released: tuple[Store, str, dict], tmp_path: Path) -> None:
    store, _, log = released
    db = store.url.removeprefix("sqlite:///")
    runner = CliRunner()
    out = runner.invoke(cli_app, ["diff", "1", "2", "--db", db])
    assert out.exit_code == 0, out.output
    assert "release 1 -> 2: 3 -> 4 incidents; 2 added, 1 merged, 1 split, 0 retired, 5 fields changed" in out.output
    assert "merged incident 3 into 2 by bob: Same shooting, same street" in out.output
    assert "incident 1 subject_age: 34 -> 35  [alice (review): The medical examiner gives 35]" in out.output
    as_json = runner.invoke(cli_app, ["diff", "2024-first", "2024-second", "--db", db, "--json"])
    assert json.loads(as_json.output)["counts"] == log["counts"]
    assert runner.invoke(cli_app, ["diff", "1", "9", "--db", db]).exit_code == 2
    third = runner.invoke(cli_app, ["release", "2024-third", "--db", db, "-o", str(tmp_path / "out")])
    assert third.exit_code == 0, third.output
    assert (
        "release 3 2024-third" in third.output
        and "0 added, 0 merged, 0 split, 0 retired, 0 fields changed" in third.output
    )
    assert sorted(p.name for p in (tmp_path / "out" / "release-3").iterdir()) == [
        "changelog.json",
        "incidents.csv",
        "incidents.geojson",
        "incidents.json",
    ]
    again = runner.invoke(cli_app, ["release", "2024-third", "--db", db])
    assert again.exit_code == 2 and "exists already" in again.output
    listed = runner.invoke(cli_app, ["releases", "--db", db, "--json"])
    assert [r["name"] for r in json.loads(listed.output)] == ["2024-first", "2024-second", "2024-third"]

    client = TestClient(create_app(store, secret="test-secret"))
    page = client.get("/releases")
    assert page.status_code == 200 and "2024-second" in page.text and 'href="/releases/2/incidents.csv"' in page.text
    detail = client.get("/releases/2")
    assert detail.status_code == 200
    assert 'incident 3 into <a href="/incidents/2">2</a> by bob: Same shooting, same street' in detail.text
    assert "The medical examiner gives 35" in detail.text
    csv_file = client.get("/releases/2/incidents.csv")
    assert csv_file.status_code == 200 and csv_file.headers["content-type"].startswith("text/csv")
    assert 'filename="forcewatch-release-2-incidents.csv"' in csv_file.headers["content-disposition"]
    assert client.get("/releases/2/changelog.json").json()["counts"] == log["counts"]
    assert client.get("/api/releases").json()[1]["summary"] == log["counts"]
    assert client.get("/releases/9").status_code == 404
    assert client.get("/releases/2/secrets.txt").status_code == 404


def test_an_incident_emptied_by_a_split_is_retired(tmp_path: Path) -> None:
    s = Store(str(tmp_path / "retired.db"))
    only = report(s, 1, "Dayton Post", date(2024, 6, 2), shooting("Lee Ashby", 45, "Dayton", "Ohio", "2024-06-01"))
    make_release(s, "before")
    with pytest.raises(ValueError):  # the CLI and the web refuse to move every article...
        split_incident(s, 1, [only], "carol", "Start again as a new record")
    # ...but the store can still empty an incident (a relink of all its reports): it is retired.
    s.relink([only], 2, "split", "carol", "Start again as a new record", source=1)
    rebuild_incident(s, 2, None)
    rebuild_incident(s, 1, None)
    _, log = make_release(s, "after")
    assert [(a["id"], a["split_from"], a["subject_name"]) for a in log["added"]] == [(2, 1, "Lee Ashby")]
    [retired] = log["retired"]
    assert (retired["id"], retired["subject_name"]) == (1, "Lee Ashby")
    assert (retired["because"]["kind"], retired["because"]["actor"]) == ("split", "carol")
    assert log["merged"] == [] and log["changed"] == []
