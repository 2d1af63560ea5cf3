"""Public CASE 1.1 URIs: the identifiers that the CASE export writes resolve here.

`/ims/case/v1p1/CFDocuments/<id>`, `/CFPackages/<id>`, `/CFItems/<id>` and
`/CFAssociations/<id>` answer the JSON objects of the export (lms.standards.exchange.case) for
published and retired frameworks; drafts and unknown identifiers are 404. No login: a
published standard is public. An item identifier shared by several versions (its text did not
change) answers the newest version that holds it.
"""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify
from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.services import system_actor
from lms.db import db
from lms.errors import NotFound
from lms.security import public
from lms.standards.exchange.case import document_identifier, export_case
from lms.standards.models import Framework, FrameworkItem, FrameworkStatus

bp = Blueprint("case", __name__, url_prefix="/ims/case/v1p1")
UUID = "<string(length=36):identifier>"


def _unknown() -> NotFound:
    return NotFound(_("No published framework has this identifier."))


def _public_frameworks():
    return select(Framework).where(Framework.status != FrameworkStatus.DRAFT)


def _package_of_document(identifier: str) -> dict:
    for fw in db.session.scalars(_public_frameworks()):
        if document_identifier(fw) == identifier:
            return export_case(system_actor(), fw)
    raise _unknown()


def _package_of_item(identifier: str) -> dict:
    fw = db.session.scalar(
        _public_frameworks()
        .join(FrameworkItem, FrameworkItem.framework_id == Framework.id)
        .where(FrameworkItem.uuid == identifier)
        .order_by(Framework.status == FrameworkStatus.RETIRED, Framework.id.desc())
        .limit(1)
    )
    if fw is None:
        raise _unknown()
    return export_case(system_actor(), fw)


def _json(obj: dict):
    return jsonify(obj)


@bp.get(f"/CFPackages/{UUID}")
@public
def cf_package(identifier: str):
    return _json(_package_of_document(identifier))


@bp.get(f"/CFDocuments/{UUID}")
@public
def cf_document(identifier: str):
    return _json(_package_of_document(identifier)["CFDocument"])


@bp.get(f"/CFItems/{UUID}")
@public
def cf_item(identifier: str):
    package = _package_of_item(identifier)
    item = next(i for i in package["CFItems"] if i["identifier"] == identifier)
    return _json(item)


@bp.get(f"/CFAssociations/{UUID}")
@public
def cf_association(identifier: str):
    # An association's identifier is derived from its origin item: look through the
    # published packages for it (a handful of frameworks).
    for fw in db.session.scalars(_public_frameworks()):
        for assoc in export_case(system_actor(), fw)["CFAssociations"]:
            if assoc["identifier"] == identifier:
                return _json(assoc)
    raise _unknown()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
