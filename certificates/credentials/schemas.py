"""The API's view of a credential: the signed token, what it says, and where to download it."""

from __future__ import annotations

from marshmallow import Schema, fields


class CredentialCompetenceSchema(Schema):
    id = fields.Int(required=True)
    code = fields.Str(required=True)
    name = fields.Str(required=True)


class CredentialSchema(Schema):
    id = fields.Int(required=True)
    credential_id = fields.Str(required=True, metadata={"description": "the credential's id"})
    competence = fields.Nested(CredentialCompetenceSchema, required=True)
    status_index = fields.Int(required=True)
    issued_at = fields.DateTime(required=True)
    jwt = fields.Str(required=True, metadata={"description": "the VC-JWT as issued"})
    credential = fields.Dict(
        required=True, metadata={"description": "the OpenBadgeCredential the token carries"}
    )
    download_url = fields.Str(required=True)
