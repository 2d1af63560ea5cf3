"""Open Badges 3.0 credentials as plain JSON, built from plain inputs (no database, no app).

One `OpenBadgeCredential` (W3C Verifiable Credentials data model 2.0 with the OB 3.0 context)
per certified competence: the training body as issuer `Profile`, the holder as an
`AchievementSubject` known only by a salted hash of their e-mail address, the competence as an
`Achievement` aligned to its framework item (the item's CASE URI, `targetType` `CFItem`), the
assessment as evidence, and a `BitstringStatusListEntry` for revocation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXTS = [VC_CONTEXT, OB_CONTEXT]
CREDENTIAL_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]


@dataclass(frozen=True)
class AlignmentInput:
    """The framework item a competence credential is aligned to."""

    target_name: str
    target_url: str  # the item's CASE URI ({BASE_URL}/ims/case/v1p1/CFItems/{uuid})
    target_code: str
    target_framework: str
    target_description: str = ""


@dataclass(frozen=True)
class CredentialInput:
    """Everything one credential states."""

    credential_id: str  # urn:uuid:...
    issuer_id: str  # the issuer profile's URL
    issuer_name: str
    issuer_url: str
    holder_email: str
    salt: str
    achievement_id: str
    achievement_name: str
    achievement_description: str
    criteria_narrative: str
    alignment: AlignmentInput
    evidence_narrative: str
    valid_from: dt.datetime
    status_list_url: str
    status_index: int  # the position in that list
    valid_until: dt.datetime | None = None


def stamp(value: dt.datetime) -> str:
    """An XML Schema dateTime in UTC, to the second (what VC 2.0 validFrom expects)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0 hashed identity: "sha256$" and the hex SHA-256 of the address and the salt.

    The address is lower-cased first: addresses are compared without case here, so a holder
    proving theirs need not remember how it was capitalised."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def issuer_profile(issuer_id: str, name: str, url: str) -> dict:
    """The issuer as an OB 3.0 Profile (embedded in each credential)."""
    return {"id": issuer_id, "type": ["Profile"], "name": name, "url": url}


def status_entry(list_url: str, index: int) -> dict:
    """A Bitstring Status List entry for revocation."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def build_credential(data: CredentialInput) -> dict:
    """The OpenBadgeCredential JSON of one certified competence."""
    a = data.alignment
    alignment = {
        "type": ["Alignment"],
        "targetName": a.target_name,
        "targetUrl": a.target_url,
        "targetCode": a.target_code,
        "targetFramework": a.target_framework,
        "targetType": "CFItem",
    }
    if a.target_description:
        alignment["targetDescription"] = a.target_description
    credential = {
        "@context": list(CONTEXTS),
        "id": data.credential_id,
        "type": list(CREDENTIAL_TYPES),
        "name": data.achievement_name,
        "issuer": issuer_profile(data.issuer_id, data.issuer_name, data.issuer_url),
        "validFrom": stamp(data.valid_from),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(data.holder_email, data.salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": data.salt,
                }
            ],
            "achievement": {
                "id": data.achievement_id,
                "type": ["Achievement"],
                "achievementType": "Competency",
                "name": data.achievement_name,
                "description": data.achievement_description or data.achievement_name,
                "criteria": {"narrative": data.criteria_narrative},
                "alignment": [alignment],
            },
        },
        "evidence": [{"type": ["Evidence"], "narrative": data.evidence_narrative}],
        "credentialStatus": status_entry(data.status_list_url, data.status_index),
    }
    if data.valid_until is not None:
        credential["validUntil"] = stamp(data.valid_until)
    return credential
