"""Possible duplicates (issue 10 point 4): one data function behind `forcewatch duplicates`, /api/duplicates
and the /duplicates page; an editor merges a pair (the merge path, with history) or keeps it apart (a split
in both histories), and nothing is merged without them."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from forcewatch.cli import app as cli_app
from forcewatch.pipeline import Options
from forcewatch.run import ingest, load_linker
from forcewatch.store.db import Store
from forcewatch.store.queries import incident_data
from forcewatch.web import create_app
from forcewatch.web.auth import hash_password

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parent.parent
#: Two fictional reports of one restraint death in one town two days apart; the second names no force
#: and no age, so the evidence (town, date, category) stays just below the linking threshold.
CORPUS = ROOT / "tests" / "corpus" / "duplicates"
EDITOR, PASSWORD = "editor", "a long test password"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("dup") / "dup.db"
    store = Store(str(db))
    assert not ingest(
        [str(CORPUS), str(ROOT / "examples" / "corpus")], store, Options(ingested_on=date(2025, 7, 1))
    ).problems
    store.add_user(EDITOR, hash_password(PASSWORD))
    return db


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    """A fresh copy per test: the decisions below change the database."""
    import sqlite3

    copy = tmp_path / "dup.db"
    with sqlite3.connect(built) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return copy


def pair_ids(store: Store) -> tuple[int, int]:
    by_name = {Path(a.path or "").name: a.incident_id for a in store.articles()}
    first = by_name["wellingborough_restraint_ise_valley_echo.txt"]
    second = by_name["wellingborough_tribute_nene_evening_star.txt"]
    assert first is not None and second is not None and first != second  # not linked by themselves
    return min(first, second), max(first, second)


def sign_in(client: TestClient) -> str:
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text)
    assert token
    r = client.post(
        "/login",
        data={"name": EDITOR, "password": PASSWORD, "csrf_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    again = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/duplicates").text)
    assert again
    return again.group(1)


def test_one_list_in_the_cli_the_api_and_the_page(db: Path) -> None:
    store = Store(str(db))
    first, second = pair_ids(store)
    client = TestClient(create_app(store))
    listed = client.get("/api/duplicates").json()
    assert [(p["first"]["id"], p["second"]["id"]) for p in listed] == [(first, second)]
    pair = listed[0]
    assert 2.0 <= pair["score"] < pair["threshold"] == 3.0
    kinds = {e["kind"]: e for e in pair["for"]}
    assert {"town or region", "date", "category"} <= set(kinds)
    assert kinds["date"]["first"] == "2025-06-01" and kinds["date"]["second"] == "2025-06-03"
    assert kinds["category"]["first"] == "Other police contact"  # labels, not codes
    assert all(e["points"] > 0 for e in pair["for"]) and all(e["points"] < 0 for e in pair["against"])
    assert "Wellingborough" in pair["first"]["headline"] and pair["second"]["sources"] == 1

    cli = CliRunner().invoke(cli_app, ["duplicates", "--db", str(db), "--json"])
    assert cli.exit_code == 0 and [json.loads(line) for line in cli.stdout.splitlines()] == listed
    text = CliRunner().invoke(cli_app, ["duplicates", "--db", str(db)], terminal_width=80).stdout
    assert f"Incidents {first} and {second}: score 2.5 of 3.0" in text and f"forcewatch apart {first} {second}" in text
    assert max(len(line) for line in text.splitlines()) <= 80

    page = client.get("/duplicates")
    assert page.status_code == 200
    assert f'href="/incidents/{first}"' in page.text and f'href="/incidents/{second}"' in page.text
    assert "Town or region" in page.text and "2025-06-03" in page.text and "for</span>" in page.text
    assert "Sign in</a> as an editor to merge" in page.text and "apart-pair" not in page.text  # readers cannot decide
    assert len(load_linker(store).incidents) == 4  # listing merged nothing


def test_confirming_merges_through_the_merge_path_with_history(db: Path) -> None:
    store = Store(str(db))
    first, second = pair_ids(store)
    client = TestClient(create_app(store))
    token = sign_in(client)
    form = re.search(
        r'<form method="post" action="(/incidents/\d+/merge)" class="stack merge-pair">', client.get("/duplicates").text
    )
    assert form and form.group(1) == f"/incidents/{first}/merge"
    r = client.post(
        form.group(1), data={"other": str(second), "reason": "same death", "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303
    merged = incident_data(store, first)
    assert merged is not None and len(merged["articles"]) == 2
    assert any(h["kind"] == "merge" and h["actor"] == EDITOR for h in merged["history"])
    assert client.get(f"/incidents/{second}", follow_redirects=False).headers["location"] == f"/incidents/{first}"
    assert client.get("/api/duplicates").json() == []


def test_not_the_same_keeps_them_apart_in_both_histories(db: Path) -> None:
    store = Store(str(db))
    first, second = pair_ids(store)
    client = TestClient(create_app(store))
    token = sign_in(client)
    assert client.post(f"/incidents/{first}/apart", data={"other": str(second)}).status_code == 403  # no CSRF token
    r = client.post(
        f"/incidents/{first}/apart",
        data={"other": str(second), "reason": "two deaths", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/duplicates"
    assert client.get("/api/duplicates").json() == []
    assert "No possible duplicates." in client.get("/duplicates").text
    assert frozenset((first, second)) in store.split_pairs()  # linking never heals them
    for i in (first, second):
        data = incident_data(store, i)
        assert data is not None and len(data["articles"]) == 1  # nothing moved
        assert any(h["kind"] == "split" and h["reason"] == "two deaths" for h in data["history"])
    refused = CliRunner().invoke(cli_app, ["apart", str(first), "999", "--db", str(db)])
    assert refused.exit_code == 1 and "apart refused" in refused.stderr
