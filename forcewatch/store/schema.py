"""Database tables (SQLAlchemy 2), the same for SQLite and PostgreSQL.

Every table is readable on its own in the sqlite3 shell or Datasette: values are
JSON text, evidence rows carry their quote, history rows say who changed what.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    path: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), default="en")
    ingested_at: Mapped[datetime] = mapped_column(DateTime)
    relevant: Mapped[bool] = mapped_column(Boolean, default=False)
    category: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    copy_of: Mapped[str | None] = mapped_column(String(32))  # syndicated copy of this article


class EvidenceRow(Base):
    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_article_field", "article_id", "field"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(40))
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    extractor: Mapped[str] = mapped_column(String(60))
    value_start: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the value's own words
    value_end: Mapped[int | None] = mapped_column(Integer, nullable=True)


#: The columns an evidence row shares with `forcewatch.model.Evidence` (same names on both).
EVIDENCE_COLUMNS = ("field", "value", "start", "end", "quote", "confidence", "extractor", "value_start", "value_end")


def evidence_dict(e: object) -> dict[str, object]:
    """An Evidence or an EvidenceRow as the plain dict the store writes and the pages read."""
    return {name: getattr(e, name) for name in EVIDENCE_COLUMNS}


class IncidentRow(Base):
    __tablename__ = "incidents"
    __table_args__ = (
        Index(
            "ix_incidents_live",
            "date",
            "country",
            "category",
            "conflicts",
            "reviewed",
            "armed",
            "sources",
            sqlite_where=text("merged_into IS NULL AND sources > 0"),
            postgresql_where=text("merged_into IS NULL AND sources > 0"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    merged_into: Mapped[int | None] = mapped_column(Integer)
    # Denormalised for fast listing and filtering (the web list and `incidents`).
    date: Mapped[str | None] = mapped_column(String(10), index=True)
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(Text)
    locality: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(40))
    agency: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    armed: Mapped[str | None] = mapped_column(String(20))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    sources: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)


class IncidentFieldRow(Base):
    __tablename__ = "incident_fields"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    rule: Mapped[str] = mapped_column(Text)
    support: Mapped[int] = mapped_column(Integer)
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    conflict_values: Mapped[object] = mapped_column(JSON, nullable=True)
    sources: Mapped[object] = mapped_column(JSON, nullable=True)  # [{article, value, evidence: [ids]}]
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Reviewed values a merge brought from another incident that disagree with this one's:
    # [{value, reviewer, incident}], shown as conflicts until someone reviews the field.
    review_conflicts: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)


class HistoryRow(Base):
    __tablename__ = "history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(Integer, index=True)
    field: Mapped[str | None] = mapped_column(String(40))
    old: Mapped[object] = mapped_column(JSON, nullable=True)
    new: Mapped[object] = mapped_column(JSON, nullable=True)
    article_id: Mapped[str | None] = mapped_column(String(32))
    # auto, review, confirm, merge, merge-review, merge-conflict, split, unmerge
    kind: Mapped[str] = mapped_column(String(20), index=True)  # migration 0012: splits and moves are asked for
    actor: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)


class LinkOverrideRow(Base):
    """A person's decision on linking (merge/split); later runs respect it."""

    __tablename__ = "link_overrides"

    article_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    incident_id: Mapped[int] = mapped_column(Integer)


class FeedRow(Base):
    __tablename__ = "feeds"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    state: Mapped[str] = mapped_column(Text)


class UserRow(Base):
    __tablename__ = "users"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # see store/accounts.py
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
