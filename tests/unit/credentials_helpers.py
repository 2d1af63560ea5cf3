"""Issuing credentials for tests, and an independent verifier (PyJWT, gzip, base64): it
shares no code with certificates.credentials and reads the keys and lists over HTTP."""

from __future__ import annotations

import base64
import datetime as dt
import gzip

import jwt as pyjwt

from certificates.credentials.services import issue_credentials
from certificates.services.common import target_competence_ids
from lms.db import db
from lms.standards.models import FrameworkItem

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
BASE = "http://127.0.0.1:5000"  # TestingConfig.BASE_URL


def issue_for(make, doc=None, *, now=NOW):
    """An issued certificate with one credential per target competence of its dossier."""
    from certificates.models import Dossier

    doc = doc or make.issued_document()
    dossier = db.session.get(Dossier, doc.dossier_id)
    ids = target_competence_ids(dossier)
    competences = [db.session.get(FrameworkItem, i) for i in ids]
    rows = issue_credentials(make.coordinator(), doc, competences, now=now)
    db.session.commit()
    return doc, rows


def _path(url: str) -> str:
    assert url.startswith(BASE), url
    return url[len(BASE) :]


class Verifier:
    """What a wallet or validator does: fetch the issuer's JWKS, check the signature, read
    the status list the credential names."""

    def __init__(self, client):
        self.client = client

    def _key(self, token: str):
        resp = self.client.get("/.well-known/jwks.json")
        assert resp.status_code == 200
        kid = pyjwt.get_unverified_header(token)["kid"]
        return pyjwt.PyJWKSet.from_dict(resp.get_json())[kid].key

    def decode(self, token: str) -> dict:
        """The verified payload; raises PyJWT's errors when the signature does not hold."""
        header = pyjwt.get_unverified_header(token)
        assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt"
        return pyjwt.decode(
            token,
            self._key(token),
            algorithms=["EdDSA"],
            options={"require": ["iss", "jti", "nbf"], "verify_exp": False, "verify_nbf": False},
        )

    def revoked(self, credential: dict) -> bool:
        entry = credential["credentialStatus"]
        assert entry["type"] == "BitstringStatusListEntry"
        assert entry["statusPurpose"] == "revocation"
        resp = self.client.get(_path(entry["statusListCredential"]))
        assert resp.status_code == 200
        assert resp.mimetype == "application/vc+jwt"
        status_list = self.decode(resp.get_data(as_text=True))
        assert status_list["issuer"] == credential["issuer"]["id"]
        subject = status_list["credentialSubject"]
        assert subject["statusPurpose"] == "revocation"
        encoded = subject["encodedList"]
        assert encoded[0] == "u"
        body = encoded[1:]
        bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        assert len(bits) * 8 >= 131072
        index = int(entry["statusListIndex"])
        return bool(bits[index // 8] >> (7 - index % 8) & 1)
