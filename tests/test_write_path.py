"""The write path: the writer lock, merges that keep reviewed values, unmerge, history of every change.

Each test builds its database from the example corpus (two incidents: one reported twice,
one once) with the real pipeline; nothing is mocked.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from forcewatch.cli import app
from forcewatch.model import Incident, Merged
from forcewatch.pipeline import Options
from forcewatch.run import ingest, merge_incidents, split_incident
from forcewatch.store.db import Store
from forcewatch.store.lock import WriterBusy

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "corpus"
OPTIONS = Options(ingested_on=date(2026, 11, 23))
runner = CliRunner()


@pytest.fixture
def two(tmp_path: Path, analyser) -> tuple[Store, int, int]:  # noqa: ANN001
    """A store with the example corpus: (store, the incident with two reports, the one with one)."""
    store = Store(str(tmp_path / "fw.db"))
    ingest([str(EXAMPLES)], store, OPTIONS, analyser=analyser)
    rows = store.incident_rows()
    assert sorted(r.sources for r in rows) == [1, 2]
    big = next(r.id for r in rows if r.sources == 2)
    small = next(r.id for r in rows if r.sources == 1)
    return store, big, small


def fields(store: Store, incident_id: int) -> dict[str, tuple[object, bool]]:
    return {f.field: (f.value, f.reviewed) for f in store.incident_fields(incident_id)}


# --- the lock -------------------------------------------------------------------------


def test_a_second_store_on_the_same_file_waits_then_fails_clearly(tmp_path: Path):
    first, second = Store(str(tmp_path / "a.db")), Store(str(tmp_path / "a.db"))
    told: list[str] = []
    with first.writer_lock():
        started = time.monotonic()
        with (
            pytest.raises(WriterBusy, match="gave up waiting"),
            second.writer_lock(timeout=0.6, notice_after=0.2, on_wait=told.append),
        ):
            pass
        assert 0.5 < time.monotonic() - started < 5
    assert len(told) == 1 and "another writer holds it" in told[0] and f"pid {os.getpid()}" in told[0]
    with second.writer_lock(timeout=0.5):  # free again once the first lets go
        pass


def test_the_lock_is_reentrant_and_excludes_other_threads(tmp_path: Path):
    store = Store(str(tmp_path / "a.db"))
    order: list[str] = []

    def other_thread() -> None:
        with store.writer_lock():
            order.append("other")

    with store.writer_lock(), store.writer_lock():  # the same thread again: no deadlock
        t = threading.Thread(target=other_thread)
        t.start()
        time.sleep(0.3)
        order.append("first")
    t.join(timeout=10)
    assert order == ["first", "other"]


def test_a_cli_writer_waits_with_a_message_then_exits_75(tmp_path: Path, two):  # noqa: ANN001
    store, big, small = two
    env = {**os.environ, "FORCEWATCH_LOCK_TIMEOUT": "4", "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "forcewatch.cli", "merge", str(big), str(small), "--db", store.url.split("///")[1]]
    with store.writer_lock():
        done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 75, done.stderr
    assert "waiting for" in done.stderr and "another writer holds it" in done.stderr
    assert "gave up waiting" in done.stderr
    assert store.incident(small).merged_into is None  # nothing was written


# --- merges ---------------------------------------------------------------------------


def test_merge_into_itself_is_refused_and_changes_nothing(two):  # noqa: ANN001
    store, big, _ = two
    before = fields(store, big)
    with pytest.raises(ValueError, match="into itself"):
        merge_incidents(store, big, big, "editor", None)
    result = runner.invoke(app, ["merge", str(big), str(big), "--db", store.url.split("///")[1]])
    assert result.exit_code == 1 and "into itself" in result.output
    assert store.incident(big).merged_into is None and fields(store, big) == before
    assert [h.kind for h in store.history(big)].count("merge") == 0


def test_merge_of_a_retired_incident_is_refused(two):  # noqa: ANN001
    store, big, small = two
    merge_incidents(store, big, small, "editor", None)
    with pytest.raises(ValueError, match=f"incident {small} was merged into incident {big}"):
        merge_incidents(store, big, small, "editor", None)


def test_merge_carries_the_absorbed_incidents_reviewed_values(two):  # noqa: ANN001
    store, big, small = two
    store.review(small, "subject_name", "Ada Voss", actor="reviewer-b", reason="named at the inquest")
    assert fields(store, big).get("subject_name", (None, False))[1] is False
    merge_incidents(store, big, small, "editor", "same event")
    assert fields(store, big)["subject_name"] == ("Ada Voss", True)
    carried = [h for h in store.history(big) if h.kind == "merge-review"]
    assert [(h.field, h.new) for h in carried] == [("subject_name", "Ada Voss")]
    assert "by reviewer-b" in carried[0].reason and f"incident {small}" in carried[0].reason
    assert store.incident(big).subject.startswith("Ada Voss")  # the list shows it at once


def test_two_reviewed_values_that_disagree_become_a_conflict_naming_reviewers(two):  # noqa: ANN001
    store, big, small = two
    store.review(big, "subject_name", "Ada Voss", actor="reviewer-a", reason="family statement")
    store.review(small, "subject_name", "Ada Vass", actor="reviewer-b", reason="court list")
    merge_incidents(store, big, small, "editor", "same event")
    [row] = [f for f in store.incident_fields(big) if f.field == "subject_name"]
    assert (row.value, row.reviewed, row.conflict) == ("Ada Voss", True, True)
    assert {"Ada Voss", "Ada Vass"} <= set(row.conflict_values)
    assert row.review_conflicts == [{"value": "Ada Vass", "reviewer": "reviewer-b", "incident": small}]
    [h] = [h for h in store.history(big) if h.kind == "merge-conflict"]
    assert (h.old, h.new) == ("Ada Voss", "Ada Vass") and "reviewer-b" in h.reason
    # A rebuild (a new article) keeps the conflict; a review settles it.
    ingest([str(EXAMPLES)], store, OPTIONS)
    from forcewatch.run import rebuild_incident

    rebuild_incident(store, big, None)
    [row] = [f for f in store.incident_fields(big) if f.field == "subject_name"]
    assert row.conflict and row.review_conflicts
    store.review(big, "subject_name", "Ada Voss", actor="reviewer-c", reason="checked both")
    [row] = [f for f in store.incident_fields(big) if f.field == "subject_name"]
    assert (row.conflict, row.review_conflicts, row.conflict_values) == (False, None, [])


def test_unmerge_restores_both_incidents_and_is_kept_in_history(two):  # noqa: ANN001
    store, big, small = two
    store.review(small, "subject_name", "Ada Voss", actor="reviewer-b", reason="named at the inquest")
    before_big, before_small = fields(store, big), fields(store, small)
    articles_small = sorted(a.id for a in store.articles(small))
    merge_incidents(store, big, small, "editor", "same event")
    assert store.articles(small) == []

    result = runner.invoke(app, ["unmerge", str(small), "--db", store.url.split("///")[1], "--reason", "not the same"])
    assert result.exit_code == 0, result.output
    assert sorted(a.id for a in store.articles(small)) == articles_small
    assert store.incident(small).merged_into is None and store.incident(small).sources == 1
    assert fields(store, small) == before_small
    assert fields(store, big) == before_big  # the carried review is gone, the automatic value is back
    assert {h.kind for h in store.history(big)} >= {"merge", "merge-review", "unmerge"}
    assert any(h.kind == "unmerge" and h.field is None for h in store.history(small))
    assert store.overrides() == {a: small for a in articles_small} | {
        a.id: big for a in store.articles(big) if a.id in store.overrides()
    }
    again = runner.invoke(app, ["unmerge", str(small), "--db", store.url.split("///")[1]])
    assert again.exit_code == 1 and "is not merged" in again.output


# --- history --------------------------------------------------------------------------


def test_a_field_removed_by_a_rebuild_is_a_history_row(two):  # noqa: ANN001
    store, big, _ = two
    stored = {f.field: f for f in store.incident_fields(big)}
    kept = sorted(stored)[1:]
    gone = sorted(stored)[0]
    incident = Incident(
        big,
        [a.id for a in store.articles(big)],
        {name: Merged(name, stored[name].value, stored[name].rule, stored[name].support, []) for name in kept},
    )
    store.save_incident(incident, 2, None)
    assert gone not in fields(store, big)
    last = store.history(big)[-1]
    assert (last.field, last.old, last.new, last.kind) == (gone, stored[gone].value, None, "auto")


def test_split_records_every_field_it_changes(two):  # noqa: ANN001
    store, big, _ = two
    before = fields(store, big)
    moved = [store.articles(big)[-1].id]
    new = split_incident(store, big, moved, "editor", "two events")
    after = fields(store, big)
    for name, (value, _) in before.items():
        if after.get(name, (None,))[0] != value:
            assert any(h.field == name and h.old == value for h in store.history(big)), name
    assert store.overrides()[moved[0]] == new
    with pytest.raises(ValueError, match="some, not all"):
        split_incident(store, big, [a.id for a in store.articles(big)], "editor", None)


# --- bulk writes ------------------------------------------------------------------------


def _articles_with_evidence(n: int) -> list:
    from forcewatch.model import Article, ArticleFacts, Evidence, Relevance

    out = []
    for i in range(n):
        article = Article.from_text(
            f"Officers in Marrowby attended report {i}; a man, {20 + i}, was hurt.", path=f"a{i}"
        )
        evidence = [
            Evidence("subject_age", 20 + i, 0, 10, f"a man, {20 + i}", 0.9, "test", article.id),
            Evidence("force_used", ["taser", "baton"] if i % 2 else None, 0, 10, "quote", 0.5, "test", article.id),
            Evidence("locality", "Marrowby", 12, 20, "in Marrowby", 0.7, "test", article.id, 12, 20),
        ]
        out.append((article, ArticleFacts(article.id, Relevance(i % 3 == 0, "custody", "cue"), evidence)))
    return out


def _bulk_equals_one_by_one(bulk_db: str, single_db: str, db_content) -> None:  # noqa: ANN001
    items = _articles_with_evidence(120)
    bulk, single = Store(bulk_db), Store(single_db)
    assert bulk.add_articles(items + items[:5]) == {a.id for a, _ in items}  # a duplicate inside the chunk
    assert bulk.add_articles(items[:10]) == set()  # already stored: ids checked per chunk
    for article, facts in items:
        assert single.add_article(article, facts)
    got, expected = db_content(bulk_db), db_content(single_db)
    assert got["articles"] == expected["articles"] and got["evidence"] == expected["evidence"]
    assert got["counts"]["evidence"] == 360
    assert bulk.facts([items[1][0].id])[0].evidence[1].value == ["taser", "baton"]


def test_bulk_insert_stores_what_one_by_one_inserts_store_sqlite(tmp_path: Path, db_content):  # noqa: ANN001
    _bulk_equals_one_by_one(str(tmp_path / "bulk.db"), str(tmp_path / "single.db"), db_content)


@pytest.mark.postgres
def test_bulk_copy_stores_what_one_by_one_inserts_store_postgres(new_pg_database, db_content):  # noqa: ANN001
    """Chunks of 50 or more go in by COPY on PostgreSQL: the same rows, JSON values included."""
    _bulk_equals_one_by_one(new_pg_database(), new_pg_database(), db_content)


def test_facts_are_all_returned_when_the_cache_fills_during_the_call(tmp_path, monkeypatch):
    """Store.facts keeps reports' facts in a bounded cache; filling it in the middle of a call must
    not lose the facts this call already read."""
    import forcewatch.store.db as db
    from forcewatch.model import Article, ArticleFacts, Evidence, Relevance

    store = db.Store(str(tmp_path / "f.db"))
    ids = [f"r{i}" for i in range(7)]
    for aid in ids:
        article = Article(id=aid, body=f"Report {aid} body text.")
        evidence = [Evidence("region", "Northshire", 0, 6, "Report", 0.8, "test", aid)]
        store.add_article(article, ArticleFacts(aid, Relevance(True, "custody", "test"), evidence))
    monkeypatch.setattr(db, "FACTS_CACHE", 3)
    store._facts.clear()
    got = store.facts(ids)
    assert [f.article_id for f in got] == ids
    assert all(f.evidence and f.evidence[0].value == "Northshire" for f in got)
