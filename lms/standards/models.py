"""Competence frameworks: the public standard, its profiles and items (competences, abilities,
knowledge), which modules, rubric criteria and evidence point at."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import TimestampMixin, UTCDateTime, db, db_enum


class FrameworkStatus(enum.Enum):
    """Draft frameworks are edited; published ones never change; retired ones stay readable."""

    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


FRAMEWORK_STATUS_LABELS = {
    FrameworkStatus.DRAFT: _l("Draft"),
    FrameworkStatus.PUBLISHED: lazy_pgettext("framework", "Published"),
    FrameworkStatus.RETIRED: _l("Retired"),
}


# A framework's own content: what is copied into a new version, edited on a draft, audited.
FRAMEWORK_FIELDS = (
    "code",
    "title",
    "issuer",
    "legal_act",
    "valid_from",
    "valid_until",
    "description",
    "illustrative",
)


def new_uuid() -> str:
    """A fresh item identifier (also its CASE identifier)."""
    return str(uuid.uuid4())


class ItemKind(enum.Enum):
    COMPETENCE = "competence"
    ABILITY = "ability"
    KNOWLEDGE = "knowledge"


class Framework(TimestampMixin, db.Model):
    """A published standard (quadro / repertorio), e.g. Lombardy's QRSP."""

    __tablename__ = "frameworks"
    __table_args__ = (
        UniqueConstraint("code", "version"),
        CheckConstraint("length(code) > 0", name="code_not_empty"),
        CheckConstraint(
            "valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from",
            name="validity_ordered",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    issuer: Mapped[str] = mapped_column(String(200), nullable=False)  # ente pubblico titolare
    legal_act: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    version: Mapped[str] = mapped_column(String(40), nullable=False, default="1")
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # True for frameworks written for the demo, never to be shown as the official text.
    illustrative: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    status: Mapped[FrameworkStatus] = mapped_column(
        db_enum(FrameworkStatus, "framework_status", 20),
        nullable=False,
        default=FrameworkStatus.DRAFT,
        index=True,
    )
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # The published version a draft was copied from ("new version").
    based_on_id: Mapped[int | None] = mapped_column(
        ForeignKey("frameworks.id", ondelete="SET NULL"), index=True
    )

    @property
    def is_draft(self) -> bool:
        return self.status == FrameworkStatus.DRAFT

    @property
    def status_label(self) -> str:
        return str(FRAMEWORK_STATUS_LABELS[self.status])

    def __repr__(self) -> str:
        return f"<Framework {self.id} {self.code} v{self.version}>"


profile_competences = Table(
    "profile_competences",
    db.metadata,
    Column("profile_id", ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("competence_id", ForeignKey("framework_items.id", ondelete="CASCADE"), primary_key=True),
)


class Profile(TimestampMixin, db.Model):
    """A qualification or professional profile described by a framework."""

    __tablename__ = "profiles"
    __table_args__ = (
        UniqueConstraint("framework_id", "code"),
        CheckConstraint("eqf_level IS NULL OR eqf_level BETWEEN 1 AND 8", name="eqf_level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("frameworks.id", ondelete="CASCADE"), index=True, nullable=False
    )
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    eqf_level: Mapped[int | None] = mapped_column(Integer)
    ateco_code: Mapped[str | None] = mapped_column(String(20))
    cp_istat_code: Mapped[str | None] = mapped_column(String(20))
    atlante_code: Mapped[str | None] = mapped_column(String(40))

    framework: Mapped[Framework] = relationship(lazy="raise")
    competences: Mapped[list[Competence]] = relationship(
        secondary=profile_competences, lazy="raise", order_by="FrameworkItem.position"
    )


class FrameworkItem(TimestampMixin, db.Model):
    """One item of a framework; competences hold abilities and knowledge items."""

    __tablename__ = "framework_items"
    __table_args__ = (
        UniqueConstraint("framework_id", "code"),
        # Stable across versions where the text is unchanged, so unique within one version only.
        UniqueConstraint("framework_id", "uuid"),
        CheckConstraint("length(code) > 0", name="code_not_empty"),
        CheckConstraint("length(uuid) = 36", name="uuid_length"),
        CheckConstraint(
            "(kind = 'competence' AND competence_id IS NULL) OR "
            "(kind <> 'competence' AND competence_id IS NOT NULL)",
            name="parent_matches_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("frameworks.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[ItemKind] = mapped_column(db_enum(ItemKind, "item_kind", 20), nullable=False)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    # The item's stable identifier, also its CASE identifier (CFItem.identifier).
    uuid: Mapped[str] = mapped_column(String(36), nullable=False, default=new_uuid, index=True)
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    competence_id: Mapped[int | None] = mapped_column(
        ForeignKey("framework_items.id", ondelete="CASCADE"), index=True
    )

    framework: Mapped[Framework] = relationship(lazy="raise")
    # For abilities and knowledge items: the competence they belong to.
    competence: Mapped[FrameworkItem | None] = relationship(
        "FrameworkItem", remote_side=[id], back_populates="items", lazy="raise"
    )
    # For competences: their abilities and knowledge items.
    items: Mapped[list[FrameworkItem]] = relationship(
        "FrameworkItem",
        back_populates="competence",
        lazy="raise",
        order_by="FrameworkItem.position",
    )

    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_abstract": True}

    @property
    def kind_label(self) -> str:
        """The translated name of the item's kind."""
        return str(ITEM_KIND_LABELS[self.kind])

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"


class Competence(FrameworkItem):
    __mapper_args__ = {"polymorphic_identity": ItemKind.COMPETENCE}


class Ability(FrameworkItem):
    __mapper_args__ = {"polymorphic_identity": ItemKind.ABILITY}


class KnowledgeItem(FrameworkItem):
    __mapper_args__ = {"polymorphic_identity": ItemKind.KNOWLEDGE}


ITEM_KIND_LABELS = {
    ItemKind.COMPETENCE: _l("Competence"),
    ItemKind.ABILITY: _l("Ability"),
    ItemKind.KNOWLEDGE: lazy_pgettext("item kind", "Knowledge"),
}
