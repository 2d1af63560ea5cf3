"""outgoing e-mail queue: outgoing_mails

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00

"""

import sqlalchemy as sa
from alembic import op

import lms.db

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outgoing_mails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("template", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "sent",
                "failed",
                name="mail_status",
                native_enum=False,
                create_constraint=True,
                length=10,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("next_attempt_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_outgoing_mails_attempts_not_negative")),
        sa.CheckConstraint(
            "status <> 'sent' OR sent_at IS NOT NULL", name=op.f("ck_outgoing_mails_sent_has_time")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_outgoing_mails_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_mails")),
    )
    with op.batch_alter_table("outgoing_mails", schema=None) as batch_op:
        batch_op.create_index("ix_outgoing_mails_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outgoing_mails_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("outgoing_mails", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outgoing_mails_user_id"))
        batch_op.drop_index("ix_outgoing_mails_due")
    op.drop_table("outgoing_mails")
