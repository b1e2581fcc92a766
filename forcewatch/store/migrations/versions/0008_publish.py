"""Publishing: webhook delivery log, releases with their files, crosswalk ids, comparison runs, an outlet index.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CROSSWALK = ("wapo_id", "mpv_id", "fe_id")


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    tables = set(inspector.get_table_names())
    if "deliveries" not in tables:
        op.create_table(
            "deliveries",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("target", sa.Text(), nullable=False),
            sa.Column("event_id", sa.String(length=40), nullable=False),
            sa.Column("incident_id", sa.Integer(), nullable=False),
            sa.Column("status", sa.String(length=20), nullable=False),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("last_code", sa.Integer(), nullable=True),
            sa.Column("last_error", sa.Text(), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("target", "event_id", name="uq_deliveries_target_event"),
        )
    if "releases" not in tables:
        op.create_table(
            "releases",
            sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("name", sa.Text(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("history_id", sa.Integer(), nullable=False),
            sa.Column("incidents", sa.Integer(), nullable=False),
            sa.Column("summary", sa.JSON(), nullable=True),
            sa.PrimaryKeyConstraint("number"),
            sa.UniqueConstraint("name", name="uq_releases_name"),
        )
    if "release_files" not in tables:
        op.create_table(
            "release_files",
            sa.Column("release", sa.Integer(), nullable=False),
            sa.Column("filename", sa.String(length=80), nullable=False),
            sa.Column("media_type", sa.String(length=80), nullable=False),
            sa.Column("sha256", sa.String(length=64), nullable=False),
            sa.Column("content", sa.Text(), nullable=False),
            sa.ForeignKeyConstraint(["release"], ["releases.number"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("release", "filename"),
        )
    if "comparisons" not in tables:
        op.create_table(
            "comparisons",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("database", sa.String(length=10), nullable=False),
            sa.Column("source", sa.Text(), nullable=False),
            sa.Column("at", sa.DateTime(), nullable=False),
            sa.Column("date_from", sa.String(length=10), nullable=True),
            sa.Column("date_to", sa.String(length=10), nullable=True),
            sa.Column("rows", sa.Integer(), nullable=False),
            sa.Column("incidents", sa.Integer(), nullable=False),
            sa.Column("matched", sa.Integer(), nullable=False),
            sa.Column("report", sa.JSON(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
    # The coverage estimate reads each incident's outlets; without this index it reads every article's body pages.
    if "ix_articles_incident_outlet" not in {i["name"] for i in inspector.get_indexes("articles")}:
        op.create_index("ix_articles_incident_outlet", "articles", ["incident_id", "outlet", "copy_of"])
    columns = {c["name"] for c in inspector.get_columns("incidents")}
    with op.batch_alter_table("incidents") as batch:
        for name in CROSSWALK:
            if name not in columns:
                batch.add_column(sa.Column(name, sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        for name in CROSSWALK:
            batch.drop_column(name)
    op.drop_index("ix_articles_incident_outlet", table_name="articles")
    op.drop_table("comparisons")
    op.drop_table("release_files")
    op.drop_table("releases")
    op.drop_table("deliveries")
