"""Read-only commands start fast: no NLP, web or migration imports, and plain sqlite3 under the data functions.

Start-up time itself is measured in bench/cli.py, not asserted here; these tests pin down what makes
it fast (what a read command imports) and that the sqlite3 read path answers exactly what the
Store's SQLAlchemy engine answers, so one data function serves the CLI, the pages and the JSON.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from forcewatch.pipeline import Options
from forcewatch.run import ingest
from forcewatch.store.db import Store
from forcewatch.store.queries import articles_data, incident_data, incidents_list
from forcewatch.store.reader import SqliteReader, open_reader
from forcewatch.web import data as d

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("spacy", "fastapi", "starlette", "alembic", "numpy", "scipy", "sqlalchemy", "jinja2", "dask", "rich")

PROBE = """
import runpy, sys, json
sys.argv = ["forcewatch", *json.loads(sys.argv[1])]
try:
    runpy.run_module("forcewatch.cli", run_name="__main__")
except SystemExit as e:
    code = e.code
print("\\nIMPORTED " + json.dumps(sorted({m.split(".")[0] for m in sys.modules})), file=sys.stderr)
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("startup") / "x.db")
    paths = [ROOT / "examples" / "corpus", ROOT / "tests" / "corpus" / "web"]
    store = Store(path)
    assert not ingest([str(p) for p in paths], store, Options(ingested_on=date(2025, 11, 1))).problems
    one = incidents_list(store)[0]["id"]
    store.review(one, "subject_name", "Ada Voss", "ed", "named by the force")  # a reviewed value and history
    return path


def imported(db: str, *args: str) -> tuple[str, set[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps([*args, "--db", db])],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    line = done.stderr.rsplit("IMPORTED ", 1)
    assert len(line) == 2, done.stderr
    return done.stdout, set(json.loads(line[1]))


@pytest.mark.parametrize("command", [["incidents"], ["show", "1"], ["incidents", "--json", "--country", "GB"]])
def test_read_commands_import_no_nlp_web_migration_or_orm(db: str, command: list[str]) -> None:
    out, modules = imported(db, *command)
    assert out.strip(), "the command printed nothing"
    if command[0] == "show":
        heavy = set(HEAVY)
    else:
        heavy = set(HEAVY) - {"rich"}  # the incidents table is drawn by Rich
    assert not modules & heavy, sorted(modules & heavy)


def test_export_imports_no_nlp_or_web(db: str) -> None:
    out, modules = imported(db, "export", "--format", "csv")
    assert out.startswith("id,url,")
    assert not modules & {"spacy", "fastapi", "alembic", "numpy", "sqlalchemy"}


def test_sqlite3_and_the_store_engine_give_the_same_answers(db: str) -> None:
    store, fast = Store(db), open_reader(db)
    assert isinstance(fast, SqliteReader)
    ids = [r["id"] for r in incidents_list(store)]
    assert len(ids) == 3 and incidents_list(fast) == incidents_list(store)
    for i in ids:
        slow = incident_data(store, i)
        assert slow is not None and incident_data(fast, i) == slow
        assert d.incident_view(fast, i) == d.incident_view(store, i)
    reviewed = incident_data(fast, ids[0])
    assert reviewed is not None and reviewed["merged"]["subject_name"]["reviewed"] is True
    # one field checked by a person is one field, not the whole incident ("1 of 30 fields checked")
    assert [n for n, m in reviewed["merged"].items() if m["reviewed"]] == ["subject_name"]
    assert reviewed["history"][-1]["kind"] == "review" and reviewed["history"][-1]["new"] == "Ada Voss"
    assert isinstance(reviewed["history"][-1]["at"], str) and "T" in reviewed["history"][-1]["at"]
    for f in (
        d.Filters(),
        d.Filters(country="gb"),
        d.Filters(q="KINGSTHORPE"),
        d.Filters(conflicts="yes"),
        d.Filters(reviewed="yes"),
        d.Filters(date_from="2025-10", date_to="2025-10"),
        d.Filters(agency="wilts"),
    ):
        for sort in d.SORT_KEYS:
            assert d.list_incidents(fast, f, sort, "asc") == d.list_incidents(store, f, sort, "asc"), (f, sort)  # type: ignore[arg-type]
        assert d.matching_ids(fast, f) == d.matching_ids(store, f)
        assert d.facet_counts(fast, f) == d.facet_counts(store, f)
        assert d.map_points(fast, f) == d.map_points(store, f)
        assert d.summary_counts(fast, f) == d.summary_counts(store, f)
    assert d.list_incidents(fast, d.Filters(q="kingsthorpe"))["total"] == 1
    assert d.list_incidents(fast, d.Filters(q="50%"))["total"] == 0  # LIKE wildcards are escaped
    assert d.overview(fast) == d.overview(store) and d.filter_options(fast) == d.filter_options(store)
    articles = list(articles_data(store))
    assert list(articles_data(fast)) == articles
    for a in articles:
        assert d.article_view(fast, a["id"]) == d.article_view(store, a["id"])


def test_evidence_columns_match_the_schema() -> None:
    from forcewatch.store.schema import EVIDENCE_COLUMNS

    assert d.EVIDENCE_COLUMNS == EVIDENCE_COLUMNS


def test_an_older_schema_is_opened_by_the_store_which_migrates_it(db: str, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    with sqlite3.connect(db) as source, sqlite3.connect(old) as copy:
        source.backup(copy)  # the whole database, whatever is still in its write-ahead log
        copy.execute("UPDATE alembic_version SET version_num = '0001'")
    assert open_reader(str(old)) is None  # the CLI then opens a Store, which runs the migrations
    assert open_reader(str(tmp_path / "absent.db")) is None
    assert open_reader("postgresql://nobody@127.0.0.1/none") is None


@pytest.mark.postgres
def test_postgresql_answers_the_data_functions_as_sqlite_does(db: str, pg_url: str) -> None:
    """The same SQL through the Store's engine on PostgreSQL: JSON, booleans and dates read alike."""
    pg = Store(pg_url)
    paths = [ROOT / "examples" / "corpus", ROOT / "tests" / "corpus" / "web"]
    assert not ingest([str(p) for p in paths], pg, Options(ingested_on=date(2025, 11, 1))).problems
    one = incidents_list(pg)[0]["id"]
    pg.review(one, "subject_name", "Ada Voss", "ed", "named by the force")
    lite = open_reader(db)
    assert lite is not None

    def without_times(data: dict | None) -> dict | None:
        if data is not None:
            data["history"] = [{k: v for k, v in h.items() if k != "at"} for h in data["history"]]
        return data

    assert incidents_list(pg) == incidents_list(lite)
    for i in [r["id"] for r in incidents_list(pg)]:
        assert without_times(d.incident_view(pg, i)) == without_times(d.incident_view(lite, i))
    for f in (d.Filters(), d.Filters(q="kingsthorpe"), d.Filters(reviewed="yes"), d.Filters(region="wilt")):
        assert d.list_incidents(pg, f, "place", "desc") == d.list_incidents(lite, f, "place", "desc")
        assert d.facet_counts(pg, f) == d.facet_counts(lite, f) and d.map_points(pg, f) == d.map_points(lite, f)
    assert list(articles_data(pg)) == list(articles_data(lite))
    assert {k: v for k, v in d.overview(pg).items() if k != "updated"} == {
        k: v for k, v in d.overview(lite).items() if k != "updated"
    }
