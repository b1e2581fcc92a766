"""The Store: the one write path into the database, SQLite by default, PostgreSQL for teams.

Every write holds the writer lock (`forcewatch.store.lock`: one writer process at a time,
on SQLite as on PostgreSQL) and runs in a transaction. A caller that must keep several
writes together (an article, its link and its incident's rebuild; a merge) opens
`Store.transaction()`: every Store method called inside it, reads included, uses that one
transaction, so a kill at any point leaves either all of it or none of it. Inserts of
articles are upserts on the content hash (`ON CONFLICT DO NOTHING`), so ingesting the same
article twice changes nothing.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any, cast

from sqlalchemy import Engine, Table, bindparam, create_engine, delete, event, insert, select, text, update
from sqlalchemy.orm import Session

from forcewatch.model import Article, ArticleFacts, Evidence, Incident, Relevance
from forcewatch.store.lock import WRITER_LOCK, WriterLock, default_timeout, tell_stderr
from forcewatch.store.schema import (
    ArticleRow,
    EvidenceRow,
    FeedRow,
    HistoryRow,
    IncidentFieldRow,
    IncidentRow,
    LinkOverrideRow,
    UserRow,
    evidence_dict,
)
from forcewatch.store.summary import summary_columns

__all__ = ["DEFAULT_DB", "MIGRATE_LOCK", "WRITER_LOCK", "Store", "chunks", "database_url", "migrate", "now"]

DEFAULT_DB = "forcewatch.db"

#: PostgreSQL advisory lock key: one process migrates at a time.
MIGRATE_LOCK = 0x666F7264
#: Ids per `IN (...)` list: SQLite allows 32,766 bound parameters, PostgreSQL 65,535.
IN_CHUNK = 5000
#: PostgreSQL: chunks of at least this many new articles go in by COPY rather than INSERT.
COPY_FROM = 50
#: Reports whose facts a Store keeps in memory (about 2 KB each).
FACTS_CACHE = 100_000


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def chunks(items: list[Any], size: int = IN_CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def database_url(db: str | None) -> str:
    """A path becomes a SQLite URL; URLs (postgresql://...) pass through; FORCEWATCH_DB is the default."""
    db = db or os.environ.get("FORCEWATCH_DB") or DEFAULT_DB
    if "://" in db:
        if db.startswith("postgresql://"):
            return "postgresql+psycopg://" + db[len("postgresql://") :]
        return db
    return f"sqlite:///{os.path.abspath(db)}"


def _insert(engine: Engine) -> Any:
    """The dialect's insert construct (both have on_conflict_do_nothing/do_update)."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    from forcewatch.store.current import schema_current

    if schema_current(engine):  # nothing to do: skip importing Alembic (a quarter of a second)
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("forcewatch.store").joinpath("migrations")))
    with migrate_lock(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":  # two processes opening a new database at once
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATE_LOCK})
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


@contextmanager
def migrate_lock(engine: Engine) -> Iterator[None]:
    """SQLite: two processes opening a new file at once would both create the tables; one waits.

    A lock file of its own (`<database>.migrate.lock`), not the writer lock, so that opening
    a database to read it never waits for an ingest.
    """
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate.lock", "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # held for a moment; released on close or death
        yield


def _sources(merged: Any) -> list[dict[str, Any]]:
    return [
        {
            "article": sv.article_id,
            "value": sv.value,
            "quotes": [e.quote for e in sv.evidence][:3],
            "contradicting": [{"value": e.value, "quote": e.quote} for e in sv.contradicting],
        }
        for sv in merged.sources
    ]


def _with_review_conflicts(row: IncidentFieldRow, conflict: bool, values: list[Any]) -> tuple[bool, list[Any]]:
    """A reviewed value that disagrees with another reviewed value (brought by a merge) is a conflict."""
    others = row.review_conflicts or []
    if not others:
        return conflict, values
    shown = list(values)
    for value in [row.value, *(c["value"] for c in others)]:
        if value not in shown:
            shown.append(value)
    return True, shown


class Store:
    """All reads and writes the rest of forcewatch needs."""

    def __init__(self, db: str | None = None) -> None:
        self.url = database_url(db)
        self.engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        migrate(self.engine)
        self.insert = _insert(self.engine)
        self._lock = WriterLock(self.engine)
        self._local = threading.local()  # the open transaction of each thread
        self._facts: dict[str, ArticleFacts] = {}  # reports' facts, by article id
        self.incident_states: OrderedDict[int, Any] = OrderedDict()  # link/incremental.py, per incident

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # --- the writer lock and transactions ---------------------------------------

    @contextmanager
    def writer_lock(
        self, timeout: float | None = None, notice_after: float = 2.0, on_wait: Any = tell_stderr
    ) -> Iterator[None]:
        """Hold the writer lock (re-entrant). Load the linker inside it: nobody else links meanwhile.

        `timeout` (default: $FORCEWATCH_LOCK_TIMEOUT, else no limit) raises `WriterBusy`.
        """
        with self._lock.hold(timeout if timeout is not None else default_timeout(), notice_after, on_wait):
            yield

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One atomic unit of writes under the writer lock; nested calls join the open one."""
        open_tx = getattr(self._local, "tx", None)
        if open_tx is not None:
            yield open_tx
            return
        try:
            with self.writer_lock(), self.session() as s, s.begin():
                self._local.tx = s
                try:
                    yield s
                finally:
                    self._local.tx = None
        except BaseException:
            self.incident_states.clear()  # incremental merge states (link/incremental.py) of a rollback
            raise

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """The open transaction (so reads see its writes), or a short read-only session."""
        open_tx = getattr(self._local, "tx", None)
        if open_tx is not None:
            yield open_tx
            return
        with self.session() as s:
            yield s

    # --- articles ---------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        return bool(self.stored_ids([article_id]))

    def stored_ids(self, article_ids: list[str]) -> set[str]:
        """Which of these articles are stored (one query per chunk of ids)."""
        found: set[str] = set()
        with self._read() as s:
            for part in chunks(article_ids):
                found.update(s.scalars(select(ArticleRow.id).where(ArticleRow.id.in_(part))))
        return found

    def add_article(self, article: Article, facts: ArticleFacts) -> bool:
        """Store an article and its evidence; False (and nothing written) if already stored."""
        return bool(self.add_articles([(article, facts)]))

    def add_articles(self, items: Iterable[tuple[Article, ArticleFacts]]) -> set[str]:
        """Store articles and their evidence in bulk (executemany); returns the ids newly stored.

        The ids are checked once for the whole chunk; a duplicate inside the chunk is stored once.
        """
        todo: dict[str, tuple[Article, ArticleFacts]] = {}
        for article, facts in items:
            todo.setdefault(article.id, (article, facts))
        if not todo:
            return set()
        with self.transaction() as s:
            stored = self.stored_ids(list(todo))
            new = [i for i in todo if i not in stored]
            if not new:
                return set()
            stamp = now()
            rows = [_article_row(*todo[i], stamp) for i in new]
            evidence = [{"article_id": i, **evidence_dict(e)} for i in new for e in todo[i][1].evidence]
            if self.engine.dialect.name == "postgresql" and len(rows) >= COPY_FROM:
                _copy(s, "articles", rows)  # ids checked just above, under the writer lock
                _copy(s, "evidence", evidence, json_columns=("value",))
            else:
                s.execute(self.insert(ArticleRow).on_conflict_do_nothing(index_elements=["id"]), rows)
                if evidence:
                    s.execute(insert(EvidenceRow), evidence)
        for i in new:
            if todo[i][1].relevance.relevant:
                self._remember(_as_stored(todo[i][1]))
        return set(new)

    def article(self, article_id: str) -> ArticleRow | None:
        with self._read() as s:
            return s.get(ArticleRow, article_id)

    def articles(self, incident_id: int | None = None) -> list[ArticleRow]:
        with self._read() as s:
            q = select(ArticleRow).order_by(ArticleRow.published.is_(None), ArticleRow.published, ArticleRow.path)
            if incident_id is not None:
                q = q.where(ArticleRow.incident_id == incident_id)
            return list(s.scalars(q))

    def iter_articles(self) -> Iterator[ArticleRow]:
        with self.session() as s:
            yield from s.scalars(select(ArticleRow).order_by(ArticleRow.path).execution_options(yield_per=500))

    def evidence(self, article_ids: list[str]) -> list[EvidenceRow]:
        rows: list[EvidenceRow] = []
        with self._read() as s:
            for part in chunks(article_ids):
                rows.extend(s.scalars(select(EvidenceRow).where(EvidenceRow.article_id.in_(part))))
        return sorted(rows, key=lambda e: e.id)

    def members(self, incident_id: int) -> list[tuple[str, date | None, str | None]]:
        """(id, published, copy_of) of an incident's articles, in `articles()` order, without their text."""
        with self._read() as s:
            q = (
                select(ArticleRow.id, ArticleRow.published, ArticleRow.copy_of)
                .where(ArticleRow.incident_id == incident_id)
                .order_by(ArticleRow.published.is_(None), ArticleRow.published, ArticleRow.path)
            )
            return [(a, p, c) for a, p, c in s.execute(q)]

    def facts(self, article_ids: list[str]) -> list[ArticleFacts]:
        """ArticleFacts of stored articles, in the order given (one query per chunk of ids).

        Reports' facts are kept in memory once read or written (evidence never changes once
        stored), so rebuilding an incident does not decode its evidence again.
        """
        wanted = [i for i in article_ids if i not in self._facts]
        read = {f.article_id: f for f in self._read_facts(wanted)} if wanted else {}
        found = [read.get(i) or self._facts.get(i) for i in article_ids]  # before the cache may be emptied
        for f in read.values():
            if f.relevance.relevant:
                self._remember(f)
        return [f for f in found if f is not None]

    def _remember(self, facts: ArticleFacts) -> None:
        if len(self._facts) >= FACTS_CACHE:
            self._facts.clear()
        self._facts[facts.article_id] = facts

    def _read_facts(self, article_ids: list[str]) -> list[ArticleFacts]:
        rows: dict[str, tuple[bool, str | None, str | None]] = {}
        by_article: dict[str, list[Evidence]] = {i: [] for i in article_ids}
        with self._read() as s:
            for part in chunks(article_ids):
                q = select(ArticleRow.id, ArticleRow.relevant, ArticleRow.category, ArticleRow.reason)
                for aid, relevant, category, reason in s.execute(q.where(ArticleRow.id.in_(part))):
                    rows[aid] = (relevant, category, reason)
                columns = [getattr(EvidenceRow, c) for c in ("article_id", "id", *_EVIDENCE_ORDER)]
                q2 = select(*columns).where(EvidenceRow.article_id.in_(part)).order_by(EvidenceRow.id)
                for aid, _id, *values in s.execute(q2):
                    by_article[aid].append(_evidence(aid, values))
        return [
            ArticleFacts(i, Relevance(rows[i][0], rows[i][1], rows[i][2] or ""), by_article[i])
            for i in article_ids
            if i in rows
        ]

    def set_link(self, article_id: str, incident_id: int, copy_of: str | None) -> None:
        with self.transaction() as s:
            stamp = now()
            s.execute(
                self.insert(IncidentRow)
                .values(id=incident_id, created_at=stamp, updated_at=stamp, sources=0, conflicts=0, reviewed=False)
                .on_conflict_do_nothing(index_elements=["id"])
            )
            s.execute(
                update(ArticleRow).where(ArticleRow.id == article_id).values(incident_id=incident_id, copy_of=copy_of)
            )

    def linked_articles(self) -> list[tuple[str, int, str]]:
        """(article id, incident id, body) of every linked article, for the linker's index."""
        with self._read() as s:
            q = select(ArticleRow.id, ArticleRow.incident_id, ArticleRow.body).where(
                ArticleRow.incident_id.is_not(None)
            )
            return [(a, i, b) for a, i, b in s.execute(q) if i is not None]

    def overrides(self, article_ids: list[str] | None = None) -> dict[str, int]:
        """A person's linking decisions (article -> incident), for these articles only when given:
        `ingest` asks per chunk, since the whole table grows with every healing."""
        q = select(LinkOverrideRow.article_id, LinkOverrideRow.incident_id)
        with self._read() as s:
            if article_ids is None:
                return {a: i for a, i in s.execute(q)}
            found: dict[str, int] = {}
            for part in chunks(article_ids):
                found.update((a, i) for a, i in s.execute(q.where(LinkOverrideRow.article_id.in_(part))))
            return found

    # --- incidents ----------------------------------------------------------

    def save_incident(
        self,
        incident: Incident,
        independent: int,
        article_id: str | None,
        actor: str = "forcewatch",
        only: list[str] | None = None,
    ) -> None:
        """Write the merged fields that changed; record every change (and removal) in history.

        `only`: the incident holds just these fields (an incremental merge, link/incremental.py:
        the others cannot have changed), so only they are read and none is removed.

        A reviewed value is never overwritten: its sources and conflicts follow the articles.
        Plain statements, not ORM objects, and the stored sources are never read back: a
        field's sources are rewritten only when its value, support or conflicts changed or
        when the new article is one of them (the others' quotes cannot have changed), so a
        rebuild does not decode the whole incident's JSON again.
        """
        assert incident.id is not None
        stamp = now()
        t = cast(Table, IncidentFieldRow.__table__)
        with self.transaction() as s:
            s.flush()
            columns = [t.c.field, t.c.value, t.c.rule, t.c.support, t.c.conflict, t.c.conflict_values]
            columns += [t.c.reviewed, t.c.review_conflicts]
            q = select(*columns).where(t.c.incident_id == incident.id)
            if only is not None:
                q = q.where(t.c.field.in_(only))  # a few dozen field names at most
            existing = {r.field: r for r in s.execute(q)}
            history: list[dict[str, Any]] = []
            inserts: list[dict[str, Any]] = []
            updates: list[dict[str, Any]] = []  # one executemany per kind of row
            reviewed_updates: list[dict[str, Any]] = []

            def changed(name: str, old: Any, new: Any) -> None:
                history.append(
                    {
                        "incident_id": incident.id,
                        "field": name,
                        "old": old,
                        "new": new,
                        "article_id": article_id,
                        "kind": "auto",
                        "actor": actor,
                        "reason": None,
                        "quote": None,
                        "at": stamp,
                    }
                )

            for name, merged in incident.fields.items():
                old = existing.get(name)
                if old is None:
                    inserts.append(
                        {
                            "incident_id": incident.id,
                            "field": name,
                            "value": merged.value,
                            "rule": merged.rule,
                            "support": merged.support,
                            "conflict": merged.conflict,
                            "conflict_values": merged.conflict_values,
                            "sources": _sources(merged),
                            "reviewed": False,
                            "review_conflicts": None,
                        }
                    )
                    changed(name, None, merged.value)
                    continue
                conflict, conflict_values = merged.conflict, merged.conflict_values
                wanted: dict[str, Any] = {"support": merged.support}
                if old.reviewed:
                    conflict, conflict_values = _with_review_conflicts(old, conflict, conflict_values)  # type: ignore[arg-type]
                else:
                    if old.value != merged.value:
                        changed(name, old.value, merged.value)
                    wanted.update(value=merged.value, rule=merged.rule)
                wanted.update(conflict=conflict, conflict_values=conflict_values)
                differs = any(getattr(old, k) != v for k, v in wanted.items())  # only what changed is written
                if differs or article_id is None or any(sv.article_id == article_id for sv in merged.sources):
                    wanted.update(field=name, sources=_sources(merged))
                    (reviewed_updates if old.reviewed else updates).append(wanted)
            gone = [n for n, old in existing.items() if n not in incident.fields and not old.reviewed and only is None]
            for name in gone:
                changed(name, existing[name].value, None)
            if gone:
                s.execute(delete(t).where(t.c.incident_id == incident.id, t.c.field.in_(gone)))
            for rows, keys in ((updates, _AUTO_KEYS), (reviewed_updates, _REVIEWED_KEYS)):
                if rows:
                    stmt = (
                        update(t)
                        .where(t.c.incident_id == incident.id, t.c.field == bindparam("_field"))
                        .values({k: bindparam(f"_{k}") for k in keys})
                    )
                    s.connection().execute(stmt, [{f"_{k}": r[k] for k in ("field", *keys)} for r in rows])
            if inserts:
                s.execute(insert(t), inserts)
            if history:
                s.execute(insert(HistoryRow), history)
            for obj in list(s.identity_map.values()):  # ORM copies of these rows are stale now
                if isinstance(obj, IncidentFieldRow) and obj.incident_id == incident.id:
                    s.expire(obj)
            row = s.get(IncidentRow, incident.id)
            if row is None:
                row = IncidentRow(id=incident.id, created_at=stamp)
                s.add(row)
            row.updated_at = stamp
            row.sources = independent
            s.flush()
            self._refresh_summary(s, incident.id)

    @staticmethod
    def _refresh_summary(s: Session, incident_id: int) -> None:
        """Recompute the incidents row's summary columns from its stored (possibly reviewed) fields."""
        t = cast(Table, IncidentFieldRow.__table__)
        rows = s.execute(select(t.c.field, t.c.value, t.c.conflict).where(t.c.incident_id == incident_id)).all()
        values = {r.field: r.value for r in rows}
        incident = s.get(IncidentRow, incident_id)
        if incident is None:
            return
        for key, value in summary_columns(values, sum(1 for r in rows if r.conflict)).items():
            if getattr(incident, key) != value:
                setattr(incident, key, value)

    def incident_rows(self) -> list[IncidentRow]:
        with self._read() as s:
            q = (
                select(IncidentRow)
                .where(IncidentRow.merged_into.is_(None), IncidentRow.sources > 0)
                .order_by(IncidentRow.id)
            )
            return list(s.scalars(q))

    def incident(self, incident_id: int) -> IncidentRow | None:
        with self._read() as s:
            return s.get(IncidentRow, incident_id)

    def incident_fields(self, incident_id: int) -> list[IncidentFieldRow]:
        with self._read() as s:
            return list(s.scalars(select(IncidentFieldRow).where(IncidentFieldRow.incident_id == incident_id)))

    def history(self, incident_id: int) -> list[HistoryRow]:
        with self._read() as s:
            q = select(HistoryRow).where(HistoryRow.incident_id == incident_id).order_by(HistoryRow.id)
            return list(s.scalars(q))

    # --- people's decisions ---------------------------------------------------

    def review(
        self,
        incident_id: int,
        field: str,
        value: Any,
        actor: str,
        reason: str,
        quote: str | None = None,
        kind: str = "review",
    ) -> None:
        """A person sets (or confirms) a field; automatic runs will not overwrite it.

        It settles the field: reviewed values that a merge brought in as conflicts are dropped.
        """
        with self.transaction() as s:
            row = s.get(IncidentFieldRow, (incident_id, field))
            old = row.value if row else None
            if row is None:
                row = IncidentFieldRow(
                    incident_id=incident_id,
                    field=field,
                    value=value,
                    rule="reviewed",
                    support=0,
                    conflict=False,
                    conflict_values=[],
                    sources=[],
                    reviewed=True,
                )
                s.add(row)
            row.value, row.reviewed, row.rule = value, True, "reviewed"
            if row.review_conflicts:
                row.review_conflicts = None
                row.conflict, row.conflict_values = False, []
            s.add(
                HistoryRow(
                    incident_id=incident_id,
                    field=field,
                    old=old,
                    new=value,
                    kind=kind,
                    actor=actor,
                    reason=reason,
                    quote=quote,
                    at=now(),
                )
            )
            s.execute(update(IncidentRow).where(IncidentRow.id == incident_id).values(reviewed=True, updated_at=now()))
            s.flush()
            self._refresh_summary(s, incident_id)

    def relink(
        self,
        article_ids: list[str],
        incident_id: int,
        kind: str,
        actor: str,
        reason: str | None,
        source: int | None = None,
    ) -> None:
        """Move articles to an incident by a person's decision, kept as overrides and in history."""
        with self.transaction() as s:
            stamp = now()
            if s.get(IncidentRow, incident_id) is None:
                s.add(
                    IncidentRow(
                        id=incident_id, created_at=stamp, updated_at=stamp, sources=0, conflicts=0, reviewed=False
                    )
                )
                s.flush()
            for part in chunks(article_ids):
                s.execute(update(ArticleRow).where(ArticleRow.id.in_(part)).values(incident_id=incident_id))
                s.execute(delete(LinkOverrideRow).where(LinkOverrideRow.article_id.in_(part)))
            s.add_all([LinkOverrideRow(article_id=a, incident_id=incident_id) for a in article_ids])
            s.add(
                HistoryRow(
                    incident_id=incident_id,
                    field=None,
                    old=source,
                    new=article_ids,
                    kind=kind,
                    actor=actor,
                    reason=reason,
                    at=stamp,
                )
            )
            if source is not None and source != incident_id:
                s.add(
                    HistoryRow(
                        incident_id=source,
                        field=None,
                        old=article_ids,
                        new=incident_id,
                        kind=kind,
                        actor=actor,
                        reason=reason,
                        at=stamp,
                    )
                )

    def split_pairs(self) -> set[frozenset[int]]:
        """Pairs of incidents a person split apart (history kind 'split'): never healed together."""
        with self.session() as s:
            rows = s.execute(select(HistoryRow.incident_id, HistoryRow.old).where(HistoryRow.kind == "split"))
            return {frozenset((int(a), int(b))) for a, b in rows if isinstance(b, int) and a != b}

    def retire(self, incident_id: int, into: int | None, actor: str = "forcewatch") -> None:
        """Mark an incident emptied by a merge or split; its automatic fields go (each a history row).

        Reviewed fields stay on it, so `unmerge` can bring them back.
        """
        with self.transaction() as s:
            stamp = now()
            s.execute(update(IncidentRow).where(IncidentRow.id == incident_id).values(merged_into=into, sources=0))
            gone = s.scalars(
                select(IncidentFieldRow).where(
                    IncidentFieldRow.incident_id == incident_id, IncidentFieldRow.reviewed.is_(False)
                )
            )
            for row in gone:
                s.add(
                    HistoryRow(
                        incident_id=incident_id,
                        field=row.field,
                        old=row.value,
                        new=None,
                        kind="merge" if into is not None else "auto",
                        actor=actor,
                        reason=f"merged into incident {into}" if into is not None else "no articles left",
                        at=stamp,
                    )
                )
                s.delete(row)

    def absorb_reviews(self, target: int, other: int, actor: str, reason: str | None) -> None:
        """A merge: bring `other`'s reviewed values onto `target`.

        A field the target has not reviewed takes the value (history kind "merge-review"); a
        field both reviewed differently keeps the target's value and shows the other as a
        conflict naming its reviewer (history kind "merge-conflict"), until someone reviews it.
        """
        with self.transaction() as s:
            stamp = now()
            theirs = s.scalars(
                select(IncidentFieldRow).where(IncidentFieldRow.incident_id == other, IncidentFieldRow.reviewed)
            )
            for row in list(theirs):
                reviewer = self._reviewer(s, other, row.field)
                ours = s.get(IncidentFieldRow, (target, row.field))
                note = f"reviewed on incident {other} by {reviewer}" + (f"; {reason}" if reason else "")
                if ours is not None and ours.reviewed:
                    if ours.value == row.value:
                        continue
                    entry = {"value": row.value, "reviewer": reviewer, "incident": other}
                    ours.review_conflicts = [*(ours.review_conflicts or []), entry]
                    ours.conflict, ours.conflict_values = _with_review_conflicts(
                        ours, ours.conflict, list(cast(list[Any], ours.conflict_values or []))
                    )
                    kind, old = "merge-conflict", ours.value
                else:
                    old = ours.value if ours is not None else None
                    if ours is None:
                        ours = IncidentFieldRow(
                            incident_id=target,
                            field=row.field,
                            rule="reviewed",
                            support=0,
                            conflict=False,
                            conflict_values=[],
                            sources=[],
                        )
                        s.add(ours)
                    ours.value, ours.reviewed, ours.rule = row.value, True, "reviewed"
                    kind = "merge-review"
                s.add(
                    HistoryRow(
                        incident_id=target,
                        field=row.field,
                        old=old,
                        new=row.value,
                        kind=kind,
                        actor=actor,
                        reason=note,
                        at=stamp,
                    )
                )
            s.flush()
            self._refresh_summary(s, target)

    @staticmethod
    def _reviewer(s: Session, incident_id: int, field: str) -> str:
        q = (
            select(HistoryRow.actor)
            .where(
                HistoryRow.incident_id == incident_id,
                HistoryRow.field == field,
                HistoryRow.kind.in_(("review", "confirm", "merge-review")),
            )
            .order_by(HistoryRow.id.desc())
            .limit(1)
        )
        return s.scalars(q).first() or "unknown"

    def unmerge(self, other: int, actor: str, reason: str | None) -> tuple[int, list[str]]:
        """Undo the last merge of `other`: (the incident it was merged into, the articles moved back).

        The articles go back (as overrides), `other` is live again with its own reviewed
        values, and what the merge brought onto the target is taken off it (unless reviewed
        since). The caller rebuilds both incidents. Everything lands in history.
        """
        with self.transaction() as s:
            row = s.get(IncidentRow, other)
            if row is None or row.merged_into is None:
                raise ValueError(f"incident {other} is not merged into another incident")
            target = row.merged_into
            merge_rows = list(
                s.scalars(
                    select(HistoryRow)
                    .where(HistoryRow.incident_id == target, HistoryRow.kind == "merge", HistoryRow.field.is_(None))
                    .order_by(HistoryRow.id)
                )
            )
            merge_rows = [h for h in merge_rows if h.old == other]
            if not merge_rows:
                raise ValueError(f"no merge of incident {other} into {target} in history")
            merged_at = merge_rows[-1]
            still_there = {a.id for a in self.articles(target)}
            moved = [a for a in cast(list[str], merged_at.new or []) if a in still_there]
            # What the merge brought: undo it unless someone reviewed the field since.
            later = list(
                s.scalars(
                    select(HistoryRow)
                    .where(HistoryRow.incident_id == target, HistoryRow.id > merged_at.id)
                    .order_by(HistoryRow.id)
                )
            )
            stamp = now()
            for h in later:
                if h.kind not in ("merge-review", "merge-conflict") or h.field is None:
                    continue
                if f"on incident {other} " not in (h.reason or ""):
                    continue
                if any(x.field == h.field and x.id > h.id and x.kind in ("review", "confirm") for x in later):
                    continue
                field_row = s.get(IncidentFieldRow, (target, h.field))
                if field_row is None:
                    continue
                if h.kind == "merge-review":
                    field_row.reviewed, field_row.rule = False, "unmerged"  # the next rebuild sets it
                    undone_old, undone_new = field_row.value, h.old
                    field_row.value = h.old
                else:
                    kept = [c for c in field_row.review_conflicts or [] if c.get("incident") != other]
                    field_row.review_conflicts = kept or None
                    field_row.conflict, field_row.conflict_values = _with_review_conflicts(field_row, False, [])
                    undone_old, undone_new = h.new, None
                s.add(
                    HistoryRow(
                        incident_id=target,
                        field=h.field,
                        old=undone_old,
                        new=undone_new,
                        kind="unmerge",
                        actor=actor,
                        reason=f"undoing the merge of incident {other}" + (f"; {reason}" if reason else ""),
                        at=stamp,
                    )
                )
            row.merged_into = None
            s.flush()
            self.relink(moved, other, "unmerge", actor, reason, source=target)
            return target, moved

    def next_incident_id(self) -> int:
        with self._read() as s:
            ids = list(s.scalars(select(IncidentRow.id).order_by(IncidentRow.id.desc()).limit(1)))
            return (ids[0] if ids else 0) + 1

    # --- feeds and users ------------------------------------------------------

    def feed_state(self, url: str) -> str | None:
        with self._read() as s:
            row = s.get(FeedRow, url)
            return row.state if row else None

    def set_feed_state(self, url: str, state: str) -> None:
        with self.transaction() as s:
            stmt = self.insert(FeedRow).values(url=url, state=state)
            s.execute(stmt.on_conflict_do_update(index_elements=["url"], set_={"state": state}))

    def add_user(self, name: str, password_hash: str) -> None:
        with self.transaction() as s:
            s.merge(UserRow(name=name, password_hash=password_hash, created_at=now()))

    def user(self, name: str) -> UserRow | None:
        with self._read() as s:
            return s.get(UserRow, name)


#: The columns a rebuild writes on an automatic field, and on a reviewed one (never its value).
_REVIEWED_KEYS = ("support", "conflict", "conflict_values", "sources")
_AUTO_KEYS = ("value", "rule", *_REVIEWED_KEYS)

_EVIDENCE_ORDER = ("field", "value", "start", "end", "quote", "confidence", "extractor", "value_start", "value_end")


def _copy(s: Session, table: str, rows: list[dict[str, Any]], json_columns: tuple[str, ...] = ()) -> None:
    """PostgreSQL COPY ... FROM STDIN through psycopg (several times faster than INSERT for a chunk).

    JSON columns are written as the JSON text SQLAlchemy's JSON type would write (None as JSON null).
    """
    if not rows:
        return
    columns = list(rows[0])
    raw = s.connection().connection.driver_connection
    assert raw is not None
    names = ", ".join(f'"{c}"' for c in columns)
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])


