"""What the issuer publishes for verifiers: its Profile with the public key, and the
revocation status lists (Bitstring Status List credentials, signed like the credentials).

A credential is revoked (its status bit set) when its document is revoked (a
`DocumentRevocation` row) or superseded (a reissue names it in `supersedes_id`): a reissue
after a correction comes with credentials of its own, and the old ones must not stay valid
beside them, whatever the reason of the correction.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import aliased

from certificates.credentials import build, status
from certificates.credentials.jwt import sign_credential
from certificates.models import DocumentRevocation, IssuedCredential, IssuedDocument
from lms.db import db
from lms.keys import issuer_key, issuer_key_id, issuer_name, public_jwks
from lms.mail.services import absolute_url, base_url

STATUS_TTL_SECONDS = 300  # how long a verifier may cache a status list


def issuer_id() -> str:
    return absolute_url("credentials.issuer")


def issuer_url() -> str:
    return current_app.config.get("ISSUER_URL") or base_url() + "/"


def status_list_url(number: int) -> str:
    return absolute_url("credentials.status_list", number=number)


def issuer_profile() -> dict:
    """The issuer Profile published at its id, with the public key that verifies its
    credentials (as a JsonWebKey verification method, and the JWKS linked)."""
    app = current_app._get_current_object()
    profile = build.issuer_profile(issuer_id(), issuer_name(app), issuer_url())
    key = public_jwks(app)["keys"][0]
    return {
        "@context": list(build.CONTEXTS),
        **profile,
        "verificationMethod": [
            {
                "id": f"{profile['id']}#{key['kid']}",
                "type": "JsonWebKey",
                "controller": profile["id"],
                "publicKeyJwk": key,
            }
        ],
        "jwks_uri": absolute_url("credentials.jwks"),
    }


def free_indexes(count: int) -> list[int]:
    """`count` status indexes no credential holds, at random among the free positions of the
    first list that is not full (and of the next ones if needed): one query per list used.
    The unique constraint on status_index stays the guard against a concurrent issuer."""
    out: list[int] = []
    number = (db.session.scalar(select(func.count(IssuedCredential.id))) or 0) // status.LIST_SIZE
    while len(out) < count:
        low = number * status.LIST_SIZE
        taken = {
            i - low
            for i in db.session.scalars(
                select(IssuedCredential.status_index).where(
                    IssuedCredential.status_index >= low,
                    IssuedCredential.status_index < low + status.LIST_SIZE,
                )
            )
        }
        wanted = min(count - len(out), status.LIST_SIZE - len(taken))
        out += [low + p for p in status.pick_free_positions(taken, wanted, status.LIST_SIZE)]
        number += 1
    return out


def revoked_positions(number: int) -> list[int]:
    """The set positions of status list `number`: credentials whose document was revoked or
    superseded (one query)."""
    low = (number - 1) * status.LIST_SIZE
    newer = aliased(IssuedDocument)
    rows = db.session.scalars(
        select(IssuedCredential.status_index).where(
            IssuedCredential.status_index >= low,
            IssuedCredential.status_index < low + status.LIST_SIZE,
            or_(
                exists().where(DocumentRevocation.document_id == IssuedCredential.document_id),
                exists().where(newer.supersedes_id == IssuedCredential.document_id),
            ),
        )
    )
    return [i - low for i in rows]


def list_count() -> int:
    """How many status lists exist (at least one, empty at first)."""
    highest = db.session.scalar(select(func.max(IssuedCredential.status_index)))
    return status.list_position(highest or 0)[0]


def status_list(number: int, *, now: dt.datetime) -> dict:
    """The BitstringStatusListCredential of list `number`."""
    return status.status_list_credential(
        list_url=status_list_url(number),
        issuer_id=issuer_id(),
        encoded=status.encode_list(revoked_positions(number)),
        valid_from=now.replace(microsecond=0),
        ttl_seconds=STATUS_TTL_SECONDS,
    )


def status_list_token(number: int, *, now: dt.datetime) -> str:
    """The status list credential, signed as a VC-JWT like the credentials."""
    app = current_app._get_current_object()
    return sign_credential(
        status_list(number, now=now), key=issuer_key(app), kid=issuer_key_id(app), now=now
    )
