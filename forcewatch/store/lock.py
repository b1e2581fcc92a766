"""The writer lock: one process (and one thread in it) writes to a database at a time.

Every write path (ingest, batch, watch, merge, split, unmerge, the web review) takes it.
The linker hands out incident ids from a counter loaded from the store and links against
an index loaded from the store, so two writers at once would give one id to unrelated
incidents; a merge or split during an ingest would move articles under the linker's feet.

- SQLite: an exclusive `flock` on `<database>.lock` beside the file. The kernel releases it
  when the holder's file is closed, including by `kill -9`, so a crashed writer never leaves
  a stale lock. Hand-written on `fcntl` (stdlib) rather than a lock library: it is one call,
  and a library's extra (stale-file heuristics, Windows) is not wanted here.
- PostgreSQL: a session advisory lock on a connection held for the lock's lifetime (also
  released by the server when the holder's connection dies).

The lock is re-entrant in the thread that holds it, so a Store method that takes it can be
called from a command that already holds it. A second writer waits; after `notice_after`
seconds it is told who holds the lock, and after `timeout` seconds (None: no limit) it fails
with `WriterBusy`.
"""

from __future__ import annotations

import fcntl
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from sqlalchemy import Engine, text

#: PostgreSQL advisory lock key of the writer (one writer links at a time).
WRITER_LOCK = 0x666F7263
#: Environment variable: seconds a writer waits for the lock before failing (default: no limit).
TIMEOUT_ENV = "FORCEWATCH_LOCK_TIMEOUT"
POLL = 0.05


class WriterBusy(RuntimeError):
    """Another writer held the database for longer than this writer would wait."""


def default_timeout() -> float | None:
    value = os.environ.get(TIMEOUT_ENV)
    return float(value) if value else None


def tell_stderr(message: str) -> None:
    print(f"forcewatch: {message}", file=sys.stderr, flush=True)


class WriterLock:
    """The cross-process writer lock of one database (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        self.path = f"{database}.lock" if database and database != ":memory:" else None
        self._threads = threading.Lock()  # threads of this process, before the process lock
        self._owner: int | None = None
        self._depth = 0
        self._file: IO[str] | None = None
        self._conn: Any = None

    @property
    def held(self) -> bool:
        return self._owner == threading.get_ident()

    @contextmanager
    def hold(
        self,
        timeout: float | None = None,
        notice_after: float = 2.0,
        on_wait: Callable[[str], None] | None = tell_stderr,
    ) -> Iterator[None]:
        """Hold the lock for the block; re-entrant in this thread."""
        if self.held:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self._threads.acquire(timeout=-1 if deadline is None else max(0.0, timeout or 0.0)):
            raise WriterBusy(f"another writer in this process held the database for {timeout:.0f} s")
        try:
            self._acquire(deadline, time.monotonic() + notice_after, on_wait)
        except BaseException:  # timed out or interrupted while waiting
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            self._threads.release()
            raise
        self._owner, self._depth = threading.get_ident(), 1
        try:
            yield
        finally:
            self._owner, self._depth = None, 0
            try:
                self._release()
            finally:
                self._threads.release()

    # --- the process lock ---------------------------------------------------------

    def _acquire(self, deadline: float | None, notice: float, on_wait: Callable[[str], None] | None) -> None:
        told = False
        while not self._try():
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                if self._conn is not None:  # the connection kept open while waiting
                    self._conn.close()
                    self._conn = None
                raise WriterBusy(f"{self._where()} is being written by {self._holder()}; gave up waiting")
            if not told and now >= notice and on_wait is not None:
                on_wait(f"waiting for {self._where()}: another writer holds it ({self._holder()})")
                told = True
            time.sleep(POLL)
        if told and on_wait is not None:
            on_wait("got the writer lock, going on")

    def _try(self) -> bool:
        if self.engine.dialect.name == "postgresql":
            if self._conn is None:
                self._conn = self.engine.connect()
            got = self._conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": WRITER_LOCK}).scalar()
            self._conn.commit()
            if got:  # who holds it, for the next writer's message
                self._conn.execute(text("SELECT set_config('application_name', :name, false)"), {"name": _me()})
                self._conn.commit()
            return bool(got)
        if self.path is None:  # an in-memory database lives in one process: the thread lock is enough
            return True
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while held
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(_me())
        handle.flush()
        self._file = handle
        return True

    def _release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": WRITER_LOCK})
                self._conn.commit()
            finally:
                self._conn.close()
                self._conn = None
        if self._file is not None:
            try:
                self._file.seek(0)
                self._file.truncate()
                fcntl.flock(self._file, fcntl.LOCK_UN)
            finally:
                self._file.close()
                self._file = None

    def _where(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def _holder(self) -> str:
        try:
            if self.engine.dialect.name == "postgresql":
                with self.engine.connect() as conn:
                    who = conn.execute(
                        text(
                            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                            " WHERE l.locktype = 'advisory' AND l.granted AND l.objid = :key LIMIT 1"
                        ),
                        {"key": WRITER_LOCK},
                    ).scalar()
            elif self.path is not None:
                with open(self.path, encoding="utf-8") as handle:
                    who = handle.read().strip()
            else:
                who = None
        except Exception:  # noqa: BLE001 - the message is a courtesy; the lock itself is what matters
            who = None
        return who or "a forcewatch process"


def _me() -> str:
    command = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv[:3]))
    return f"pid {os.getpid()}: {command}"[:60]
