"""rename the lesson model's table: sessions -> lessons, session_id -> lesson_id

Written by hand. The data stays where it is: tables and columns are renamed in place (both
PostgreSQL and SQLite >= 3.25 rename columns and update the foreign keys that point at a
renamed table). Indexes are renamed; on PostgreSQL the constraints too, so that every name
follows the naming convention again. SQLite keeps constraint names inside the table's SQL,
where they are never looked up; only PostgreSQL needs them right.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00

"""

import sqlalchemy as sa
from sqlalchemy.sql.elements import conv
from alembic import op

import lms.db

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = [
    # (old name, new name, table, columns)
    ("ix_sessions_course_date", "ix_lessons_course_date", "lessons", ["course_id", "date", "start_time"]),
    ("ix_sessions_module_id", "ix_lessons_module_id", "lessons", ["module_id"]),
    ("ix_sessions_series_key", "ix_lessons_series_key", "lessons", ["series_key"]),
    ("ix_sessions_trainer_date", "ix_lessons_trainer_date", "lessons", ["trainer_id", "date"]),
]

# (table after the rename, old constraint name, new constraint name): PostgreSQL only.
CONSTRAINTS = [
    ("lessons", "pk_sessions", "pk_lessons"),
    ("lessons", "fk_sessions_course_id_courses", "fk_lessons_course_id_courses"),
    ("lessons", "fk_sessions_module_id_modules", "fk_lessons_module_id_modules"),
    ("lessons", "fk_sessions_trainer_id_users", "fk_lessons_trainer_id_users"),
    ("lessons", "ck_sessions_cancel_has_reason", "ck_lessons_cancel_has_reason"),
    ("lessons", "ck_sessions_times_ordered", "ck_lessons_times_ordered"),
    ("lessons", "ck_sessions_session_mode", "ck_lessons_lesson_mode"),
    (
        "attendance_records",
        "fk_attendance_records_session_id_sessions",
        "fk_attendance_records_lesson_id_lessons",
    ),
    (
        "attendance_records",
        "uq_attendance_records_session_id_enrolment_id",
        "uq_attendance_records_lesson_id_enrolment_id",
    ),
    ("registers", "fk_registers_session_id_sessions", "fk_registers_lesson_id_lessons"),
]


def _rename(old_table, new_table, old_col, new_col, indexes, constraints):
    is_pg = op.get_bind().dialect.name == "postgresql"
    op.execute(f"ALTER TABLE {old_table} RENAME TO {new_table}")
    op.execute(f"ALTER TABLE attendance_records RENAME COLUMN {old_col} TO {new_col}")
    op.execute(f"ALTER TABLE registers RENAME COLUMN {old_col} TO {new_col}")
    for old, new, _table, columns in indexes:
        if is_pg:
            op.execute(f"ALTER INDEX {old} RENAME TO {new}")
        else:
            op.drop_index(old, table_name=new_table)
            op.create_index(new, new_table, columns)
    if is_pg:
        for table, old, new in constraints:
            op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {old} TO {new}")
    else:
        # Autogenerate compares unique constraints by name: rebuild the one table that has
        # one, from an explicit definition (no reflection, so its CHECKs are kept).
        with op.batch_alter_table(
            "attendance_records", copy_from=_attendance_records(new_table, new_col), recreate="always"
        ):
            pass


def _attendance_records(lesson_table: str, lesson_col: str) -> sa.Table:
    """attendance_records as 0002 created it, with the lesson table and column named."""
    return sa.Table(
        "attendance_records",
        sa.MetaData(naming_convention=lms.db.NAMING_CONVENTION),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(lesson_col, sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("present", "late", "left_early", "absent", "excused", name="attendance_status",
                    native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column(
            "source",
            sa.Enum("register", "check_in", "api", name="attendance_source", native_enum=False,
                    create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("checked_in_at", lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("created_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status NOT IN ('absent', 'excused') OR minutes = 0",
                           name=conv("ck_attendance_records_absent_has_no_minutes")),
        sa.CheckConstraint("minutes >= 0", name=conv("ck_attendance_records_minutes_not_negative")),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolments.id"],
                                name=conv("fk_attendance_records_enrolment_id_enrolments"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"],
                                name=conv("fk_attendance_records_recorded_by_id_users"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint([lesson_col], [f"{lesson_table}.id"],
                                name=conv(f"fk_attendance_records_{lesson_col}_{lesson_table}"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=conv("pk_attendance_records")),
        sa.UniqueConstraint(lesson_col, "enrolment_id",
                            name=conv(f"uq_attendance_records_{lesson_col}_enrolment_id")),
        sa.Index("ix_attendance_records_enrolment_id", "enrolment_id"),
    )


def upgrade():
    _rename("sessions", "lessons", "session_id", "lesson_id", INDEXES, CONSTRAINTS)


def downgrade():
    back_indexes = [(new, old, "sessions", cols) for old, new, _t, cols in INDEXES]
    back_constraints = [
        ("sessions" if table == "lessons" else table, new, old) for table, old, new in CONSTRAINTS
    ]
    _rename("lessons", "sessions", "lesson_id", "session_id", back_indexes, back_constraints)
