"""Import batches record what an undo and a report need: checksum, mapping, counts, options.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_batch") as batch:
        batch.add_column(sa.Column("checksum", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("mapping", sa.Text(), nullable=True))
        batch.add_column(sa.Column("counts", sa.Text(), nullable=True))
        batch.add_column(
            sa.Column("full_list", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("supporters", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("undone_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_batch") as batch:
        for name in ("undone_at", "supporters", "full_list", "counts", "mapping", "checksum"):
            batch.drop_column(name)
