"""Issuing Open Badges 3.0 credentials with a certificate, reading them, and the public
issuer profile and status lists.

A credential is revoked (its status bit set) when its document is revoked (a
`DocumentRevocation` row) or superseded (a reissue names it in `supersedes_id`): a reissue
after a correction comes with credentials of its own, and the old ones must not stay valid
beside them, whatever the reason of the correction.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from certificates.credentials import build, status
from certificates.credentials.jwt import sign_credential
from certificates.models import (
    METHOD_LABELS,
    DocumentRevocation,
    IssuedCredential,
    IssuedDocument,
)
from certificates.permissions import can_issue_credentials, can_view_credentials
from lms.accounts.models import User
from lms.audit.services import record
from lms.db import db
from lms.errors import Conflict
from lms.keys import issuer_key, issuer_key_id, issuer_name, public_jwks
from lms.mail.services import absolute_url, base_url
from lms.permissions import require, require_actor
from lms.standards.exchange.case import cf_item_uri
from lms.standards.models import Framework, FrameworkItem
from lms.timezone import day_start_utc, local_date

NAMESPACE = uuid.UUID("0b5e6c8e-27a4-4d0e-9d51-6c0a3b7f1e42")  # achievement identifiers
STATUS_TTL_SECONDS = 300  # how long a verifier may cache a status list
ALLOCATION_ATTEMPTS = 5


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


def _valid_until(framework: Framework) -> dt.datetime | None:
    """The end of the framework's last valid day (Europe/Rome), when it has one."""
    if framework.valid_until is None:
        return None
    return day_start_utc(framework.valid_until + dt.timedelta(days=1)) - dt.timedelta(seconds=1)


def _evidence_narrative(document: IssuedDocument, statuses: dict) -> dict[int, str]:
    """For each competence: how it was assessed, from the two experts' signed records."""
    out = {}
    for competence_id, st in statuses.items():
        methods = sorted({str(METHOD_LABELS[d.method]) for d in st.signed})
        signed = max((d.signed_at for d in st.signed if d.signed_at), default=None)
        out[competence_id] = _(
            "Assessed on the certification dossier's evidence by two independent experts "
            '(method and content), both of whom signed the outcome "validated" '
            "(%(methods)s, %(day)s). Issued document %(code)s.",
            methods=", ".join(methods) or "-",
            day=local_date(signed).isoformat() if signed else document.issued_on.isoformat(),
            code=document.code,
        )
    return out


def _inputs(document, competences, holder, *, first_index: int, now: dt.datetime):
    """The build inputs of the document's credentials, indexes from first_index on."""
    from certificates.models import Dossier
    from certificates.services.decisions import competence_statuses

    frameworks = {
        f.id: f
        for f in db.session.scalars(
            select(Framework).where(Framework.id.in_({c.framework_id for c in competences}))
        )
    }
    dossier = db.session.get(Dossier, document.dossier_id)
    statuses = {s.competence_id: s for s in competence_statuses(dossier)}
    narratives = _evidence_narrative(
        document, {c.id: statuses[c.id] for c in competences if c.id in statuses}
    )
    app = current_app._get_current_object()
    for offset, competence in enumerate(competences):
        fw = frameworks[competence.framework_id]
        number, position = status.list_position(first_index + offset)
        criteria = _(
            "Competence of the framework %(framework)s, version %(version)s (%(issuer)s), "
            "validated by two independent experts in a certification procedure under "
            "D.Lgs. 13/2013.",
            framework=fw.title,
            version=fw.version,
            issuer=fw.issuer,
        )
        if fw.illustrative:
            criteria += " " + _("Illustrative framework, not the official text.")
        yield (
            build.CredentialInput(
                credential_id=f"urn:uuid:{uuid.uuid4()}",
                issuer_id=issuer_id(),
                issuer_name=issuer_name(app),
                issuer_url=issuer_url(),
                holder_email=holder.email,
                salt=secrets.token_hex(16),
                achievement_id=f"urn:uuid:{uuid.uuid5(NAMESPACE, competence.uuid)}",
                achievement_name=competence.title,
                achievement_description=competence.description,
                criteria_narrative=criteria,
                alignment=build.AlignmentInput(
                    target_name=competence.title,
                    target_url=cf_item_uri(competence.uuid),
                    target_code=competence.code,
                    target_framework=fw.title,
                    target_description=competence.description,
                ),
                evidence_narrative=narratives.get(competence.id, document.code),
                valid_from=now,
                valid_until=_valid_until(fw),
                status_list_url=status_list_url(number),
                status_index=position,
            ),
            first_index + offset,
            competence,
        )


def _next_index() -> int:
    highest = db.session.scalar(select(func.max(IssuedCredential.status_index)))
    return 0 if highest is None else highest + 1


def issue_credentials(
    actor: User, document: IssuedDocument, competences: list[FrameworkItem], *, now: dt.datetime
) -> list[IssuedCredential]:
    """Sign and store one credential per certified competence of a certificate.

    Status indexes follow each other (the highest + 1); two issuings racing for the same
    index meet the unique constraint, and the loser takes the next ones."""
    require_actor(actor)
    require(can_issue_credentials(actor, document))
    taken = db.session.scalar(
        select(func.count()).where(IssuedCredential.document_id == document.id)
    )
    if taken:
        raise Conflict(_("This document's credentials have been issued already."))
    holder = db.session.get(User, document.holder_id)
    app = current_app._get_current_object()
    key, kid = issuer_key(app), issuer_key_id(app)
    for _attempt in range(ALLOCATION_ATTEMPTS):
        with force_locale("it"):  # issued in Italian, as the certificate, whoever clicks
            inputs = list(
                _inputs(document, competences, holder, first_index=_next_index(), now=now)
            )
        rows = []
        try:
            with db.session.begin_nested():
                for data, index, competence in inputs:
                    credential = build.build_credential(data)
                    row = IssuedCredential(
                        document_id=document.id,
                        competence_id=competence.id,
                        credential_id=data.credential_id,
                        status_index=index,
                        token=sign_credential(credential, key=key, kid=kid, now=now),
                        issued_at=now,
                    )
                    db.session.add(row)
                    rows.append(row)
                db.session.flush()
        except IntegrityError:
            continue  # another issuing took these indexes: allocate again
        for row in rows:
            record(
                actor,
                "credential.issue",
                "issued_credential",
                row.id,
                after={
                    "document_id": row.document_id,
                    "competence_id": row.competence_id,
                    "credential_id": row.credential_id,
                    "status_index": row.status_index,
                },
            )
        db.session.flush()
        return rows
    raise Conflict(_("The credentials could not be issued now: please try again."))


def credentials_of(actor: User, document: IssuedDocument) -> list[IssuedCredential]:
    """The document's credentials, for its holder and staff."""
    require(can_view_credentials(actor, document), private=True)
    return list(
        db.session.scalars(
            select(IssuedCredential)
            .where(IssuedCredential.document_id == document.id)
            .order_by(IssuedCredential.id)
        )
    )


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
    return status.list_position(max(_next_index() - 1, 0))[0]


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
