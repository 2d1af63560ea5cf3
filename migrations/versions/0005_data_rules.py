"""data rules in the database: case-insensitive uniqueness, no double-booked trainer

Written by hand.
- Course title + edition and organisation names are unique whatever their case: the plain
  unique constraints become unique indexes on lower(...). SQLite cannot drop a constraint
  in place, so its tables are rebuilt (batch mode), keeping their data and CHECKs.
- PostgreSQL only: an exclusion constraint (btree_gist) refuses two lessons of the same
  trainer whose [start, end) times overlap, cancelled lessons aside. SQLite has no
  exclusion constraints; there the service check is the rule. The extension is left in
  place on downgrade (other objects may use it).
Fails on upgrade if existing data already breaks a rule: fix the duplicates first.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

EXCLUSION = (
    "ALTER TABLE lessons ADD CONSTRAINT ex_lessons_trainer_overlap "
    "EXCLUDE USING gist (trainer_id WITH =, tsrange(date + start_time, date + end_time) WITH &&) "
    "WHERE (cancelled_at IS NULL)"
)


def _is_pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    with op.batch_alter_table("courses") as batch_op:
        batch_op.drop_constraint("uq_courses_title_edition", type_="unique")
    op.create_index(
        "uq_courses_title_edition_ci",
        "courses",
        [sa.text("lower(title)"), sa.text("lower(edition)")],
        unique=True,
    )
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.drop_constraint("uq_organisations_name", type_="unique")
    op.create_index(
        "uq_organisations_name_ci", "organisations", [sa.text("lower(name)")], unique=True
    )
    if _is_pg():
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(EXCLUSION)


def downgrade():
    if _is_pg():
        op.execute("ALTER TABLE lessons DROP CONSTRAINT ex_lessons_trainer_overlap")
    op.drop_index("uq_organisations_name_ci", table_name="organisations")
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.create_unique_constraint("uq_organisations_name", ["name"])
    op.drop_index("uq_courses_title_edition_ci", table_name="courses")
    with op.batch_alter_table("courses") as batch_op:
        batch_op.create_unique_constraint("uq_courses_title_edition", ["title", "edition"])
