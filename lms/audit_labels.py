"""How the audited actions of lms read: accounts, sessions, tokens, organisations, standards."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.audit.formatting import show_bool, show_datetime
from lms.audit.registry import (
    Described,
    describe_each,
    int_ids,
    register_actions,
    register_fields,
)
from lms.db import db


def describe_users(viewer, entries) -> dict[int, Described]:
    """The account named, linked to its page for who manages accounts: one query."""
    from lms.accounts.models import User
    from lms.accounts.permissions import can_manage_users

    ids = int_ids(entries)
    rows = dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())
    may_open = can_manage_users(viewer)

    def one(e, name):
        link = ("users.detail", {"user_id": int(e.object_id)}) if may_open else None
        return Described({"name": name}, link)

    return describe_each(entries, rows, one, missing=_unnamed)


def _unnamed(entry) -> Described:
    """An object that is gone, by its number."""
    return Described({"name": f"#{entry.object_id}"})


def describe_organisations(viewer, entries) -> dict[int, Described]:
    from lms.organisations.models import Organisation
    from lms.organisations.permissions import can_view_organisation

    ids = int_ids(entries)
    orgs = {
        o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    }

    def one(e, org):
        allowed = can_view_organisation(viewer, org)
        return Described(
            {"name": org.name}, ("organisations.detail", {"org_id": org.id}) if allowed else None
        )

    return describe_each(entries, orgs, one, missing=_unnamed)


def describe_frameworks(viewer, entries) -> dict[int, Described]:
    from lms.standards.models import Framework

    ids = int_ids(entries)
    titles = dict(
        db.session.execute(select(Framework.id, Framework.title).where(Framework.id.in_(ids))).all()
    )
    return describe_each(
        entries, titles, lambda e, title: Described({"name": title}), missing=_unnamed
    )


def init_app(app: Flask) -> None:
    register_actions(
        app,
        {
            "user.create": (_l("Account created"), _l("%(actor)s created the account of %(name)s")),
            "user.update": (_l("Account changed"), _l("%(actor)s changed the account of %(name)s")),
            "user.holder_data": (
                _l("Certificate details changed"),
                _l("%(actor)s changed the details printed on the certificates of %(name)s"),
            ),
            "user.activate": (
                _l("Account reactivated"),
                _l("%(actor)s reactivated the account of %(name)s"),
            ),
            "user.deactivate": (
                _l("Account deactivated"),
                _l("%(actor)s deactivated the account of %(name)s"),
            ),
            "user.locale": (
                _l("Language changed"),
                _l("%(actor)s changed the language of %(name)s"),
            ),
            "user.password_change": (
                _l("Password changed"),
                _l("%(actor)s changed the password of %(name)s"),
            ),
            "user.password_link": (
                _l("Access link generated"),
                _l("%(actor)s generated an access link for %(name)s"),
            ),
            "user.password_set": (
                _l("Password set with an access link"),
                _l("%(actor)s set the password of %(name)s with an access link"),
            ),
            "user.invite": (_l("Invitation sent"), _l("%(actor)s invited %(name)s")),
            "session.end": (
                _l("Session ended"),
                _l("%(actor)s ended a login session of %(name)s"),
            ),
            "session.end_all": (
                _l("Other sessions ended"),
                _l("%(actor)s ended the other login sessions of %(name)s"),
            ),
        },
        describe=describe_users,
    )
    register_actions(
        app,
        {
            "api_token.create": (_l("API token created"), _l("%(actor)s created an API token")),
            "api_token.revoke": (_l("API token revoked"), _l("%(actor)s revoked an API token")),
        },
    )
    register_actions(
        app,
        {
            "organisation.create": (
                _l("Organisation registered"),
                _l("%(actor)s registered the organisation %(name)s"),
            ),
            "organisation.update": (
                _l("Organisation changed"),
                _l("%(actor)s changed the organisation %(name)s"),
            ),
        },
        describe=describe_organisations,
    )
    register_actions(
        app,
        {
            "framework.create": (
                _l("Framework created"),
                _l("%(actor)s created the framework %(name)s"),
            ),
            "framework.new_version": (
                _l("Framework version created"),
                _l("%(actor)s created a new version of the framework %(name)s"),
            ),
            "framework.edit": (
                _l("Framework changed"),
                _l("%(actor)s changed the framework %(name)s"),
            ),
            "framework.publish": (
                _l("Framework published"),
                _l("%(actor)s published the framework %(name)s"),
            ),
            "framework.retire": (
                _l("Framework retired"),
                _l("%(actor)s retired the framework %(name)s"),
            ),
        },
        describe=describe_frameworks,
    )
    register_actions(
        app,
        {
            "framework_item.create": (
                _l("Framework item added"),
                _l("%(actor)s added an item to a framework"),
            ),
            "framework_item.edit": (
                _l("Framework item changed"),
                _l("%(actor)s changed an item of a framework"),
            ),
            "framework_item.delete": (
                _l("Framework item removed"),
                _l("%(actor)s removed an item from a framework"),
            ),
            "profile.create": (_l("Profile created"), _l("%(actor)s created a profile")),
            "profile.edit": (_l("Profile changed"), _l("%(actor)s changed a profile")),
            "profile.competences": (
                _l("Profile competences changed"),
                _l("%(actor)s changed the competences of a profile"),
            ),
            "profile.delete": (_l("Profile removed"), _l("%(actor)s removed a profile")),
        },
    )
    register_fields(
        app,
        ["user"],
        {
            "email": _l("Email"),
            "full_name": _l("Full name"),
            "locale": _l("Language"),
            "active": (_l("Active"), show_bool),
            "organisation_id": _l("Organisation"),
            "role_names": _l("Roles"),
            "reason": _l("Reason"),
        },
    )
    register_fields(
        app,
        ["organisation"],
        {
            "name": _l("Name"),
            "tax_code": _l("VAT number or tax code"),
            "sector": _l("Sector"),
            "size_band": _l("Size"),
            "active": (_l("Active"), show_bool),
        },
    )
    register_fields(
        app,
        ["api_token"],
        {
            "expires_in_hours": _l("Expires in (hours)"),
            "prefix": _l("Starts with"),
            "revoked": (_l("Revoked"), show_bool),
            "expires_at": (_l("Expires"), show_datetime),
        },
    )
    register_fields(
        app,
        ["framework", "framework_item"],
        {"title": _l("Title"), "code": _l("Code"), "state": _l("State")},
    )
