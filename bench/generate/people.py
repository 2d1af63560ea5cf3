"""People: the bench logins (through the account service, with the bench password) and the
bulk trainers, assessors and trainees (invented Italian names, no password)."""

from __future__ import annotations

import random
import unicodedata

from sqlalchemy import select

from bench.generate.bulk import Loader
from bench.generate.plan import STAFF, Scale
from lms.accounts.models import Role
from lms.accounts.services import create_user, get_user_by_email, system_actor
from lms.db import db, utcnow
from lms.demo import FIRST_NAMES, LAST_NAMES
from lms.organisations.models import Organisation

USER_COLUMNS = (
    "id",
    "email",
    "full_name",
    "password_hash",
    "locale",
    "active",
    "organisation_id",
    "auth_version",
    "created_at",
    "updated_at",
)


def organisations() -> list[int]:
    """The demo's partner companies (12), in id order."""
    return list(db.session.scalars(select(Organisation.id).order_by(Organisation.id)))


def staff(password: str, organisation_id: int) -> dict:
    """The bench logins (created once; a later run finds them), keyed as in plan.STAFF."""
    actor = system_actor()
    found = {}
    for key, email, name, roles in STAFF:
        user = get_user_by_email(email)
        if user is None:
            user = create_user(
                actor,
                email=email,
                full_name=name,
                roles={Role(r) for r in roles},
                organisation_id=organisation_id if roles & {"referent", "trainee"} else None,
                password=password,
            )
        found[key] = user
    return found


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


def bulk_people(loader: Loader, rng: random.Random, scale: Scale, orgs: list[int]) -> dict:
    """Trainers, assessors and trainees; returns their ids by role."""
    now = utcnow()
    groups = [
        ("trainer", "docente", scale.trainers, None),
        ("assessor", "valutatore", scale.assessors, None),
        ("trainee", "corsista", scale.trainees, orgs),
    ]
    out: dict[str, list[int]] = {}
    for role, prefix, n, org_ids in groups:
        ids = loader.ids("users", n)
        rows = []
        for k, uid in enumerate(ids):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{_ascii(first)}.{_ascii(last)}.{prefix}{k}@bench.example"
            org = org_ids[k % len(org_ids)] if org_ids else None
            rows.append((uid, email, f"{first} {last}", None, "it", True, org, 1, now, now))
        loader.load("users", USER_COLUMNS, rows)
        loader.load("user_roles", ("user_id", "role"), ((uid, role) for uid in ids))
        out[role] = list(ids)
    return out
