"""An index on history's `kind`: every linker load asks for the splits (pairs never healed
together) and every catch-up for the merges, unmerges and splits since; without it each
question scans the whole history, which grows by a row per changed field of every article.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_history_kind", "history", ["kind"])


def downgrade() -> None:
    op.drop_index("ix_history_kind", table_name="history")
