"""The linker's index, kept in the store and in memory, updated per article instead of rebuilt.

Before: every `ingest` call (and `watch`, once per feed item) re-read every linked article's
body and evidence, recomputed each profile and MinHash, and rebuilt the Linker, so a long
watch grew quadratically. Now:

* the table `linker_index` holds, per linked article, its incident, its linking profile
  (JSON) and its MinHash signature (64 uint64 values), tagged with a version of the linking
  code (a hash of forcewatch/link/linker.py): when that code changes, rows are recomputed
  once, from the stored evidence and body, so a new profile_of never meets an old profile;
* `load_linker(store)` keeps the loaded Linker in memory per database. A later call asks
  the database only for what changed: linked articles with no current row (linked since,
  by this process or another), which are added to the index and to the Linker; rows whose
  incident differs from the article's (a merge or a split moved it), or any row gone, make
  it rebuild the Linker from the rows (profiles and signatures, no bodies, no evidence);
* ids go to the database in chunks (`IN` lists of at most CHUNK), never all at once.

The Linker's scoring is untouched: the rows feed `Linker.add_existing` exactly as the
old rebuild did, and tests compare the two.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Integer, LargeBinary, MetaData, String, Table, Text, and_, func, or_, select
from sqlalchemy.schema import CreateTable

from forcewatch.store.schema import ArticleRow

if TYPE_CHECKING:
    from forcewatch.link.linker import Linker, Profile
    from forcewatch.model import ArticleFacts
    from forcewatch.store.db import Store

CHUNK = 500  # ids per IN list: far below SQLite's and PostgreSQL's limits

metadata = MetaData()
linker_index = Table(
    "linker_index",
    metadata,
    Column("article_id", String(64), primary_key=True),
    Column("incident_id", Integer, nullable=False),
    Column("version", String(16), nullable=False),  # of the linking code that wrote the row
    Column("profile", Text, nullable=False),  # JSON of linker.Profile
    Column("minhash", LargeBinary),  # the body's MinHash hash values, uint64, little-endian
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


def profile_from_json(text: str) -> Profile:
    """The Profile `profile_json` wrote (fields it does not know keep their defaults)."""
    from forcewatch.link.linker import Profile

    data = json.loads(text)
    values: dict[str, Any] = {}
    for f in fields(Profile):
        if f.name not in data:
            continue
        value, kind = data[f.name], str(f.type)
        if value is not None and kind.startswith("date"):
            value = date.fromisoformat(value)
        elif value is not None and kind.startswith("frozenset"):
            value = frozenset(value)
        elif value is not None and kind.startswith("tuple"):
            value = tuple(value)
        values[f.name] = value
    return Profile(**values)


def signature(body: str | None) -> bytes | None:
    from forcewatch.link.linker import minhash

    if body is None:
        return None
    return minhash(body).hashvalues.astype("<u8").tobytes()


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


@dataclass
class _Cached:
    linker: Linker
    rows: int  # index rows the linker holds


_CACHE: dict[str, _Cached] = {}


def ensure_table(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(CreateTable(linker_index, if_not_exists=True))


def _stale(store: Store) -> list[tuple[str, int, bool]]:
    """(article id, incident id, moved) of linked articles whose row is missing, old or elsewhere."""
    a, li = ArticleRow.__table__, linker_index
    query = (
        select(a.c.id, a.c.incident_id, li.c.incident_id.is_not(None) & (li.c.incident_id != a.c.incident_id))
        .select_from(a.outerjoin(li, li.c.article_id == a.c.id))
        .where(
            a.c.incident_id.is_not(None),
            or_(li.c.article_id.is_(None), li.c.version != version(), li.c.incident_id != a.c.incident_id),
        )
        .order_by(a.c.id)
    )
    with store.engine.connect() as conn:
        return [(aid, iid, bool(moved)) for aid, iid, moved in conn.execute(query)]


def _write(store: Store, stale: list[tuple[str, int, bool]]) -> list[tuple[str, int, Profile, bytes | None]]:
    """Compute and store the rows of these articles, CHUNK at a time; returns what it wrote."""
    from forcewatch.link.linker import profile_of

    written = []
    for start in range(0, len(stale), CHUNK):
        chunk = stale[start : start + CHUNK]
        ids = [aid for aid, _, _ in chunk]
        facts = {f.article_id: f for f in store.facts(ids)}
        with store.engine.connect() as conn:
            bodies = dict(conn.execute(select(ArticleRow.id, ArticleRow.body).where(ArticleRow.id.in_(ids))).all())
        rows = []
        for aid, iid, _ in chunk:
            if aid not in facts:
                continue
            profile = profile_of(facts[aid])
            sig = signature(bodies.get(aid))
            written.append((aid, iid, profile, sig))
            rows.append(
                {
                    "article_id": aid,
                    "incident_id": iid,
                    "version": version(),
                    "profile": profile_json(profile),
                    "minhash": sig,
                }
            )
        with store.engine.begin() as conn:
            conn.execute(linker_index.delete().where(linker_index.c.article_id.in_(ids)))
            if rows:
                conn.execute(linker_index.insert(), rows)
    return written


def record(store: Store, article_id: str, incident_id: int, facts: ArticleFacts, body: str | None) -> None:
    """Write one newly linked article's row (called as it is linked, so the index is complete)."""
    from forcewatch.link.linker import profile_of

    row = {
        "article_id": article_id,
        "incident_id": incident_id,
        "version": version(),
        "profile": profile_json(profile_of(facts)),
        "minhash": signature(body),
    }
    with store.engine.begin() as conn:
        conn.execute(linker_index.delete().where(linker_index.c.article_id == article_id))
        conn.execute(linker_index.insert(), [row])


