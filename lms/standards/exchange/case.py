"""1EdTech CASE 1.1 export: a CFPackage (CFDocument, CFItems, isChildOf CFAssociations).

URIs are built from the configured BASE_URL (lms.config), never from the request. Items use
their stable uuid as CFItem identifier; the document and associations get name-based UUIDs
(uuid5) so a repeated export gives the same identifiers.
"""

from __future__ import annotations

import datetime as dt
import uuid

from flask import current_app
from sqlalchemy import select

from lms.accounts.models import User
from lms.db import db
from lms.permissions import require, require_actor
from lms.standards.models import Framework, FrameworkItem, ItemKind
from lms.standards.permissions import can_manage_standards

NAMESPACE = uuid.UUID("6f0c0d1e-6a39-4b59-9a53-2f1f3c0a8e11")  # Rencontrer CASE identifiers
ITEM_TYPES = {
    ItemKind.COMPETENCE: "Competence",
    ItemKind.ABILITY: "Ability",
    ItemKind.KNOWLEDGE: "Knowledge",
}
ADOPTION = {"draft": "Draft", "published": "Adopted", "retired": "Deprecated"}


def _stamp(value: dt.datetime | None) -> str:
    value = value or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def document_identifier(framework: Framework) -> str:
    """The CFDocument identifier: stable for a framework code and version."""
    return str(uuid.uuid5(NAMESPACE, f"framework:{framework.code}:{framework.version}"))


def _uri(kind: str, identifier: str) -> str:
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    return f"{base}/ims/case/v1p1/{kind}/{identifier}"


def _link(title: str, identifier: str, uri: str) -> dict:
    return {"title": title, "identifier": identifier, "uri": uri}


def export_case(actor: User, framework: Framework) -> dict:
    """The framework as a CASE 1.1 CFPackage."""
    require_actor(actor)
    require(can_manage_standards(actor))
    doc_id = document_identifier(framework)
    doc_uri = _uri("CFDocuments", doc_id)
    doc_link = _link(framework.title, doc_id, doc_uri)
    changed = _stamp(framework.updated_at)
    document = {
        "identifier": doc_id,
        "uri": doc_uri,
        "creator": framework.issuer,
        "title": framework.title,
        "lastChangeDateTime": changed,
        "version": framework.version,
        "adoptionStatus": ADOPTION[framework.status.value],
        "language": "it",
        "description": framework.description,
        "humanCodingScheme": framework.code,
    }
    items = list(
        db.session.scalars(
            select(FrameworkItem)
            .where(FrameworkItem.framework_id == framework.id)
            .order_by(FrameworkItem.competence_id.is_not(None), FrameworkItem.position)
        )
    )
    by_id = {i.id: i for i in items}
    cf_items, associations = [], []
    for item in items:
        uri = _uri("CFItems", item.uuid)
        cf_items.append(
            {
                "identifier": item.uuid,
                "uri": uri,
                "fullStatement": item.title,
                "humanCodingScheme": item.code,
                "CFItemType": ITEM_TYPES[item.kind],
                "listEnumeration": str(item.position),
                "notes": item.description,
                "lastChangeDateTime": _stamp(item.updated_at),
                "CFDocumentURI": doc_link,
            }
        )
        parent = by_id.get(item.competence_id) if item.competence_id else None
        destination = (
            _link(parent.title, parent.uuid, _uri("CFItems", parent.uuid)) if parent else doc_link
        )
        assoc_id = str(uuid.uuid5(NAMESPACE, f"isChildOf:{item.uuid}:{destination['identifier']}"))
        associations.append(
            {
                "identifier": assoc_id,
                "uri": _uri("CFAssociations", assoc_id),
                "associationType": "isChildOf",
                "CFDocumentURI": doc_link,
                "originNodeURI": _link(item.title, item.uuid, uri),
                "destinationNodeURI": destination,
                "lastChangeDateTime": _stamp(item.updated_at),
            }
        )
    return {"CFDocument": document, "CFItems": cf_items, "CFAssociations": associations}


# --- credentials (creds) ---
def cf_item_uri(identifier: str) -> str:
    """The CASE URI of a framework item (its uuid), as the CASE export publishes it."""
    return _uri("CFItems", identifier)


# --- end credentials (creds) ---
