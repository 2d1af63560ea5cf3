"""JSON shapes of the public verification API (explicit field lists)."""

from __future__ import annotations

from marshmallow import Schema, fields

from certificates.schemas import EnumValue


class CompetenceSchema(Schema):
    uuid = fields.String()
    code = fields.String()
    title = fields.String()


class QualificationSchema(Schema):
    code = fields.String()
    title = fields.String()
    eqf_level = fields.Integer(allow_none=True)
    ateco_code = fields.String(allow_none=True)
    cp_istat_code = fields.String(allow_none=True)
    atlante_code = fields.String(allow_none=True)


class FrameworkRefSchema(Schema):
    code = fields.String()
    title = fields.String()
    issuer = fields.String(metadata={"description": "The public body owning the standard"})
    version = fields.String()
    legal_act = fields.String()
    illustrative = fields.Boolean(metadata={"description": "Not an official text"})
    qualification = fields.Nested(QualificationSchema)


class IssuerSchema(Schema):
    name = fields.String()
    accreditation = fields.String()
    address = fields.String()
    url = fields.String()


class DocumentLinkSchema(Schema):
    code = fields.String()
    url = fields.String()


class VerificationSchema(Schema):
    code = fields.String()
    kind = EnumValue()
    kind_label = fields.String()
    description = fields.String()
    status = EnumValue(metadata={"description": "valid, revoked or superseded"})
    holder = fields.String()
    competences = fields.List(fields.Nested(CompetenceSchema))
    framework = fields.Nested(FrameworkRefSchema)
    issuer = fields.Nested(IssuerSchema)
    issued_on = fields.Date()
    sha256 = fields.String()
    superseded_by = fields.Nested(DocumentLinkSchema, allow_none=True)
    supersedes = fields.Nested(DocumentLinkSchema, allow_none=True)
    revoked_on = fields.Date(allow_none=True)
    revocation_reason = fields.String(allow_none=True)
    verification_url = fields.String()


class FileCheckSchema(Schema):
    matches = fields.Boolean()
    sha256 = fields.String(metadata={"description": "SHA-256 of the uploaded file"})


# --- revocation and reissue (coordinators) -------------------------------------------------


class RevokeInSchema(Schema):
    reason = fields.String(required=True)


class ReissueInSchema(Schema):
    note = fields.String(required=True)


class DocumentStateSchema(Schema):
    id = fields.Integer()
    kind = EnumValue()
    code = fields.String()
    status = EnumValue(metadata={"description": "valid, revoked or superseded"})
    issued_on = fields.Date()
    sha256 = fields.String()
    dossier_id = fields.Integer()
    supersedes = fields.String(allow_none=True, metadata={"description": "code"})
    superseded_by = fields.String(allow_none=True, metadata={"description": "code"})
    revoked_on = fields.Date(allow_none=True)
    revocation_reason = fields.String(allow_none=True)
    verification_url = fields.String()
