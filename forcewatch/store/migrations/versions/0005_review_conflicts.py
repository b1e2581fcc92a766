"""Incident fields keep the reviewed values a merge brought from another incident that disagree.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("incident_fields")}
    if "review_conflicts" not in columns:
        with op.batch_alter_table("incident_fields") as batch:
            batch.add_column(sa.Column("review_conflicts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incident_fields") as batch:
        batch.drop_column("review_conflicts")
