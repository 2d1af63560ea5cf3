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
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("birth_place", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("tax_code", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("tax_code")
        batch_op.drop_column("birth_place")
        batch_op.drop_column("birth_date")
