"""Read-only SQL for the data functions (queries.py, web/data.py), on sqlite3 or a Store's engine.

The read commands (`forcewatch incidents`, `show`, `export`) should answer in well under a
second, and importing SQLAlchemy alone costs about half of one. So the data functions are
written once, in SQL that SQLite and PostgreSQL both read (named `:params`, `lower(x) LIKE`,
`NULLS LAST`), against a `Reader`: the CLI opens an existing SQLite file with the standard
library's sqlite3 (read-only, so a mistyped path is never created), while the web app and
PostgreSQL read through the Store's SQLAlchemy engine. One query layer, two connections,
as Datasette reads SQLite with plain SQL.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

#: Ids per `IN (...)` list (SQLite allows 32,766 bound parameters, PostgreSQL 65,535).
IN_CHUNK = 5000


class Reader(Protocol):
    """What the data functions need: rows as dicts, and how this database returns JSON."""

    dialect: str

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]: ...

    def iter_rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]: ...


class SqliteReader:
    """An existing SQLite file opened read-only with the standard library (no SQLAlchemy import)."""

    dialect = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).resolve()
        self.conn = sqlite3.connect(f"file:{quote(str(self.path))}?mode=ro", uri=True, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA busy_timeout = 5000")  # an ingest may be committing

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(sql, dict(params or {}))]

    def iter_rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        for r in self.conn.execute(sql, dict(params or {})):
            yield dict(r)


class EngineReader:
    """A Store's engine (SQLite or PostgreSQL); inside an open Store transaction, that transaction."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.dialect = store.engine.dialect.name

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        from sqlalchemy import text

        with self.store._read() as s:  # noqa: SLF001 - the Store's own read session (sees an open transaction)
            return [dict(m) for m in s.execute(text(sql), dict(params or {})).mappings()]

    def iter_rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        from sqlalchemy import text

        with self.store.engine.connect() as conn:
            result = conn.execution_options(yield_per=500).execute(text(sql), dict(params or {}))
            for m in result.mappings():
                yield dict(m)


def reader_of(source: Any) -> Reader:
    """A Reader for a Store (its engine) or a Reader itself."""
    if hasattr(source, "rows"):
        return source  # type: ignore[no-any-return]
    return EngineReader(source)


def open_reader(db: str | None) -> Reader | None:
    """sqlite3 on an existing SQLite file whose schema is current; None when the Store must open it
    (PostgreSQL, or an older schema that Alembic migrates first)."""
    from forcewatch.store.current import heads

    target = db or os.environ.get("FORCEWATCH_DB") or "forcewatch.db"
    if "://" in target or not Path(target).exists():
        return None
    reader = SqliteReader(target)
    try:
        stored = {r["version_num"] for r in reader.rows("SELECT version_num FROM alembic_version")}
    except sqlite3.DatabaseError:  # no such table, or not a database: the Store says what is wrong
        return None
    wanted = heads()
    return reader if wanted and stored == wanted else None


def in_list(name: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """`:name0, :name1, ...` and their parameters, for `col IN (...)` (sqlite3 cannot expand lists)."""
    params = {f"{name}{i}": v for i, v in enumerate(values)}
    return ", ".join(f":{k}" for k in params) or "NULL", params


def chunked(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def like(value: str) -> str:
    """A LIKE pattern for "contains value", escaped with '/' (as SQLAlchemy's autoescape does)."""
    escaped = value.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def contains(column: str, param: str) -> str:
    """Case-insensitive "contains" in SQL both databases read."""
    return f"lower({column}) LIKE lower(:{param}) ESCAPE '/'"


def json_value(reader: Reader, value: Any) -> Any:
    """A JSON column's value: SQLite returns its text, psycopg the decoded value."""
    if reader.dialect == "sqlite" and isinstance(value, str | bytes):
        return json.loads(value)
    return value


def as_bool(value: Any) -> bool:
    return bool(value)


def as_datetime(value: Any) -> datetime | None:
    """A DATETIME column: SQLite returns 'YYYY-MM-DD HH:MM:SS[.ffffff]' text."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def as_date_text(value: Any) -> str | None:
    """A DATE column as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]
