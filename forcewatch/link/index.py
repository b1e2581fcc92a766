"""The linker's index, kept in the store and in memory, updated per article instead of rebuilt.

Before: every `ingest` call (and `watch`, once per feed item) re-read every linked article's
body and evidence, recomputed each profile and MinHash, and rebuilt the Linker, so a long
watch grew quadratically. Now:

* the table `linker_index` holds, per linked article, its incident, its linking profile
  (JSON), its MinHash signature (64 uint64 values) and `seq`, the order it was linked in,
  tagged with a version of the linking code (a hash of forcewatch/link/linker.py);
* rows are written in the linking transaction itself (`record` from `run.link_one`, `moved`
  from a merge, unmerge or split), so a kill at any point leaves the index and the
  incidents agreeing: both or neither;
* `load_linker(store)` keeps the Linker in memory per database. A later call asks the
  database two questions (the highest `seq`, the highest history id): unchanged, the Linker
  is current; new rows (another process linked), they are added, and merges since (healing
  or a person's, from history) are folded in as the Linker heals; an unmerge or a split since,
  it reloads from the rows (profiles and signatures: no bodies, no evidence). A new process
  starts from the snapshot an earlier one saved (link/snapshot.py) and catches up the same way;
* the first load in a process checks that every linked article has a current row; rows
  missing (an older database), written by other linking code, or pointing at another
  incident are recomputed once from the stored evidence and bodies, with a progress bar;
* ids go to the database in chunks (`IN` lists of at most CHUNK), never all at once.

The Linker's scoring is untouched: rows feed `Linker.add_existing` in link order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    and_,
    event,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from forcewatch.link import snapshot
from forcewatch.store.schema import ArticleRow, HistoryRow

if TYPE_CHECKING:
    from datasketch import MinHash  # type: ignore[import-untyped]

    from forcewatch.link.linker import Linker, Profile
    from forcewatch.store.db import Store

CHUNK = 500  # ids per IN list and rows per repair transaction: far below SQLite's and PostgreSQL's limits
#: History kinds that move articles between incidents: the Linker in memory no longer holds.
RELINKS = ("merge", "unmerge", "split")

metadata = MetaData()
linker_index = Table(
    "linker_index",
    metadata,
    Column("article_id", String(64), primary_key=True),
    Column("incident_id", Integer, nullable=False),
    Column("version", String(16), nullable=False),  # of the linking code that wrote the row
    Column("profile", Text, nullable=False),  # JSON of linker.Profile
    Column("minhash", LargeBinary),  # the body's MinHash hash values, uint64, little-endian
    Column("seq", Integer),  # link order (migration 0011): rows load in it
    Index("ix_linker_index_seq", "seq"),
)


@lru_cache(maxsize=1)
def version() -> str:
    """A hash of the linking code and of datasketch's version: rows written by others are recomputed."""
    from importlib.metadata import version as installed

    source = resources.files("forcewatch.link").joinpath("linker.py").read_bytes()
    return hashlib.sha256(source + installed("datasketch").encode()).hexdigest()[:16]


def profile_json(profile: Profile) -> str:
    """A Profile as JSON (dates as ISO strings, sets and tuples as lists)."""

    def plain(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, frozenset | set):
            return sorted(value)
        if isinstance(value, tuple):
            return list(value)
        return value

    return json.dumps({f.name: plain(getattr(profile, f.name)) for f in fields(profile)}, sort_keys=True)


@lru_cache(maxsize=1)
def _kinds() -> tuple[tuple[str, str], ...]:
    """(field, what it holds) of Profile, read once: loading a large index parses many rows."""
    from forcewatch.link.linker import Profile

    kinds = []
    for f in fields(Profile):
        kind = str(f.type)
        holds = next((k for k in ("date", "frozenset", "tuple") if kind.startswith(k)), "")
        kinds.append((f.name, holds))
    return tuple(kinds)


def profile_from_json(text: str) -> Profile:
    """The Profile `profile_json` wrote (fields it does not know keep their defaults)."""
    from forcewatch.link.linker import Profile

    data = json.loads(text)
    values: dict[str, Any] = {}
    for name, holds in _kinds():
        if name not in data:
            continue
        value = data[name]
        if value is not None and holds:
            value = (
                date.fromisoformat(value)
                if holds == "date"
                else frozenset(value)
                if holds == "frozenset"
                else tuple(value)
            )
        values[name] = value
    return Profile(**values)


