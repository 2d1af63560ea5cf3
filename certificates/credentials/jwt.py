"""Credentials secured as VC-JWT (W3C VC-JOSE-COSE, the VC 2.0 way): the JWT payload is the
credential itself, with `iss`, `jti`, `iat`, `nbf` and `exp` added from it; the header says
`alg` EdDSA (Ed25519), `typ` vc+jwt and `kid` the issuer key's thumbprint, published in the
issuer's JWKS. Signed with joserfc; the tests verify with an independent library (PyJWT).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import warnings

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from joserfc import jwt as jose_jwt
from joserfc.errors import SecurityWarning
from joserfc.jwk import OKPKey

ALGORITHM = "EdDSA"
CREDENTIAL_TYPE = "vc+jwt"
MEDIA_TYPE = "application/vc+jwt"
JWT_CLAIMS = ("iss", "jti", "iat", "nbf", "exp")


def _epoch(value: str) -> int:
    return int(dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC).timestamp())


def _jose_key(key: ed25519.Ed25519PrivateKey) -> OKPKey:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return OKPKey.import_key(pem)


def sign_credential(
    credential: dict, *, key: ed25519.Ed25519PrivateKey, kid: str, now: dt.datetime
) -> str:
    """The credential as a compact JWS (VC-JWT), signed with the issuer's Ed25519 key."""
    issuer = credential["issuer"]
    claims = dict(credential)
    claims["iss"] = issuer["id"] if isinstance(issuer, dict) else issuer
    claims["jti"] = credential["id"]
    claims["iat"] = int(now.timestamp())
    claims["nbf"] = _epoch(credential["validFrom"])
    if "validUntil" in credential:
        claims["exp"] = _epoch(credential["validUntil"])
    header = {"alg": ALGORITHM, "typ": CREDENTIAL_TYPE, "kid": kid}
    with warnings.catch_warnings():
        # joserfc flags "EdDSA" as superseded by RFC 9864's "Ed25519"; OB 3.0 and VC-JOSE-COSE
        # verifiers (and PyJWT) expect "EdDSA", which the issue asks for.
        warnings.simplefilter("ignore", SecurityWarning)
        return jose_jwt.encode(header, claims, _jose_key(key), algorithms=[ALGORITHM])


def payload_of(token: str) -> dict:
    """The payload of a token as stored (not verified: for showing what was issued)."""
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def credential_of(token: str) -> dict:
    """The credential a stored token carries, without the JWT claims."""
    return {k: v for k, v in payload_of(token).items() if k not in JWT_CLAIMS}
