"""Evidence keeps the span of the value's own words beside its sentence.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("evidence")}
    with op.batch_alter_table("evidence") as batch:
        if "value_start" not in columns:
            batch.add_column(sa.Column("value_start", sa.Integer(), nullable=True))
        if "value_end" not in columns:
            batch.add_column(sa.Column("value_end", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("value_end")
        batch.drop_column("value_start")
