"""Public credential documents (issuer profile, JWKS, status lists) and the holder's page
with one download per credential."""

from __future__ import annotations

import datetime as dt
import json

from flask import Response, abort, current_app, render_template

from certificates.credentials import bp, publishing, services
from certificates.credentials.jwt import MEDIA_TYPE, credential_of
from certificates.models import IssuedDocument
from certificates.permissions import can_view_credentials
from lms.keys import public_jwks
from lms.security import login_required, public
from lms.web import acting_user, get_or_404

PUBLIC_CACHE = "public, max-age=3600"


def _public(body: str, mimetype: str, cache: str = PUBLIC_CACHE) -> Response:
    resp = Response(body, mimetype=mimetype)
    resp.headers["Cache-Control"] = cache
    # Wallets and web verifiers read these from other origins; nothing here is private.
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def _json(data: dict, mimetype: str = "application/json", cache: str = PUBLIC_CACHE):
    return _public(json.dumps(data, ensure_ascii=False, indent=2), mimetype, cache)


@bp.get("/credenziali/emittente")
@public
def issuer():
    """The issuer Profile, with its public key."""
    return _json(publishing.issuer_profile(), "application/ld+json")


@bp.get("/.well-known/jwks.json")
@public
def jwks():
    return _json(public_jwks(current_app), "application/jwk-set+json")


@bp.get("/credenziali/stato/<int:number>")
@public
def status_list(number: int):
    """The revocation status list, as a signed VC-JWT (short cache: revocations show soon)."""
    if not 1 <= number <= publishing.list_count():
        abort(404)
    token = publishing.status_list_token(number, now=dt.datetime.now(dt.UTC))
    return _public(token, MEDIA_TYPE, f"public, max-age={publishing.STATUS_TTL_SECONDS}")


@bp.get("/documenti/<int:document_id>/credenziali")
@login_required
def document_credentials(document_id: int):
    """The holder's page: each credential of a certificate, with its download."""
    doc = get_or_404(IssuedDocument, document_id, visible=can_view_credentials)
    rows = services.credentials_of(acting_user(), doc)
    items = [(row, credential_of(row.token)) for row in rows]
    return render_template("certificates/credentials.html", doc=doc, items=items)


@bp.get("/documenti/<int:document_id>/credenziali/<int:credential_id>.jwt")
@login_required
def credential_download(document_id: int, credential_id: int):
    """One credential as issued (the VC-JWT), to import into a wallet."""
    doc = get_or_404(IssuedDocument, document_id, visible=can_view_credentials)
    row = next(
        (r for r in services.credentials_of(acting_user(), doc) if r.id == credential_id), None
    )
    if row is None:
        abort(404)
    resp = Response(row.token, mimetype=MEDIA_TYPE)
    resp.headers["Content-Disposition"] = (
        f'attachment; filename="credenziale-{doc.code}-{row.id}.jwt"'
    )
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
