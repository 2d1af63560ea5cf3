"""api tokens expire: expires_at (existing tokens: 90 days after their creation)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 12:35:00

"""

import datetime as dt
import warnings

import sqlalchemy as sa
from alembic import op

import lms.db

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

tokens = sa.table(
    "api_tokens",
    sa.column("id", sa.Integer()),
    sa.column("created_at", lms.db.UTCDateTime(timezone=True)),
    sa.column("expires_at", lms.db.UTCDateTime(timezone=True)),
)


def upgrade():
    op.add_column("api_tokens", sa.Column("expires_at", lms.db.UTCDateTime(timezone=True)))
    conn = op.get_bind()
    for token_id, created_at in conn.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        conn.execute(
            tokens.update()
            .where(tokens.c.id == token_id)
            .values(expires_at=created_at + dt.timedelta(days=90))
        )
    with warnings.catch_warnings():
        # SQLite rebuilds the table from its reflection, which also reflects the tables its
        # foreign keys name; their expression indexes (untouched here) are only warned about.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        with op.batch_alter_table("api_tokens", schema=None) as batch_op:
            batch_op.alter_column(
                "expires_at", existing_type=lms.db.UTCDateTime(timezone=True), nullable=False
            )


def downgrade():
    op.drop_column("api_tokens", "expires_at")
