"""The holder's data a certificate prints (date and place of birth, tax code) is edited on the
admin's user form, audited, and a malformed tax code is refused with a message."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from lms.accounts.models import Role
from lms.audit.models import AuditEntry
from lms.db import db


def _form(user, **extra):
    return {
        "email": user.email,
        "full_name": user.full_name,
        "roles": ["trainee"],
        "organisation_id": "",
        "locale": "it",
        "active": "y",
        **extra,
    }


def test_the_admin_sets_the_holder_data(login_as, make):
    admin = make.user(Role.ADMIN)
    user = make.user(Role.TRAINEE)
    client = login_as(admin)
    page = client.get(f"/admin/utenti/{user.id}/modifica").get_data(as_text=True)
    assert 'name="tax_code"' in page and 'name="birth_date"' in page
    resp = client.post(
        f"/admin/utenti/{user.id}/modifica",
        data=_form(
            user, birth_date="1990-04-12", birth_place="Bergamo (BG)", tax_code="rssmra90d12a794x"
        ),
    )
    assert resp.status_code == 303
    assert user.birth_date == dt.date(1990, 4, 12)
    assert (user.birth_place, user.tax_code) == ("Bergamo (BG)", "RSSMRA90D12A794X")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.holder_data"))
    assert entry.after["tax_code"] == "RSSMRA90D12A794X"


def test_a_malformed_tax_code_is_refused(login_as, make):
    admin = make.user(Role.ADMIN)
    user = make.user(Role.TRAINEE)
    client = login_as(admin)
    resp = client.post(f"/admin/utenti/{user.id}/modifica", data=_form(user, tax_code="ABC-123"))
    assert resp.status_code == 422
    assert 'value="ABC-123"' in resp.get_data(as_text=True)
    db.session.expire_all()
    assert user.tax_code is None
