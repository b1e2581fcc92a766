"""The tables of migration 0008 as SQLAlchemy Core tables (the publish package's own metadata).

Kept apart from store/schema.py so the publish features add no code to the write path;
the crosswalk ids are columns of `incidents`, declared here on a light table object.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table, Text

metadata = MetaData()

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target", Text, nullable=False),  # the webhook URL
    Column("event_id", String(40), nullable=False),
    Column("incident_id", Integer, nullable=False),
    Column("status", String(20), nullable=False),  # sending, delivered, failed
    Column("attempts", Integer, nullable=False),
    Column("last_code", Integer),
    Column("last_error", Text),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

releases = Table(
    "releases",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("history_id", Integer, nullable=False),  # the last history row the release includes
    Column("incidents", Integer, nullable=False),
    Column("summary", JSON),
)

release_files = Table(
    "release_files",
    metadata,
    Column("release", Integer, primary_key=True),
    Column("filename", String(80), primary_key=True),
    Column("media_type", String(80), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", Text, nullable=False),
)

comparisons = Table(
    "comparisons",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("database", String(10), nullable=False),  # wapo, mpv, fe
    Column("source", Text, nullable=False),  # the file compared
    Column("at", DateTime, nullable=False),
    Column("date_from", String(10)),
    Column("date_to", String(10)),
    Column("rows", Integer, nullable=False),
    Column("incidents", Integer, nullable=False),  # forcewatch incidents in the rows' period and country
    Column("matched", Integer, nullable=False),
    Column("report", JSON),
)

#: The crosswalk columns on `incidents`, one per reference database.
CROSSWALK = {"wapo": "wapo_id", "mpv": "mpv_id", "fe": "fe_id"}

incident_crosswalk = Table(
    "incidents",
    MetaData(),  # a second view of `incidents`, only the columns this package writes
    Column("id", Integer, primary_key=True),
    Column("wapo_id", String(40)),
    Column("mpv_id", String(40)),
    Column("fe_id", String(40)),
)
