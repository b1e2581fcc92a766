"""The Store: the one write path into the database, SQLite by default, PostgreSQL for teams.

Every write goes through a method here, in its own transaction. Inserts of
articles are upserts on the content hash (`ON CONFLICT DO NOTHING`), so ingesting
the same article twice, or from two processes at once, changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, select, text, update
from sqlalchemy.orm import Session

from forcewatch.model import Article, ArticleFacts, Evidence, Incident, Relevance
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

DEFAULT_DB = "forcewatch.db"

#: PostgreSQL advisory lock keys: one writer links at a time; one process migrates at a time.
WRITER_LOCK = 0x666F7263
MIGRATE_LOCK = 0x666F7264


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def database_url(db: str | None) -> str:
    """A path becomes a SQLite URL; URLs (postgresql://...) pass through; FORCEWATCH_DB is the default."""
    db = db or os.environ.get("FORCEWATCH_DB") or DEFAULT_DB
    if "://" in db:
        if db.startswith("postgresql://"):
            return "postgresql+psycopg://" + db[len("postgresql://") :]
        return db
    return f"sqlite:///{os.path.abspath(db)}"


def _insert(engine: Engine):  # noqa: ANN202 - dialect-specific insert construct
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    from forcewatch.store.current import schema_current

    if schema_current(engine):  # nothing to do: skip importing Alembic (a quarter of a second)
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("forcewatch.store").joinpath("migrations")))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":  # two processes opening a new database at once
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATE_LOCK})
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


