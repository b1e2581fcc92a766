"""Finished partitions of `forcewatch batch`, so a rerun skips them.

Created only if missing: `batch` created it itself before this revision existed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if not sa.inspect(op.get_bind()).has_table("batch_partitions"):
        op.create_table(
            "batch_partitions",
            sa.Column("key", sa.String(64), primary_key=True),
            sa.Column("articles", sa.Integer(), nullable=False),
            sa.Column("stored", sa.Integer(), nullable=False),
            sa.Column("relevant", sa.Integer(), nullable=False),
            sa.Column("first_source", sa.Text(), nullable=True),
            sa.Column("finished_at", sa.DateTime(), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("batch_partitions")