def signature(body: str | None) -> bytes | None:
    from forcewatch.link.linker import minhash

    return None if body is None else signature_of(minhash(body))


def signature_of(m: MinHash | None) -> bytes | None:
    return None if m is None else m.hashvalues.astype("<u8").tobytes()


@lru_cache(maxsize=1)
def _scheme() -> tuple[int, str]:
    """The seed and scheme of the linker's MinHashes (a stored signature is read back with them)."""
    from forcewatch.link.linker import minhash

    sample = minhash("scheme probe")
    return sample.seed, sample.scheme


def _minhash(data: bytes) -> Any:
    """A stored signature as a LeanMinHash: all LSH needs, without generating permutations."""
    import numpy as np
    from datasketch import LeanMinHash  # type: ignore[import-untyped]

    seed, scheme = _scheme()
    return LeanMinHash(seed=seed, hashvalues=np.frombuffer(data, dtype="<u8").astype(np.uint64), scheme=scheme)


def row(article_id: str, incident_id: int, profile: Profile, sig: bytes | None, seq: int) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "incident_id": incident_id,
        "version": version(),
        "profile": profile_json(profile),
        "minhash": sig,
        "seq": seq,
    }


# --- the Linker in memory -----------------------------------------------------------------


@dataclass
class _Cached:
    linker: Linker
    seq: int  # the highest row (link order) the linker holds
    history: int  # the highest history id it has seen


_CACHE: dict[str, _Cached] = {}


def _marks(conn: Any) -> tuple[int, int]:
    """(highest seq, highest history id): what changes when anyone links, merges or splits."""
    seq = conn.execute(select(func.max(linker_index.c.seq))).scalar()
    history = conn.execute(select(func.max(HistoryRow.id))).scalar()
    return int(seq or 0), int(history or 0)


def _current_rows(since: int = 0) -> Any:
    """Rows of articles still linked where the row says, in link order."""
    a, li = ArticleRow.__table__, linker_index
    return (
        select(li.c.article_id, li.c.incident_id, li.c.profile, li.c.minhash, li.c.version, li.c.seq)
        .select_from(li.join(a, and_(a.c.id == li.c.article_id, a.c.incident_id == li.c.incident_id)))
        .where(li.c.seq > since)
        .order_by(li.c.seq)
        .execution_options(yield_per=2000)
    )


def _add(
    linker: Linker, article_id: str, incident_id: int, profile: Profile, sig: bytes | None, facets: Any = None
) -> None:
    linker.add_existing(incident_id, article_id, profile, facets=facets)
    if sig is not None and article_id not in linker.lsh:
        linker.lsh.insert(article_id, _minhash(sig))


def _catch_up(store: Store, cached: _Cached) -> _Cached | None:
    """The cached Linker brought up to date, or None when it must be reloaded from the rows."""
    with store.engine.connect() as conn:
        seq, history = _marks(conn)
        if (seq, history) == (cached.seq, cached.history):
            return cached
        if seq < cached.seq:
            return None  # rows went: repaired or dropped by someone
        merges: list[tuple[int, int]] = []
        if history > cached.history:
            moves = select(HistoryRow.kind, HistoryRow.incident_id, HistoryRow.old).where(
                HistoryRow.id > cached.history, HistoryRow.kind.in_(RELINKS)
            )
            for kind, into, source in conn.execute(moves.order_by(HistoryRow.id)):
                if kind != "merge":
                    return None  # an unmerge or a split: articles left incidents, only the rows tell where
                if isinstance(source, int):  # the target's row of a merge (the other's holds the articles)
                    merges.append((source, into))
        new = list(conn.execute(_current_rows(cached.seq)))
    if any(v != version() for *_, v, _ in new):
        return None
    for absorbed, into in merges:  # healing or a person's merge: the Linker folds them as it heals
        cached.linker.fold(cached.linker.live(absorbed), cached.linker.live(into))
    for aid, iid, profile, sig, _v, _s in new:
        if aid not in cached.linker.article_incident:
            _add(cached.linker, aid, iid, profile_from_json(profile), sig)
    cached.seq, cached.history = seq, history
    return cached


