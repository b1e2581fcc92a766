"""The linker's persistent index (forcewatch/link/index.py): written in the linking transaction,
the same Linker as a full rebuild, updated per article, reloaded after a person's merge, and
the same incidents whether a corpus goes in with one call, two, or two with the index dropped."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from forcewatch.link import index
from forcewatch.link.linker import Linker, profile_of
from forcewatch.pipeline import Options
from forcewatch.run import ingest, load_linker, merge_incidents, split_incident, unmerge_incident
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
    linker.apart = store.split_pairs()
    return linker


def state(linker: Linker) -> dict:
    live = {a: linker.live(i) for a, i in linker.article_incident.items()}
    return {
        "articles": live,
        "profiles": {i: sorted(map(index.profile_json, p.profiles)) for i, p in linker.incidents.items() if p.profiles},
        "by_name": {k: {linker.live(i) for i in v} for k, v in linker.by_name.items() if v},
        "by_term": {k: {linker.live(i) for i in v} for k, v in linker.by_term.items() if v},
        "by_place": {k: {linker.live(i) for i in v} for k, v in linker.by_place.items() if v},
        "next_id": linker.next_id,
        "apart": linker.apart,
        "lsh": sorted(a for a in linker.article_incident if a in linker.lsh),
    }


def index_rows(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(index.linker_index.c.article_id, index.linker_index.c.incident_id)).all())


def linked(store: Store) -> dict[str, int]:
    return {a: i for a, i, _ in store.linked_articles()}


@pytest.fixture(scope="module")
def files() -> list[Path]:
    found = sorted(CORPUS.glob("*.txt"))
    assert len(found) >= 20
    return found


@pytest.fixture(scope="module")
def one_call(files, analyser, tmp_path_factory) -> Path:
    """The whole fictional corpus, ingested with one call."""
    db = tmp_path_factory.mktemp("index") / "one.db"
    index.forget()
    ingest([str(f) for f in files], Store(str(db)), OPTIONS, analyser=analyser)
    index.forget()
    return db


def copy(db: Path, tmp_path: Path) -> Store:
    for suffix in ("", "-wal", "-shm"):  # SQLite in WAL mode: the log holds recent writes
        if Path(f"{db}{suffix}").exists():
            shutil.copy(f"{db}{suffix}", tmp_path / f"copy.db{suffix}")
    index.forget()
    return Store(str(tmp_path / "copy.db"))


@pytest.mark.parametrize("between", ["new process", "index dropped"])
def test_two_calls_give_the_incidents_of_one_call(between, files, analyser, one_call, tmp_path, db_content):
    """Half the corpus, then (in a new process: memory forgotten; or with the index's rows
    deleted, so the second call rebuilds them from the stored evidence) the other half."""
    db = tmp_path / "two.db"
    half = len(files) // 2
    ingest([str(f) for f in files[:half]], Store(str(db)), OPTIONS, analyser=analyser)
    index.forget()
    store = Store(str(db))
    if between == "index dropped":
        with store.engine.begin() as conn:
            conn.execute(delete(index.linker_index))
    ingest([str(f) for f in files[half:]], store, OPTIONS, analyser=analyser)
    got, want = db_content(str(db)), db_content(str(one_call))
    assert len(want["incidents"]) >= 10
    assert got["incident_ids"] == want["incident_ids"]  # the same articles, under the same ids
    assert got["incidents"] == want["incidents"]  # the same fields, conflicts and history
    assert index_rows(store) == linked(store)
    assert index_rows(store) == index_rows(Store(str(one_call)))


def test_index_gives_the_linker_a_full_rebuild_gives(one_call, tmp_path):
    store = copy(one_call, tmp_path)
    assert state(load_linker(store)) == state(rebuilt_the_old_way(store))
    index.forget()  # from the stored rows alone this time (no bodies, no evidence)
    assert state(load_linker(store)) == state(rebuilt_the_old_way(store))


def test_rows_are_written_with_the_links_in_one_transaction(files, analyser, tmp_path):
    """A chunk whose transaction fails leaves neither links nor rows, and the Linker in memory
    (which linked them) is dropped, so the next load agrees with the store."""
    store = Store(str(tmp_path / "tx.db"))
    index.forget()
    ingest([str(f) for f in files[:10]], store, OPTIONS, analyser=analyser)
    before_rows, before_links = index_rows(store), linked(store)
    assert before_rows == before_links and before_rows
    memory = load_linker(store)
    with pytest.raises(RuntimeError), store.transaction():
        ingest([str(f) for f in files[10:20]], store, OPTIONS, analyser=analyser)
        assert len(index_rows_in(store)) > len(before_rows)  # written inside, with the links
        raise RuntimeError("the disk is full")
    assert index_rows(store) == before_rows and linked(store) == before_links
    again = load_linker(store)
    assert again is not memory
    assert state(again) == state(rebuilt_the_old_way(store))


def index_rows_in(store: Store) -> list[str]:
    """Rows as the open transaction sees them."""
    with store.transaction() as s:
        return list(s.scalars(select(index.linker_index.c.article_id)))


def test_index_is_updated_per_article_not_reloaded(one_call, files, analyser, tmp_path, monkeypatch):
    store = Store(str(tmp_path / "per.db"))
    index.forget()
    ingest([str(f) for f in files[:-5]], store, OPTIONS, analyser=analyser)
    first = load_linker(store)
    loads = []
    monkeypatch.setattr(index, "_load", lambda s: loads.append(s) or pytest.fail("reloaded"))
    monkeypatch.setattr(index, "repair", lambda s, p=True: pytest.fail("repaired"))
    for f in files[-5:]:  # one call per item, as `watch` makes
        ingest([str(f)], store, OPTIONS, analyser=analyser)
        assert load_linker(store) is first
    assert loads == []
    monkeypatch.undo()
    assert index_rows(store) == linked(store)
    assert state(first) == state(rebuilt_the_old_way(store))


def test_index_follows_a_merge_an_unmerge_and_a_split(one_call, tmp_path):
    store = copy(one_call, tmp_path)
    linker = load_linker(store)
    incidents = sorted({linker.live(i) for i in linker.article_incident.values()})
    target, other = incidents[:2]
    merge_incidents(store, target, other, "tester", "the same death")
    assert index_rows(store) == linked(store)
    after = load_linker(store)
    assert after is not linker and other not in {after.live(i) for i in after.article_incident.values()}
    assert state(after) == state(rebuilt_the_old_way(store))
    unmerge_incident(store, other, "tester", "not the same")
    assert index_rows(store) == linked(store)
    assert state(load_linker(store)) == state(rebuilt_the_old_way(store))
    biggest = max(incidents, key=lambda i: len(store.articles(i)))
    moved = [a.id for a in store.articles(biggest)][:1]
    new_id = split_incident(store, biggest, moved, "tester", "two events")
    assert index_rows(store) == linked(store)
    split = load_linker(store)
    assert frozenset((biggest, new_id)) in split.apart
    assert state(split) == state(rebuilt_the_old_way(store))


def test_rows_written_by_other_linking_code_or_missing_are_rebuilt_once(one_call, tmp_path, capfd):
    store = copy(one_call, tmp_path)
    want = state(rebuilt_the_old_way(store))
    with store.engine.begin() as conn:
        conn.execute(update(index.linker_index).values(version="older", profile="{}"))
        first = conn.execute(select(func.min(index.linker_index.c.article_id))).scalar_one()
        conn.execute(delete(index.linker_index).where(index.linker_index.c.article_id == first))
    index.forget()
    assert state(load_linker(store)) == want
    with store.engine.connect() as conn:
        assert set(conn.scalars(select(index.linker_index.c.version))) == {index.version()}
    assert index_rows(store) == linked(store)
    assert index.repair(store) == 0  # once: nothing left to do


@pytest.fixture
def snapshots(tmp_path, monkeypatch):
    """Snapshots on (for any size) in a cache of the test's own."""
    from forcewatch.link import snapshot

    monkeypatch.setenv("FORCEWATCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "MIN_ROWS", 1)
    monkeypatch.setattr(snapshot, "BEHIND", 3)
    snapshot._SAVED.clear()
    yield snapshot
    snapshot._SAVED.clear()


def test_a_new_process_starts_from_the_snapshot_and_catches_up(
    one_call, files, analyser, tmp_path, snapshots, monkeypatch
):
    """The first load from the rows saves a snapshot; a later process starts from it (no row is
    parsed), catches up the rows linked since, and holds the Linker a rebuild gives."""
    db = tmp_path / "snap.db"
    store = Store(str(db))
    index.forget()
    ingest([str(f) for f in files[:12]], store, OPTIONS, analyser=analyser)
    index.forget()
    load_linker(store)  # a new process: from the rows, then saved
    path = snapshots.path_for(store.url)
    assert path.exists()
    saved = len(index_rows(store))
    for f in files[12:14]:  # fewer than BEHIND more rows: no new snapshot
        ingest([str(f)], store, OPTIONS, analyser=analyser)
    assert 0 < len(index_rows(store)) - saved < snapshots.BEHIND
    index.forget()
    with monkeypatch.context() as m:
        m.setattr(index, "_load", lambda s: pytest.fail("loaded from the rows"))
        resumed = load_linker(store)  # the snapshot, then the rows since
    assert state(resumed) == state(rebuilt_the_old_way(store))
    before = path.stat().st_mtime_ns
    for f in files[14:]:
        ingest([str(f)], store, OPTIONS, analyser=analyser)
    assert len(index_rows(store)) - saved >= snapshots.BEHIND
    assert path.stat().st_mtime_ns != before  # BEHIND rows past it: written again
    index.forget()
    assert state(load_linker(store)) == state(rebuilt_the_old_way(store))
    assert index_rows(store) == linked(store)


def test_a_snapshot_of_another_database_or_code_or_damaged_is_not_used(one_call, tmp_path, snapshots, monkeypatch):
    store = copy(one_call, tmp_path)
    load_linker(store)
    path = snapshots.path_for(store.url)
    assert path.exists()
    good = path.read_bytes()
    # another database at the same path: the row at the snapshot's last seq is not its row
    with store.engine.begin() as conn:
        last = conn.execute(select(func.max(index.linker_index.c.seq))).scalar_one()
        conn.execute(update(index.linker_index).where(index.linker_index.c.seq == last).values(seq=last + 1000))
    index.forget()
    assert snapshots.load(store) is None
    with store.engine.begin() as conn:
        conn.execute(update(index.linker_index).where(index.linker_index.c.seq == last + 1000).values(seq=last))
    assert snapshots.load(store) is not None
    # other linking code
    with monkeypatch.context() as m:
        m.setattr(index, "version", lambda: "other")
        assert snapshots.load(store) is None
    # a damaged file: no snapshot, the rows are loaded, and a good snapshot is written again
    path.write_bytes(good[: len(good) // 2])
    assert snapshots.load(store) is None
    index.forget()
    assert state(load_linker(store)) == state(rebuilt_the_old_way(store))
    assert snapshots.load(store) is not None


def test_a_repair_drops_the_snapshot(one_call, tmp_path, snapshots):
    """Rows rebuilt by a repair replace old articles' rows: a catch-up by seq would keep the old."""
    store = copy(one_call, tmp_path)
    load_linker(store)
    path = snapshots.path_for(store.url)
    assert path.exists()
    with store.engine.begin() as conn:
        conn.execute(update(index.linker_index).values(version="older"))
    index.forget()
    assert state(load_linker(store)) == state(rebuilt_the_old_way(store))
    assert snapshots.load(store) is not None  # the one saved after the reload, of the repaired rows


def test_a_merge_made_elsewhere_is_folded_in_not_reloaded(one_call, tmp_path, snapshots, monkeypatch):
    """Another process merged two incidents (healing does this too) after the snapshot: the next
    process folds the merge in as the Linker heals, without reading every row; an unmerge since
    (articles left an incident) is a reload."""
    store = copy(one_call, tmp_path)
    linker = load_linker(store)  # saves the snapshot
    incidents = sorted({linker.live(i) for i in linker.article_incident.values()})
    target, other = incidents[:2]
    index.forget()  # another process
    merge_incidents(store, target, other, "tester", "the same death")
    index.forget()
    with monkeypatch.context() as m:
        m.setattr(index, "_load", lambda s: pytest.fail("loaded from the rows"))
        after = load_linker(store)
    assert after.live(other) == target
    assert state(after) == state(rebuilt_the_old_way(store))
    index.forget()
    unmerge_incident(store, other, "tester", "not the same")
    index.forget()
    loads = []
    real = index._load
    monkeypatch.setattr(index, "_load", lambda s: loads.append(1) or real(s))
    again = load_linker(store)
    assert loads == [1]
    assert state(again) == state(rebuilt_the_old_way(store))


def test_a_snapshot_that_cannot_be_written_is_a_warning_not_a_failure(
    one_call, tmp_path, snapshots, monkeypatch, caplog
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("FORCEWATCH_CACHE", str(blocked))
    store = copy(one_call, tmp_path)
    with caplog.at_level("WARNING", logger="forcewatch.link.snapshot"):
        linker = load_linker(store)
    assert "not written" in caplog.text
    assert state(linker) == state(rebuilt_the_old_way(store))
    assert not list(tmp_path.glob("**/*.tmp"))
