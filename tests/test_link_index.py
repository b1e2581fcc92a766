"""The linker's persistent index (forcewatch/link/index.py): the same Linker as a full rebuild,
updated per article, rebuilt after a merge, and never re-reading what it already holds."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

from forcewatch.link import index
from forcewatch.link.linker import Linker, profile_of
from forcewatch.pipeline import Options
from forcewatch.run import ingest, load_linker, merge_incidents
from forcewatch.store.db import Store

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus" / "fictional"
OPTIONS = Options(ingested_on=date(2026, 11, 23))


def rebuilt_the_old_way(store: Store) -> Linker:
    """What load_linker did before the index: every linked body and its evidence, read again."""
    linker = Linker()
    linked = store.linked_articles()
    facts = {f.article_id: f for f in store.facts([a for a, _, _ in linked])}
    for article_id, incident_id, body in linked:
        linker.add_existing(incident_id, article_id, profile_of(facts[article_id]), body)
    linker.next_id = max(linker.next_id, store.next_incident_id())
    return linker


def state(linker: Linker) -> dict:
    return {
        "articles": dict(linker.article_incident),
        "profiles": {i: sorted(map(index.profile_json, p.profiles)) for i, p in linker.incidents.items()},
        "by_term": {k: v for k, v in linker.by_term.items() if v},
        "by_name": {k: v for k, v in linker.by_name.items() if v},
        "by_place": {k: set(v) for k, v in linker.by_place.items() if v},
        "next_id": linker.next_id,
        "lsh": sorted(a for a in linker.article_incident if a in linker.lsh),
    }


@pytest.fixture(scope="module")
def files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def base(files, analyser, tmp_path_factory) -> Path:
    """The fictional corpus but its last five articles, ingested once."""
    db = tmp_path_factory.mktemp("index") / "base.db"
    ingest([str(f) for f in files[:-5]], Store(str(db)), OPTIONS, analyser=analyser)
    return db


def copy(base: Path, tmp_path: Path) -> Store:
    for suffix in ("", "-wal", "-shm"):  # SQLite in WAL mode: the log holds recent writes
        if Path(f"{base}{suffix}").exists():
            shutil.copy(f"{base}{suffix}", tmp_path / f"copy.db{suffix}")
    index.forget()
    return Store(str(tmp_path / "copy.db"))


def test_index_gives_the_linker_a_full_rebuild_gives(base, tmp_path):
    store = copy(base, tmp_path)
    assert len(store.linked_articles()) >= 15
    assert state(load_linker(store)) == state(rebuilt_the_old_way(store))
    index.forget()  # from the stored rows alone this time (no bodies, no evidence)
    assert state(load_linker(store)) == state(rebuilt_the_old_way(store))


def test_index_is_updated_per_article_not_rebuilt(base, files, analyser, tmp_path, monkeypatch):
    store = copy(base, tmp_path)
    first = load_linker(store)
    rebuilds = []
    monkeypatch.setattr(index, "_rebuild", lambda s: rebuilds.append(s) or pytest.fail("rebuilt"))
    report = ingest([str(f) for f in files[-5:]], store, OPTIONS, analyser=analyser)
    assert report.relevant >= 1
    again = load_linker(store)
    assert again is first and rebuilds == []  # the same Linker, with the new articles in it
    with store.engine.connect() as conn:
        rows = set(conn.scalars(select(index.linker_index.c.article_id)))
    assert rows == {a for a, _, _ in store.linked_articles()}
    monkeypatch.undo()
    assert state(again) == state(rebuilt_the_old_way(store))


def test_index_follows_a_merge(base, tmp_path):
    store = copy(base, tmp_path)
    linker = load_linker(store)
    target, other = sorted(set(linker.article_incident.values()))[:2]
    merge_incidents(store, target, other, "tester", "the same death")
    after = load_linker(store)
    assert other not in after.article_incident.values()
    assert state(after) == state(rebuilt_the_old_way(store))


def test_index_recomputes_rows_written_by_other_linking_code(base, tmp_path):
    store = copy(base, tmp_path)
    load_linker(store)
    with store.engine.begin() as conn:
        conn.execute(update(index.linker_index).values(version="older", profile="{}"))
    index.forget()
    assert state(load_linker(store)) == state(rebuilt_the_old_way(store))
    with store.engine.connect() as conn:
        assert set(conn.scalars(select(index.linker_index.c.version))) == {index.version()}