def _load(store: Store) -> _Cached:
    """A Linker from the stored rows alone (no bodies, no evidence), in link order."""
    from forcewatch.link.linker import Facets, Linker

    linker = Linker()
    # Reports of one case often tell exactly the same facts: one Profile and one Facets per
    # distinct row text, shared (nothing mutates them), is less parsing and fewer objects.
    read: dict[str, tuple[Profile, Facets]] = {}
    with store.engine.connect() as conn:
        seq, history = _marks(conn)
        for aid, iid, text, sig, _v, _s in conn.execute(_current_rows()):
            known = read.get(text)
            if known is None:
                profile = profile_from_json(text)
                known = read[text] = (profile, Facets(profile))
            _add(linker, aid, iid, known[0], sig, known[1])
    linker.apart = store.split_pairs()
    return _Cached(linker, seq, history)


def _from_snapshot(store: Store) -> _Cached | None:
    """The Linker saved by an earlier process (link/snapshot.py), caught up with the rows
    linked since; None when there is no snapshot to trust or people moved articles since."""
    found = snapshot.load(store)
    if found is None:
        return None
    linker, seq, history = found
    cached = _catch_up(store, _Cached(linker, seq, history))
    if cached is None:
        return None
    snapshot.loaded(store, seq)
    linker.apart = store.split_pairs()
    return cached


def save_snapshot(store: Store) -> None:
    """After a commit: save the Linker in memory for the next process when it is well past the
    last snapshot (link/snapshot.py: BEHIND rows), so a new process catches up little."""
    cached = _CACHE.get(store.url)
    if (
        cached is not None
        and len(cached.linker.article_incident) >= snapshot.MIN_ROWS
        and snapshot.behind(store, cached.seq)
    ):
        snapshot.save(store, cached.linker, cached.seq, cached.history)


def load_linker(store: Store, progress: bool = True) -> Linker:
    """The Linker for this store: from memory, brought up to date with what the store holds now.

    Call it inside `store.writer_lock()`, like the Linker it replaces: its incident counter is
    only safe while no other process links. The first call in a process repairs missing or
    outdated rows once (`progress`: a bar on stderr while it does)."""
    cached = _CACHE.get(store.url)
    if cached is not None:
        cached = _catch_up(store, cached)
    if cached is None:
        if repair(store, progress):
            snapshot.drop(store)  # repaired rows replace old ones: a catch-up by seq would miss them
        else:
            cached = _from_snapshot(store)
        if cached is None:
            cached = _load(store)
            if len(cached.linker.article_incident) >= snapshot.MIN_ROWS:
                snapshot.save(store, cached.linker, cached.seq, cached.history)
        _CACHE[store.url] = cached
    linker = cached.linker
    linker.next_id = max(linker.next_id, store.next_incident_id())
    linker.near.clear()  # pairs near the threshold seen by earlier calls: the caller's own only
    return linker


def forget(store: Store | None = None) -> None:
    """Drop the in-memory Linker of one store (or of all): the next load reads the rows again."""
    if store is None:
        _CACHE.clear()
    else:
        _CACHE.pop(store.url, None)


# --- writes, inside the caller's transaction ------------------------------------------------


@dataclass
class _Tx:
    """What one store transaction did to the index: decides, at its end, what memory may keep."""

    url: str
    linker: Linker | None
    start: tuple[int, int]
    seq: int
    end: tuple[int, int] | None = None
    stale: bool = False  # articles moved that the Linker in memory does not know of


def _tx(store: Store, s: Session, linker: Linker | None) -> _Tx:
    tx: _Tx | None = s.info.get("linker_index")
    if tx is None:
        start = _marks(s)
        tx = _Tx(store.url, linker, start, start[0])
        s.info["linker_index"] = tx
        event.listen(s, "before_commit", lambda sess: setattr(tx, "end", _marks(sess)))
        event.listen(s, "after_commit", lambda _sess: _committed(tx))
        event.listen(s, "after_rollback", lambda _sess: forget_url(tx.url))
    if linker is not None:
        tx.linker = tx.linker or linker
    return tx


def forget_url(url: str) -> None:
    """A rolled-back transaction: links the Linker in memory made never reached the store."""
    _CACHE.pop(url, None)


def _committed(tx: _Tx) -> None:
    cached = _CACHE.get(tx.url)
    if cached is None:
        return
    if tx.stale or tx.end is None:
        _CACHE.pop(tx.url, None)
    elif cached.linker is tx.linker and (cached.seq, cached.history) == tx.start:
        cached.seq, cached.history = tx.end  # memory already holds what this transaction wrote


