"""course materials, personal calendar feeds, the lessons' iCalendar sequence

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:00:00

"""

import sqlalchemy as sa
from alembic import op

import lms.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=True),
        sa.Column("lesson_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('file', 'link')", name=op.f("ck_materials_material_kind")
        ),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_materials_title_not_empty")),
        sa.CheckConstraint(
            "(module_id IS NULL) <> (lesson_id IS NULL)", name=op.f("ck_materials_module_or_lesson")
        ),
        sa.CheckConstraint(
            "(kind = 'file' AND file_id IS NOT NULL AND url = '')"
            " OR (kind = 'link' AND file_id IS NULL AND url <> '')",
            name=op.f("ck_materials_file_or_link"),
        ),
        sa.CheckConstraint("position > 0", name=op.f("ck_materials_position_positive")),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_materials_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_materials_module_id_modules"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["lesson_id"], ["lessons.id"], name=op.f("fk_materials_lesson_id_lessons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["stored_files.id"], name=op.f("fk_materials_file_id_stored_files"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_materials_created_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_materials")),
    )
    with op.batch_alter_table("materials", schema=None) as batch_op:
        batch_op.create_index("ix_materials_course_position", ["course_id", "position"])
        batch_op.create_index(batch_op.f("ix_materials_module_id"), ["module_id"])
        batch_op.create_index(batch_op.f("ix_materials_lesson_id"), ["lesson_id"])
        batch_op.create_index(batch_op.f("ix_materials_file_id"), ["file_id"])

    op.create_table(
        "calendar_feeds",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_calendar_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )

    # Plain ALTER TABLE (SQLite 3.35+ drops columns natively): a batch copy of lessons would
    # have to carry its PostgreSQL exclusion constraint and the courses' expression index.
    op.add_column("lessons", sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    op.drop_column("lessons", "sequence")
    op.drop_table("calendar_feeds")
    with op.batch_alter_table("materials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_materials_file_id"))
        batch_op.drop_index(batch_op.f("ix_materials_lesson_id"))
        batch_op.drop_index(batch_op.f("ix_materials_module_id"))
        batch_op.drop_index("ix_materials_course_position")
    op.drop_table("materials")