class Store:
    """All reads and writes the rest of forcewatch needs."""

    def __init__(self, db: str | None = None) -> None:
        self.url = database_url(db)
        self.engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        migrate(self.engine)
        self.insert = _insert(self.engine)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the linking writer's lock (PostgreSQL: a session advisory lock; SQLite: nothing).

        The linker gives new incidents ids from a counter loaded from the store, so two
        processes linking at once would hand the same id to different incidents.
        Load the linker inside this block. A killed holder releases it with its connection.
        """
        if self.engine.dialect.name != "postgresql":
            yield
            return
        with self.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": WRITER_LOCK})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": WRITER_LOCK})
                conn.commit()

    # --- articles ---------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        with self.session() as s:
            return s.get(ArticleRow, article_id) is not None

    def add_article(self, article: Article, facts: ArticleFacts) -> bool:
        """Store an article and its evidence; False (and nothing written) if already stored."""
        row = {
            "id": article.id,
            "path": article.path,
            "url": article.url,
            "outlet": article.outlet,
            "byline": article.byline,
            "published": article.published,
            "title": article.title,
            "body": article.body,
            "language": article.language,
            "ingested_at": now(),
            "relevant": facts.relevance.relevant,
            "category": facts.relevance.category,
            "reason": facts.relevance.reason,
        }
        with self.engine.begin() as conn:
            stmt = self.insert(ArticleRow).values(**row).on_conflict_do_nothing(index_elements=["id"])
            # Without preserve_rowcount, psycopg results report rowcount -1 and a duplicate looks new.
            result = conn.execute(stmt, execution_options={"preserve_rowcount": True})
            if result.rowcount == 0:
                return False
            if facts.evidence:
                conn.execute(
                    EvidenceRow.__table__.insert(),
                    [{"article_id": article.id, **evidence_dict(e)} for e in facts.evidence],
                )
        return True

    def article(self, article_id: str) -> ArticleRow | None:
        with self.session() as s:
            return s.get(ArticleRow, article_id)

    def articles(self, incident_id: int | None = None) -> list[ArticleRow]:
        with self.session() as s:
            q = select(ArticleRow).order_by(ArticleRow.published.is_(None), ArticleRow.published, ArticleRow.path)
            if incident_id is not None:
                q = q.where(ArticleRow.incident_id == incident_id)
            return list(s.scalars(q))

    def iter_articles(self) -> Iterator[ArticleRow]:
        with self.session() as s:
            yield from s.scalars(select(ArticleRow).order_by(ArticleRow.path).execution_options(yield_per=500))

    def evidence(self, article_ids: list[str]) -> list[EvidenceRow]:
        with self.session() as s:
            q = select(EvidenceRow).where(EvidenceRow.article_id.in_(article_ids)).order_by(EvidenceRow.id)
            return list(s.scalars(q))

    def facts(self, article_ids: list[str]) -> list[ArticleFacts]:
        """ArticleFacts rebuilt from stored rows, in the order given."""
        rows = {a.id: a for a in (self.article(i) for i in article_ids) if a}
        by_article: dict[str, list[Evidence]] = {i: [] for i in article_ids}
        for e in self.evidence(article_ids):
            by_article[e.article_id].append(
                Evidence(
                    e.field,
                    e.value,
                    e.start,
                    e.end,
                    e.quote,
                    e.confidence,
                    e.extractor,
                    e.article_id,
                    e.value_start,
                    e.value_end,
                )
            )
        return [
            ArticleFacts(i, Relevance(rows[i].relevant, rows[i].category, rows[i].reason or ""), by_article[i])
            for i in article_ids
            if i in rows
        ]

    def set_link(self, article_id: str, incident_id: int, copy_of: str | None) -> None:
        with self.engine.begin() as conn:
            stamp = now()
            conn.execute(
                self.insert(IncidentRow)
                .values(id=incident_id, created_at=stamp, updated_at=stamp, sources=0, conflicts=0, reviewed=False)
                .on_conflict_do_nothing(index_elements=["id"])
            )
            conn.execute(
                update(ArticleRow).where(ArticleRow.id == article_id).values(incident_id=incident_id, copy_of=copy_of)
            )

    def linked_articles(self) -> list[tuple[str, int, str]]:
        """(article id, incident id, body) of every linked article, for the linker's index."""
        with self.session() as s:
            q = select(ArticleRow.id, ArticleRow.incident_id, ArticleRow.body).where(
                ArticleRow.incident_id.is_not(None)
            )
            return [(a, i, b) for a, i, b in s.execute(q)]

    def overrides(self) -> dict[str, int]:
        with self.session() as s:
            return {r.article_id: r.incident_id for r in s.scalars(select(LinkOverrideRow))}

    # --- incidents ----------------------------------------------------------

    def save_incident(
        self, incident: Incident, independent: int, article_id: str | None, actor: str = "forcewatch"
    ) -> None:
        """Write the merged fields; record every change in history; never overwrite a reviewed value."""
        assert incident.id is not None
        stamp = now()
        with self.session() as s, s.begin():
            existing = {
                r.field: r
                for r in s.scalars(select(IncidentFieldRow).where(IncidentFieldRow.incident_id == incident.id))
            }
            for name, merged in incident.fields.items():
                sources = [
                    {
                        "article": sv.article_id,
                        "value": sv.value,
                        "quotes": [e.quote for e in sv.evidence][:3],
                        "contradicting": [{"value": e.value, "quote": e.quote} for e in sv.contradicting],
                    }
                    for sv in merged.sources
                ]
                old = existing.get(name)
                if old is not None and old.reviewed:
                    old.sources, old.support, old.conflict_values = sources, merged.support, merged.conflict_values
                    old.conflict = merged.conflict
                    continue
                if old is None:
                    s.add(
                        IncidentFieldRow(
                            incident_id=incident.id,
                            field=name,
                            value=merged.value,
                            rule=merged.rule,
                            support=merged.support,
                            conflict=merged.conflict,
                            conflict_values=merged.conflict_values,
                            sources=sources,
                            reviewed=False,
                        )
                    )
                    s.add(
                        HistoryRow(
                            incident_id=incident.id,
                            field=name,
                            old=None,
                            new=merged.value,
                            article_id=article_id,
                            kind="auto",
                            actor=actor,
                            at=stamp,
                        )
                    )
                else:
                    if old.value != merged.value:
                        s.add(
                            HistoryRow(
                                incident_id=incident.id,
                                field=name,
                                old=old.value,
                                new=merged.value,
                                article_id=article_id,
                                kind="auto",
                                actor=actor,
                                at=stamp,
                            )
                        )
                    old.value, old.rule, old.support = merged.value, merged.rule, merged.support
                    old.conflict, old.conflict_values, old.sources = merged.conflict, merged.conflict_values, sources
            for name, old in existing.items():
                if name not in incident.fields and not old.reviewed:
                    s.delete(old)
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
        rows = list(s.scalars(select(IncidentFieldRow).where(IncidentFieldRow.incident_id == incident_id)))
        values = {r.field: r.value for r in rows}
        incident = s.get(IncidentRow, incident_id)
        if incident is None:
            return
        for key, value in summary_columns(values, sum(1 for r in rows if r.conflict)).items():
            setattr(incident, key, value)

    def incident_rows(self) -> list[IncidentRow]:
        with self.session() as s:
            q = (
                select(IncidentRow)
                .where(IncidentRow.merged_into.is_(None), IncidentRow.sources > 0)
                .order_by(IncidentRow.id)
            )
            return list(s.scalars(q))

    def incident(self, incident_id: int) -> IncidentRow | None:
        with self.session() as s:
            return s.get(IncidentRow, incident_id)

    def incident_fields(self, incident_id: int) -> list[IncidentFieldRow]:
        with self.session() as s:
            return list(s.scalars(select(IncidentFieldRow).where(IncidentFieldRow.incident_id == incident_id)))

    def history(self, incident_id: int) -> list[HistoryRow]:
        with self.session() as s:
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
        """A person sets (or confirms) a field; automatic runs will not overwrite it."""
        with self.session() as s, s.begin():
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
        with self.session() as s, s.begin():
            stamp = now()
            if s.get(IncidentRow, incident_id) is None:
                s.add(
                    IncidentRow(
                        id=incident_id, created_at=stamp, updated_at=stamp, sources=0, conflicts=0, reviewed=False
                    )
                )
                s.flush()
            for article_id in article_ids:
                s.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(incident_id=incident_id))
                s.execute(delete(LinkOverrideRow).where(LinkOverrideRow.article_id == article_id))
                s.add(LinkOverrideRow(article_id=article_id, incident_id=incident_id))
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

    def retire(self, incident_id: int, into: int | None) -> None:
        """Mark an incident emptied by a merge or split."""
        with self.engine.begin() as conn:
            conn.execute(update(IncidentRow).where(IncidentRow.id == incident_id).values(merged_into=into, sources=0))
            conn.execute(
                delete(IncidentFieldRow).where(
                    IncidentFieldRow.incident_id == incident_id, IncidentFieldRow.reviewed.is_(False)
                )
            )

    def next_incident_id(self) -> int:
        with self.session() as s:
            ids = list(s.scalars(select(IncidentRow.id).order_by(IncidentRow.id.desc()).limit(1)))
            return (ids[0] if ids else 0) + 1

    # --- feeds and users ------------------------------------------------------

    def feed_state(self, url: str) -> str | None:
        with self.session() as s:
            row = s.get(FeedRow, url)
            return row.state if row else None

    def set_feed_state(self, url: str, state: str) -> None:
        with self.engine.begin() as conn:
            stmt = self.insert(FeedRow).values(url=url, state=state)
            conn.execute(stmt.on_conflict_do_update(index_elements=["url"], set_={"state": state}))

    def add_user(self, name: str, password_hash: str) -> None:
        with self.session() as s, s.begin():
            s.merge(UserRow(name=name, password_hash=password_hash, created_at=now()))

    def user(self, name: str) -> UserRow | None:
        with self.session() as s:
            return s.get(UserRow, name)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
