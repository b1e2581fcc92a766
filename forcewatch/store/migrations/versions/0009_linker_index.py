"""The linker's persistent index: one row per linked article (its linking profile and MinHash).

`load_linker` (forcewatch/link/index.py) reads these rows instead of re-reading every
linked body and its evidence on each `ingest` call. Created only if missing: the index
creates the table itself on databases that have not run this revision.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if not sa.inspect(op.get_bind()).has_table("linker_index"):
        op.create_table(
            "linker_index",
            sa.Column("article_id", sa.String(64), primary_key=True),
            sa.Column("incident_id", sa.Integer(), nullable=False),
            sa.Column("version", sa.String(16), nullable=False),
            sa.Column("profile", sa.Text(), nullable=False),
            sa.Column("minhash", sa.LargeBinary(), nullable=True),
        )


def downgrade() -> None:
    op.drop_table("linker_index")
