"""register_pdfs: the PDF of each signed version of a register, made once and then served
from storage

Revision ID: 0018_speed
Revises: 0017
Create Date: 2026-12-01 15:40:00

"""

import sqlalchemy as sa
from alembic import op

import lms.db

revision = "0018_speed"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "register_pdfs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("register_version", sa.Integer(), nullable=False),
        sa.Column("stored_file_id", sa.Integer(), nullable=False),
        sa.Column("created_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["registers.lesson_id"],
            name=op.f("fk_register_pdfs_lesson_id_registers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stored_file_id"],
            ["stored_files.id"],
            name=op.f("fk_register_pdfs_stored_file_id_stored_files"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_pdfs")),
        sa.UniqueConstraint(
            "lesson_id",
            "register_version",
            name=op.f("uq_register_pdfs_lesson_id_register_version"),
        ),
    )
    with op.batch_alter_table("register_pdfs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_register_pdfs_stored_file_id"), ["stored_file_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("register_pdfs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_pdfs_stored_file_id"))
    op.drop_table("register_pdfs")
