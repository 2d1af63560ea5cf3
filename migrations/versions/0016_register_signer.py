"""registers: who a coordinator signed on behalf of

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 13:30:00

"""
import warnings

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

FK = 'fk_registers_on_behalf_of_id_users'


def upgrade():
    with warnings.catch_warnings():
        # SQLite rebuilds the table from its reflection, which also reflects the tables its
        # foreign keys name; their expression indexes (untouched here) are only warned about.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        with op.batch_alter_table('registers', schema=None) as batch_op:
            batch_op.add_column(sa.Column('on_behalf_of_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                FK, 'users', ['on_behalf_of_id'], ['id'], ondelete='RESTRICT'
            )


def downgrade():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        with op.batch_alter_table('registers', schema=None) as batch_op:
            batch_op.drop_constraint(FK, type_='foreignkey')
            batch_op.drop_column('on_behalf_of_id')