def _add(linker: Linker, article_id: str, incident_id: int, profile: Profile, sig: bytes | None) -> None:
    linker.add_existing(incident_id, article_id, profile)
    if sig is not None and article_id not in linker.lsh:
        linker.lsh.insert(article_id, _minhash(sig))


def _rebuild(store: Store) -> _Cached:
    """A Linker from the stored rows alone (no bodies, no evidence)."""
    from forcewatch.link.linker import Linker

    linker = Linker()
    a, li = ArticleRow.__table__, linker_index
    query = (
        select(li.c.article_id, li.c.incident_id, li.c.profile, li.c.minhash)
        .select_from(li.join(a, and_(a.c.id == li.c.article_id, a.c.incident_id == li.c.incident_id)))
        .order_by(li.c.article_id)
    )
    rows = 0
    with store.engine.connect() as conn:
        for aid, iid, profile, sig in conn.execute(query):
            _add(linker, aid, iid, profile_from_json(profile), sig)
            rows += 1
    return _Cached(linker, rows)


def _row_count(store: Store) -> int:
    """Rows of articles still linked to the row's incident (what a rebuild would load)."""
    a, li = ArticleRow.__table__, linker_index
    joined = li.join(a, and_(a.c.id == li.c.article_id, a.c.incident_id == li.c.incident_id))
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(joined)).scalar_one())


def load_linker(store: Store) -> Linker:
    """The Linker for this store: from memory, brought up to date with what the store holds now.

    Call it inside `store.writer_lock()`, like the Linker it replaces: its incident counter is
    only safe while no other process links."""
    ensure_table(store)
    stale = _stale(store)
    written = _write(store, stale)
    cached = _CACHE.get(store.url)
    if cached is not None and not any(moved for _, _, moved in stale):
        for aid, iid, profile, sig in written:
            if aid not in cached.linker.article_incident:
                _add(cached.linker, aid, iid, profile, sig)
        cached.rows = _row_count(store)
        if len(cached.linker.article_incident) != cached.rows:
            cached = None  # rows went, or an article linked in memory never reached the store
    else:
        cached = None  # a merge or a split moved articles: incidents' profiles changed
    if cached is None:
        cached = _rebuild(store)
    cached.linker.next_id = max(cached.linker.next_id, store.next_incident_id())
    _CACHE[store.url] = cached
    return cached.linker


def forget(store: Store | None = None) -> None:
    """Drop the in-memory Linker of one store (or of all): the next load rebuilds it from the rows."""
    if store is None:
        _CACHE.clear()
    else:
        _CACHE.pop(store.url, None)
