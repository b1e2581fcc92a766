"""The Linker in memory, saved to the cache so that the next process starts from it.

Loading the linker from the store's rows (`index._load`) parses every row's profile and
inserts every MinHash into the LSH: about 24 s of CPU at 100k linked articles, paid by every
new `ingest` process. A pickle of the Linker loads in about a tenth of that. The rows stay the
truth: a snapshot is only the starting point of the same catch-up the in-memory Linker uses
(`index._catch_up`: rows linked since, or a reload when a person merged or split), and it is
used only when it is provably of this database and of this linking code:

* its linking-code version (`index.version()`) is the current one;
* the row at its last `seq` is still there, of the same article in the same incident (a
  database deleted and created again at the same path has other rows);
* nothing was repaired when the store was opened (repaired rows are old articles with new
  rows, which a catch-up by `seq` would not replace).

It lives in forcewatch's cache directory (`cache.cache_root()`, FORCEWATCH_CACHE), one file per
database URL, written atomically (a temporary file, then `os.replace`), so two writers leave one
whole snapshot and a kill leaves the old one. Pickle, because the Linker is plain Python objects
(dicts, sets, dataclasses, datasketch's LSH) and nothing else restores them as fast; it is read
only from the user's own cache, which forcewatch alone writes, never from a database or an
input. Any error reading it means "no snapshot": the rows are loaded as before.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from forcewatch.cache import cache_root

if TYPE_CHECKING:
    from forcewatch.link.linker import Linker
    from forcewatch.store.db import Store

log = logging.getLogger(__name__)

#: Rows linked beyond the saved snapshot before `save_if_behind` writes a new one: catching up
#: that many rows costs a next process about a second; writing a snapshot of 100k rows, ~3 s.
BEHIND = 5_000
#: Below this many linked articles loading the rows is quick: no snapshot is kept.
MIN_ROWS = 5_000


@dataclass
class Snapshot:
    version: str  # index.version() of the code that wrote it
    url: str
    seq: int  # the highest index row (link order) the linker holds
    history: int  # the highest history id it had seen
    last: tuple[str, int] | None  # (article id, incident id) of the row at `seq`
    linker: Linker


def path_for(url: str) -> Path:
    """One file per database URL in the cache (the URL hashed: it may hold a password)."""
    return cache_root() / "linker" / (hashlib.sha256(url.encode()).hexdigest()[:24] + ".pickle")


def _row_at(store: Store, seq: int) -> tuple[str, int] | None:
    from forcewatch.link.index import linker_index

    li = linker_index
    with store.engine.connect() as conn:
        found = conn.execute(select(li.c.article_id, li.c.incident_id).where(li.c.seq == seq)).first()
    return (found[0], found[1]) if found else None


def load(store: Store) -> tuple[Linker, int, int] | None:
    """(linker, seq, history) from this database's snapshot, or None when there is none that
    can be trusted (see the module's docstring); the caller catches it up with the rows."""
    from forcewatch.link.index import version

    path = path_for(store.url)
    if not path.exists():
        return None
    gc.disable()  # a large object graph, none of it garbage: the collector would rescan it
    try:
        with path.open("rb") as handle:
            snap = pickle.load(handle)
    except Exception as error:  # noqa: BLE001 - a damaged or foreign file is no snapshot
        log.warning("linker snapshot %s unreadable (%s): loading the index rows", path, error)
        return None
    finally:
        gc.enable()
    if not isinstance(snap, Snapshot) or snap.version != version() or snap.url != store.url:
        return None
    if snap.seq and _row_at(store, snap.seq) != snap.last:
        return None  # another database at this path, or its rows were rebuilt
    gc.freeze()  # long-lived, as linker._freeze says; just unpickled with the collector off, so no garbage to collect first
    return snap.linker, snap.seq, snap.history


#: Per database URL: the seq of the snapshot this process wrote or started from.
_SAVED: dict[str, int] = {}


def behind(store: Store, seq: int) -> bool:
    """Whether the Linker at `seq` is BEHIND rows or more past the snapshot this process knows."""
    return seq - _SAVED.get(store.url, 0) >= BEHIND


def save(store: Store, linker: Linker, seq: int, history: int) -> None:
    """Write the snapshot atomically; a failure to write is logged, never raised (it is a cache)."""
    from forcewatch.link.index import version

    near, healed, last_minhash = linker.near, linker.healed, linker.last_minhash
    linker.near, linker.healed, linker.last_minhash = [], [], None  # one call's, not the state's
    path = path_for(store.url)
    written: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        snap = Snapshot(version(), store.url, seq, history, _row_at(store, seq) if seq else None, linker)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
            written = handle.name
            pickle.dump(snap, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(written, path)
        written = None
        _SAVED[store.url] = seq
    except (OSError, pickle.PicklingError) as error:
        log.warning("linker snapshot %s not written: %s", path, error)
    finally:
        if written is not None:  # this write's half file: never another writer's
            Path(written).unlink(missing_ok=True)
        linker.near, linker.healed, linker.last_minhash = near, healed, last_minhash


def loaded(store: Store, seq: int) -> None:
    """Note that this process started from the snapshot at `seq`."""
    _SAVED[store.url] = seq


def drop(store: Store) -> None:
    """Delete this database's snapshot (the rows were repaired: it no longer matches them)."""
    path_for(store.url).unlink(missing_ok=True)
    _SAVED.pop(store.url, None)
