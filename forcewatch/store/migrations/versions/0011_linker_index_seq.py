"""The linker index's rows in link order: a `seq` column (rows load in the order they were linked).

Rows written before this revision have no `seq`; the index recomputes them once, from the
stored evidence and bodies, the first time a linker is loaded (forcewatch/link/index.py).

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("linker_index") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.create_index("ix_linker_index_seq", ["seq"])


def downgrade() -> None:
    with op.batch_alter_table("linker_index") as batch:
        batch.drop_index("ix_linker_index_seq")
        batch.drop_column("seq")
