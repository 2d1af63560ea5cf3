"""the holder's data printed on certificates: date and place of birth, tax code

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 12:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD/DROP COLUMN (SQLite 3.35+ too): a batch copy of "users" would lose its
    # expression indexes.
    op.add_column("users", sa.Column("birth_date", sa.Date(), nullable=True))
    op.add_column("users", sa.Column("birth_place", sa.String(length=120), nullable=True))
    op.add_column("users", sa.Column("tax_code", sa.String(length=16), nullable=True))


def downgrade():
    op.drop_column("users", "tax_code")
    op.drop_column("users", "birth_place")
    op.drop_column("users", "birth_date")