def _as_stored(facts: ArticleFacts) -> ArticleFacts:
    """The facts as a read from the database would give them (values through JSON: tuples become lists)."""
    evidence = [dataclasses.replace(e, value=json.loads(json.dumps(e.value))) for e in facts.evidence]
    relevance = Relevance(facts.relevance.relevant, facts.relevance.category, facts.relevance.reason or "")
    return ArticleFacts(facts.article_id, relevance, evidence)


def _evidence(article_id: str, values: list[Any]) -> Evidence:
    field, value, start, end, quote, confidence, extractor, value_start, value_end = values
    return Evidence(field, value, start, end, quote, confidence, extractor, article_id, value_start, value_end)


def _article_row(article: Article, facts: ArticleFacts, stamp: datetime) -> dict[str, Any]:
    return {
        "id": article.id,
        "path": article.path,
        "url": article.url,
        "outlet": article.outlet,
        "byline": article.byline,
        "published": article.published,
        "title": article.title,
        "body": article.body,
        "language": article.language,
        "ingested_at": stamp,
        "relevant": facts.relevance.relevant,
        "category": facts.relevance.category,
        "reason": facts.relevance.reason,
        "incident_id": None,
        "copy_of": None,
    }


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling leaves DDL outside any transaction (a kill during
    # the first migration left half a schema): SQLAlchemy's recipe is to switch it off and
    # emit BEGIN ourselves (`_sqlite_begin`), so migrations are atomic too.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")