def record(
    store: Store, linker: Linker, article_id: str, incident_id: int, profile: Profile, sig: bytes | None
) -> None:
    """Write one newly linked article's row, in the transaction that links it."""
    with store.transaction() as s:
        tx = _tx(store, s, linker)
        tx.seq += 1
        s.execute(linker_index.delete().where(linker_index.c.article_id == article_id))
        s.execute(linker_index.insert(), [row(article_id, incident_id, profile, sig, tx.seq)])


def moved(store: Store, article_ids: list[str], incident_id: int) -> None:
    """Articles moved to an incident (merge, unmerge, split, healing), in the transaction that moves them."""
    from forcewatch.store.db import chunks

    with store.transaction() as s:
        tx = _tx(store, s, None)
        for part in chunks(article_ids, CHUNK):
            s.execute(linker_index.update().where(linker_index.c.article_id.in_(part)).values(incident_id=incident_id))
        cached = _CACHE.get(store.url)
        if cached is None:
            return
        linker = cached.linker
        if any(linker.live(linker.article_incident.get(a, -1)) != incident_id for a in article_ids):
            tx.stale = True  # a person's decision: the Linker in memory must reload


# --- repair: rows missing, outdated or elsewhere ---------------------------------------------


def _stale(store: Store) -> list[tuple[str, int]]:
    """(article id, incident id) of linked articles whose row is missing, old or elsewhere."""
    a, li = ArticleRow.__table__, linker_index
    query = (
        select(a.c.id, a.c.incident_id)
        .select_from(a.outerjoin(li, li.c.article_id == a.c.id))
        .where(
            a.c.incident_id.is_not(None),
            or_(
                li.c.article_id.is_(None),
                li.c.version != version(),
                li.c.incident_id != a.c.incident_id,
                li.c.seq.is_(None),
            ),
        )
        .order_by(a.c.ingested_at, a.c.id)
    )
    with store.engine.connect() as conn:
        return [(aid, iid) for aid, iid in conn.execute(query)]


@contextmanager
def _bar(total: int, show: bool) -> Iterator[Any]:
    """A progress bar on stderr (rich) for a repair of `total` rows; nothing when not shown."""
    if not show:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"linker index: {total:,} rows to rebuild", total=total)
        yield lambda n: bar.advance(task, n)


def repair(store: Store, progress: bool = True) -> int:
    """Recompute the rows of linked articles that have none (or an outdated or misplaced one)
    from their stored evidence and body, CHUNK per transaction; returns how many."""
    from forcewatch.link.linker import profile_of
    from forcewatch.store.db import chunks

    stale = _stale(store)
    if not stale:
        return 0
    with store.engine.connect() as conn:
        seq = _marks(conn)[0]
    with _bar(len(stale), progress) as advance:
        for chunk in chunks(stale, CHUNK):
            ids = [aid for aid, _ in chunk]
            facts = {f.article_id: f for f in store.facts(ids)}
            rows = []
            with store.transaction() as s:
                bodies = dict(s.execute(select(ArticleRow.id, ArticleRow.body).where(ArticleRow.id.in_(ids))).all())
                for aid, iid in chunk:
                    if aid in facts:
                        seq += 1
                        rows.append(row(aid, iid, profile_of(facts[aid]), signature(bodies.get(aid)), seq))
                s.execute(linker_index.delete().where(linker_index.c.article_id.in_(ids)))
                if rows:
                    s.execute(linker_index.insert(), rows)
            advance(len(chunk))
    forget(store)
    return len(stale)


def bulk_load(store: Store, rows: Iterable[tuple[str, int, Profile, bytes | None]]) -> int:
    """Write rows for articles linked outside `link_one` (a bulk fill), in the order given,
    CHUNK per transaction; the caller has set the articles' incidents."""
    from forcewatch.store.db import chunks

    with store.engine.connect() as conn:
        seq = _marks(conn)[0]
    written = 0
    for chunk in chunks(list(rows), CHUNK * 10):
        batch = []
        for aid, iid, profile, sig in chunk:
            seq += 1
            batch.append(row(aid, iid, profile, sig, seq))
        with store.transaction() as s:
            s.execute(linker_index.insert(), batch)
        written += len(batch)
    forget(store)
    return written
