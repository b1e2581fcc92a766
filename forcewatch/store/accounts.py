"""Editors' accounts in the database: history of changes, session generations, the sign-in throttle.

Everything here is in the database, not in a process, so every `serve --workers N` process
(and the CLI) sees the same editors, the same revoked sessions and the same failure counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import DateTime, Integer, String, Text, delete, func, select, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from forcewatch.store.db import Store, now
from forcewatch.store.schema import Base, UserRow

#: Longest editor name (the users table's column); longer sign-in names are refused unread.
MAX_NAME = 80
#: Failed sign-ins kept this long; the limits below count within it.
WINDOW = timedelta(minutes=15)
#: Failures for one name from one client before that client must wait (the name stays open to others).
MAX_PER_NAME = 5
#: Failures from one client over all names (a client spraying names at the form).
MAX_PER_CLIENT = 20


class LoginAttemptRow(Base):
    """One sign-in attempt, written before the password is checked; deleted when it succeeds."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime)


class AccountEventRow(Base):
    """Who added, reset, disabled, enabled or removed an editor, and when."""

    __tablename__ = "account_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)


@dataclass
class Editor:
    name: str
    created_at: datetime
    disabled_at: datetime | None
    generation: int


def _event(s: Session, name: str, action: str, actor: str, reason: str | None) -> None:
    s.add(AccountEventRow(name=name, action=action, actor=actor, reason=reason, at=now()))


def set_password(store: Store, name: str, password_hash: str, actor: str, reason: str | None = None) -> bool:
    """Add an editor or give one a new password (which signs out all their sessions); True if new."""
    with store.session() as s, s.begin():
        row = s.get(UserRow, name)
        if row is None:
            s.add(UserRow(name=name, password_hash=password_hash, created_at=now(), generation=0))
            _event(s, name, "add", actor, reason)
            return True
        row.password_hash = password_hash
        row.generation = (row.generation or 0) + 1
        _event(s, name, "reset", actor, reason)
        return False


def editors(store: Store) -> list[Editor]:
    with store.session() as s:
        rows = s.scalars(select(UserRow).order_by(UserRow.name))
        return [Editor(r.name, r.created_at, r.disabled_at, r.generation or 0) for r in rows]


def set_disabled(store: Store, name: str, disabled: bool, actor: str, reason: str | None = None) -> bool:
    """Disable (sessions revoked, sign-in refused) or enable an editor; False if there is none."""
    with store.session() as s, s.begin():
        row = s.get(UserRow, name)
        if row is None:
            return False
        row.disabled_at = now() if disabled else None
        row.generation = (row.generation or 0) + 1
        _event(s, name, "disable" if disabled else "enable", actor, reason)
        return True


def remove(store: Store, name: str, actor: str, reason: str | None = None) -> bool:
    """Delete an editor (their reviews stay in incident history under their name); False if none."""
    with store.session() as s, s.begin():
        row = s.get(UserRow, name)
        if row is None:
            return False
        s.delete(row)
        _event(s, name, "remove", actor, reason)
        return True


def account_history(store: Store, name: str | None = None) -> list[AccountEventRow]:
    with store.session() as s:
        query = select(AccountEventRow).order_by(AccountEventRow.id)
        if name is not None:
            query = query.where(AccountEventRow.name == name)
        return list(s.scalars(query))


def revoke_sessions(store: Store, name: str) -> None:
    """Sign-out: every cookie of this editor stops working (cookies are signed, not stored)."""
    with store.session() as s, s.begin():
        s.execute(update(UserRow).where(UserRow.name == name).values(generation=UserRow.generation + 1))


def active_generation(store: Store, name: str) -> int | None:
    """The session generation a cookie must carry, or None if NAME may not write (gone or disabled)."""
    user = store.user(name)
    if user is None or user.disabled_at is not None:
        return None
    return user.generation or 0


# --- the sign-in throttle ---------------------------------------------------------------


def _lock_key(client: str) -> int:
    return int.from_bytes(hashlib.sha256(client.encode()).digest()[:8], "big", signed=True)


def reserve_attempt(store: Store, client: str, name: str) -> int | None:
    """Record an attempt before the password is checked; its id, or None if over a limit (nothing kept).

    One transaction inserts and counts, serialised per client (PostgreSQL: an advisory lock;
    SQLite: the write lock the insert takes), so concurrent attempts cannot all pass the count.
    """
    client = client[:64]
    with store.session() as s, s.begin():
        if store.engine.dialect.name == "postgresql":
            s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(client)})
        at = now()
        row = LoginAttemptRow(client=client, name=name.lower(), at=at)
        s.add(row)
        s.flush()
        recent = LoginAttemptRow.client == client, LoginAttemptRow.at > at - WINDOW
        by_client = s.scalar(select(func.count()).where(*recent))
        by_name = s.scalar(select(func.count()).where(*recent, LoginAttemptRow.name == name.lower()))
        if (by_name or 0) > MAX_PER_NAME or (by_client or 0) > MAX_PER_CLIENT:
            s.delete(row)
            return None
        s.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at <= at - WINDOW))  # forget old ones
        return row.id


def attempt_succeeded(store: Store, attempt: int, client: str, name: str) -> None:
    """A right password: this attempt and this client's earlier failures for the name are forgotten."""
    with store.session() as s, s.begin():
        s.execute(
            delete(LoginAttemptRow).where(
                (LoginAttemptRow.id == attempt)
                | ((LoginAttemptRow.client == client[:64]) & (LoginAttemptRow.name == name.lower()))
            )
        )
