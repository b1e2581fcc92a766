"""Partial index for the incident list: live incidents, by the columns people filter on.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "merged_into IS NULL AND sources > 0"


def upgrade() -> None:
    op.create_index(
        "ix_incidents_live",
        "incidents",
        ["date", "country", "category", "conflicts", "reviewed", "armed", "sources"],
        sqlite_where=sa.text(LIVE),
        postgresql_where=sa.text(LIVE),
    )


def downgrade() -> None:
    op.drop_index("ix_incidents_live", table_name="incidents")
