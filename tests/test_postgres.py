"""The store and the whole ingest flow on a real PostgreSQL server, one fresh database per test.

Needs FORCEWATCH_TEST_PG (`eval "$(bash .ci/postgres.sh)"`); skipped without it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from forcewatch.model import Article, ArticleFacts, Evidence, Relevance
from forcewatch.pipeline import Options
from forcewatch.run import ingest
from forcewatch.store.db import Store
from forcewatch.store.schema import Base

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("FORCEWATCH_TEST_PG"), reason="FORCEWATCH_TEST_PG is not set"),
]

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"
FICTIONAL = REPO / "tests" / "corpus" / "fictional"
INGESTED_ON = "2026-11-23"
OPTIONS = Options(ingested_on=date.fromisoformat(INGESTED_ON))

needs_seeds = pytest.mark.skipif(not SEEDS.exists(), reason="../shared/corpus/seeds is not beside the repository")


def test_postgres_migrations_create_every_table(pg_url):
    store = Store(pg_url)
    assert store.engine.dialect.name == "postgresql"
    tables = set(inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    Store(pg_url)  # a second open finds the schema at head and changes nothing
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1


def test_postgres_article_insert_is_idempotent_and_keeps_json(pg_url):
    store = Store(pg_url)
    article = Article.from_text("Officers were called to a flat in Leeds on Monday.", published=date(2024, 3, 4))
    evidence = [
        Evidence("timeline.call_received", {"event": "call_received", "time": "20:00"}, 0, 8, "Officers", 0.9, "t")
    ]
    facts = ArticleFacts(article.id, Relevance(True, "death_in_custody", "test"), evidence)
    assert store.add_article(article, facts) is True
    assert store.add_article(article, facts) is False
    [stored] = store.facts([article.id])
    assert stored.evidence[0].value == {"event": "call_received", "time": "20:00"}
    assert store.article(article.id).published == date(2024, 3, 4)


@needs_seeds
def test_postgres_seeds_make_one_incident_with_the_shots_time_conflict(pg_url, analyser):
    store = Store(pg_url)
    report = ingest([str(SEEDS)], store, OPTIONS, analyser=analyser)
    assert (report.stored, report.relevant, report.problems) == (2, 2, [])
    [incident] = store.incident_rows()
    assert incident.sources == 2
    assert len(store.articles(incident.id)) == 2
    conflicts = [f.field for f in store.incident_fields(incident.id) if f.conflict]
    assert "timeline.shots_fired" in conflicts


@needs_seeds
def test_postgres_reingest_changes_no_row(pg_url, analyser, db_content):
    store = Store(pg_url)
    ingest([str(SEEDS), str(FICTIONAL)], store, OPTIONS, analyser=analyser)
    before = db_content(pg_url)
    report = ingest([str(SEEDS), str(FICTIONAL)], store, OPTIONS, analyser=analyser)
    after = db_content(pg_url)
    assert report.stored == 0 and report.already == before["counts"]["articles"]
    assert set(before["counts"]) >= {
        "articles",
        "evidence",
        "incidents",
        "incident_fields",
        "history",
        "alembic_version",
    }
    assert after["counts"] == before["counts"]
    assert after == before


def _ingest_process(db: str, paths: list[str]) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "forcewatch.cli", "ingest", *paths, "--db", db, "--ingested-on", INGESTED_ON]
    # One hash seed for every process: extraction can still depend on set order (ambiguous place names).
    env = {**os.environ, "PYTHONHASHSEED": "6640"}
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@needs_seeds
def test_postgres_concurrent_ingest_loses_and_duplicates_nothing(new_pg_database, db_content):
    """Two `forcewatch ingest` processes on the same files into one new database, at the same time."""
    paths = [str(FICTIONAL), str(SEEDS)]
    alone, shared = new_pg_database(), new_pg_database()
    reference = _ingest_process(alone, paths)
    assert reference.wait(timeout=300) == 0, reference.stderr.read()

    # Both start on an empty database (not even migrated), so they also race on the schema.
    racers = [_ingest_process(shared, paths) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in racers]
    for p, (_out, errs) in zip(racers, outputs, strict=True):
        assert p.returncode == 0, errs
    stored = sum(int(out.split(" stored")[0]) for out, _ in outputs)

    expected, got = db_content(alone), db_content(shared)
    assert stored == expected["counts"]["articles"]  # each article stored by exactly one process
    assert got["articles"] == expected["articles"]
    assert got["evidence"] == expected["evidence"]
    assert set(got["incidents"]) == set(expected["incidents"])  # the same grouping, no duplicates
    assert got["incidents"] == expected["incidents"]
    assert len(set(got["incident_ids"].values())) == len(got["incident_ids"])
    for table in ("articles", "evidence", "incidents", "incident_fields"):
        assert got["counts"][table] == expected["counts"][table], table


@needs_seeds
def test_postgres_batch_writes_what_ingest_writes(new_pg_database, db_content):
    """`forcewatch batch` (2 Dask workers, one writer) into PostgreSQL, against `forcewatch ingest`."""
    from forcewatch.batch import BatchOptions, run_batch

    paths = [str(FICTIONAL), str(SEEDS)]
    by_ingest, by_batch = new_pg_database(), new_pg_database()
    reference = _ingest_process(by_ingest, paths)
    assert reference.wait(timeout=300) == 0, reference.stderr.read()
    report = run_batch(paths, Store(by_batch), OPTIONS, BatchOptions(workers=2, partition_size=10))
    assert report.problems == [] and report.stored == db_content(by_ingest)["counts"]["articles"]
    got, expected = db_content(by_batch), db_content(by_ingest)
    for key in ("articles", "evidence", "incidents", "incident_ids"):
        assert got[key] == expected[key], key
    assert got["counts"]["batch_partitions"] == report.partitions
