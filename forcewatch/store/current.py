"""Is the database's schema already at the newest migration? Checked without importing Alembic.

Importing Alembic and running `upgrade head` costs about a quarter of a second on every
command, read-only ones included; when the schema is current there is nothing to do. The
heads are read from the migration files' `revision` / `down_revision` lines (the same
values Alembic reads), and compared with the database's `alembic_version` rows.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # heads() is also read by the sqlite3 read path, which never imports SQLAlchemy
    from sqlalchemy import Engine

_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")


@lru_cache(maxsize=1)
def heads() -> frozenset[str]:
    """The revisions no other migration builds on (empty if a file cannot be read: then migrate)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    folder = resources.files("forcewatch.store").joinpath("migrations", "versions")
    for entry in folder.iterdir():
        if not entry.name.endswith(".py"):
            continue
        source = entry.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None or down is None:
            return frozenset()  # a file this reader does not understand: let Alembic decide
        revisions.add(revision.group(1))
        parents.update(_QUOTED.findall(down.group(1)))
    return frozenset(revisions - parents)


def schema_current(engine: Engine) -> bool:
    """True when the database records exactly the newest revisions (no Alembic needed)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    wanted = heads()
    if not wanted:
        return False
    try:
        with engine.connect() as conn:
            stored = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except DBAPIError:  # no such table: a new database
        return False
    return stored == wanted
