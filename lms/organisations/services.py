"""Partner organisation operations."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from lms.accounts.models import User
from lms.audit.services import changed, record, snapshot
from lms.db import db, flush_versioned
from lms.errors import ValidationFailed
from lms.organisations.models import Organisation, SizeBand
from lms.organisations.permissions import (
    can_edit_organisation,
    can_manage_organisations,
    can_view_organisation_people,
    can_view_organisations,
)
from lms.organisations.validation import is_valid_tax_code, normalise
from lms.permissions import require, require_actor
from lms.validation import FieldErrors, optional_text, required_text

AUDIT_FIELDS = ["name", "tax_code", "sector", "size_band", "active"]


def _validate(name: str, tax_code: str, sector: str, size_band, exclude_id: int | None = None):
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    code = normalise(tax_code)
    if not name:
        errors["name"] = [_("The name is required.")]
    texts = FieldErrors(errors)
    if name:
        name = texts.check(required_text, name, "name", 200, name_like=True) or ""
    sector = texts.check(optional_text, sector, "sector", 120, name_like=True)
    if not is_valid_tax_code(code):
        errors["tax_code"] = [
            _("Enter a valid VAT number (11 digits) or tax code (16 characters).")
        ]
    try:
        band = SizeBand(size_band) if not isinstance(size_band, SizeBand) else size_band
    except ValueError:
        band = None
        errors["size_band"] = [_("Choose a size band.")]
    if name:
        q = select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
        if exclude_id is not None:
            q = q.where(Organisation.id != exclude_id)
        if db.session.scalar(q) is not None:
            errors["name"] = [_("Another organisation already has this name.")]
    if "tax_code" not in errors:
        q = select(Organisation.id).where(Organisation.tax_code == code)
        if exclude_id is not None:
            q = q.where(Organisation.id != exclude_id)
        if db.session.scalar(q) is not None:
            errors["tax_code"] = [_("Another organisation already has this tax code.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return name, code, sector, band


def create_organisation(
    actor: User, *, name: str, tax_code: str, sector: str = "", size_band: SizeBand | str
) -> Organisation:
    """Register a partner organisation."""
    require_actor(actor)
    require(can_manage_organisations(actor))
    name, code, sector, band = _validate(name, tax_code, sector, size_band)
    org = Organisation(name=name, tax_code=code, sector=sector, size_band=band, active=True)
    db.session.add(org)
    flush_versioned()
    record(actor, "organisation.create", "organisation", org.id, None, snapshot(org, AUDIT_FIELDS))
    return org


def update_organisation(
    actor: User,
    org: Organisation,
    *,
    name: str,
    tax_code: str,
    sector: str,
    size_band: SizeBand | str,
    active: bool,
) -> Organisation:
    """Change an organisation's details or deactivate it."""
    require_actor(actor)
    require(can_edit_organisation(actor, org))
    before = snapshot(org, AUDIT_FIELDS)
    name, code, sector, band = _validate(name, tax_code, sector, size_band, exclude_id=org.id)
    org.name, org.tax_code, org.sector, org.size_band, org.active = (
        name,
        code,
        sector,
        band,
        active,
    )
    flush_versioned()
    b, a = changed(before, snapshot(org, AUDIT_FIELDS))
    if a:
        record(actor, "organisation.update", "organisation", org.id, b, a)
    return org


def list_organisations(actor: User, *, active: bool | None = None) -> Select:
    """A select of organisations ordered by name, optionally only the (in)active ones."""
    require_actor(actor)
    require(can_view_organisations(actor))
    q = select(Organisation).order_by(func.lower(Organisation.name), Organisation.id)
    if active is not None:
        q = q.where(Organisation.active.is_(active))
    return q


def organisations_with_people(
    actor: User, *, active_only: bool = False
) -> list[tuple[Organisation, int]]:
    """Every organisation with the number of people linked to it, in one query."""
    require_actor(actor)
    require(can_view_organisations(actor))
    people = func.count(User.id)
    q = (
        select(Organisation, people)
        .outerjoin(User, User.organisation_id == Organisation.id)
        .group_by(Organisation.id)
        .order_by(func.lower(Organisation.name), Organisation.id)
    )
    if active_only:
        q = q.where(Organisation.active.is_(True))
    return [(org, n) for org, n in db.session.execute(q).all()]


def _people_query(actor: User, org: Organisation, exclude: User | None):
    require_actor(actor)
    require(can_view_organisation_people(actor, org), private=True)
    q = select(User).where(User.organisation_id == org.id)
    if exclude is not None:
        q = q.where(User.id != exclude.id)
    return q


def people_of(
    actor: User,
    org: Organisation,
    *,
    exclude: User | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[User]:
    """The people linked to an organisation, by name (staff, or the organisation's referent);
    limit and offset select one page in SQL."""
    q = _people_query(actor, org, exclude).order_by(func.lower(User.full_name), User.id)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    return list(db.session.scalars(q))


def count_people_of(actor: User, org: Organisation, *, exclude: User | None = None) -> int:
    """How many people people_of() lists in all (one query)."""
    q = _people_query(actor, org, exclude).with_only_columns(func.count(User.id))
    return db.session.scalar(q)
