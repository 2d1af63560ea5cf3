"""assessments: release_when_graded (a quiz's grade released as soon as it is graded)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 13:30:00

"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "assessments",
        sa.Column("release_when_graded", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    with warnings.catch_warnings():
        # SQLite rebuilds the table from its reflection, which also reflects the tables its
        # foreign keys name; their expression indexes (untouched here) are only warned about.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        with op.batch_alter_table("assessments", schema=None) as batch_op:
            batch_op.drop_column("release_when_graded")
