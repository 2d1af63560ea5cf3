"""JSON shapes of the certificates API, with explicit field lists (unknown input refused)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from certificates.models import (
    AssessmentMethod,
    DecisionOutcome,
    DossierState,
    EvidenceKind,
    EvidenceType,
    EvidenceValue,
)
from lms.api.fields import Text, Whole


class EnumValue(fields.Field):
    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else getattr(value, "value", value)


def _choice(enum) -> fields.String:
    return fields.String(required=True, validate=validate.OneOf([e.value for e in enum]))


class PersonSchema(Schema):
    id = fields.Integer()
    full_name = fields.String()


class ItemSchema(Schema):
    id = fields.Integer()
    uuid = fields.String()
    kind = EnumValue()
    code = fields.String()
    title = fields.String()


class FrameworkSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    issuer = fields.String()
    version = fields.String()
    status = EnumValue()
    illustrative = fields.Boolean()


class ProfileSchema(Schema):
    id = fields.Function(lambda p: p["profile"].id)
    code = fields.Function(lambda p: p["profile"].code)
    title = fields.Function(lambda p: p["profile"].title)
    eqf_level = fields.Function(lambda p: p["profile"].eqf_level)
    competence_ids = fields.List(fields.Integer())


class CompetenceSchema(ItemSchema):
    id = fields.Function(lambda c: c["item"].id)
    uuid = fields.Function(lambda c: c["item"].uuid)
    kind = fields.Function(lambda c: c["item"].kind.value)
    code = fields.Function(lambda c: c["item"].code)
    title = fields.Function(lambda c: c["item"].title)
    items = fields.List(fields.Nested(ItemSchema))


class FrameworkDetailSchema(Schema):
    framework = fields.Nested(FrameworkSchema)
    profiles = fields.List(fields.Nested(ProfileSchema))
    competences = fields.List(fields.Nested(CompetenceSchema))


class DossierRowSchema(Schema):
    """A worklist row: the dossier with its people."""

    id = fields.Function(lambda r: r.dossier.id)
    state = fields.Function(lambda r: r.dossier.state.value)
    candidate = fields.Nested(PersonSchema)
    profile = fields.Function(lambda r: {"id": r.profile.id, "title": r.profile.title})
    accompagnatore = fields.Nested(PersonSchema, allow_none=True)
    method_expert = fields.Nested(PersonSchema, allow_none=True)
    content_expert = fields.Nested(PersonSchema, allow_none=True)
    waiting = fields.String(allow_none=True)


class CommentSchema(Schema):
    created_at = fields.AwareDateTime()
    transition = fields.String(allow_none=True)
    body = fields.String()


class CompetenceStatusSchema(Schema):
    competence_id = fields.Integer()
    outcome = EnumValue(allow_none=True)
    disagreement = fields.Boolean()
    signatures = fields.Function(lambda s: len(s.signed))


class DossierDetailSchema(DossierRowSchema):
    course_id = fields.Function(lambda r: r.dossier.course_id)
    submitted_at = fields.Function(
        lambda r: r.dossier.submitted_at.isoformat() if r.dossier.submitted_at else None
    )
    decided_at = fields.Function(
        lambda r: r.dossier.decided_at.isoformat() if r.dossier.decided_at else None
    )
    competence_ids = fields.List(fields.Integer())
    available_transitions = fields.List(EnumValue())
    comments = fields.List(fields.Nested(CommentSchema))
    decisions = fields.List(fields.Nested(CompetenceStatusSchema), allow_none=True)


class MatrixItemSchema(Schema):
    id = fields.Integer(attribute="item_id")
    code = fields.String()
    title = fields.String()
    kind = fields.String()
    evidence_ids = fields.List(fields.Integer())
    values = fields.Dict(keys=fields.String(), values=fields.Integer())


class MatrixCompetenceSchema(Schema):
    competence = fields.Nested(MatrixItemSchema)
    items = fields.List(fields.Nested(MatrixItemSchema))
    unsupported_item_ids = fields.List(fields.Integer())


class MatrixEvidenceSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    kind = fields.String()
    type = fields.String()
    value = fields.String()
    phase = fields.String()


class MatrixSchema(Schema):
    dossier_id = fields.Integer()
    snapshot_number = fields.Integer(allow_none=True)
    competences = fields.List(fields.Nested(MatrixCompetenceSchema))
    evidence = fields.List(fields.Nested(MatrixEvidenceSchema))
    unsupported_item_ids = fields.List(fields.Integer())


class EvidenceFormSchema(Schema):
    """The multipart fields of POST /dossiers/<id>/evidence (files apart)."""

    kind = _choice(EvidenceKind)
    type = _choice(EvidenceType)
    value = _choice(EvidenceValue)
    title = Text(300, required=True, name_like=True, validate=validate.Length(min=1))
    description = Text(10000, multiline=True, load_default="")
    date = fields.Date(load_default=None)
    issuer = Text(300, load_default="", name_like=True)
    link = fields.List(Text(1100), load_default=list)


class LinkSchema(Schema):
    item_id = fields.Integer()
    note = fields.String()


class FileSchema(Schema):
    id = fields.Integer(attribute="file_id")
    name = fields.String()
    size = fields.Integer()
    sha256 = fields.String()


class EvidenceSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    type = fields.String()
    value = fields.String()
    phase = fields.String()
    title = fields.String()
    description = fields.String()
    date = fields.String(allow_none=True)
    issuer = fields.String()
    links = fields.List(fields.Nested(LinkSchema))
    files = fields.List(fields.Nested(FileSchema))


class TransitionInSchema(Schema):
    to = _choice(DossierState)
    comment = Text(2000, multiline=True, load_default=None, allow_none=True)


class DecisionInSchema(Schema):
    outcome = _choice(DecisionOutcome)
    method = _choice(AssessmentMethod)
    reasons = Text(10000, multiline=True, required=True)
    test_date = fields.Date(load_default=None, allow_none=True)
    test_result = Text(10000, multiline=True, load_default="")
    version = Whole(required=True)


class DecisionSchema(Schema):
    id = fields.Integer()
    dossier_id = fields.Integer()
    competence_id = fields.Integer()
    expert_id = fields.Integer()
    outcome = EnumValue()
    method = EnumValue()
    test_date = fields.Date(allow_none=True)
    test_result = fields.String()
    reasons = fields.String()
    signed_at = fields.AwareDateTime(allow_none=True)
    version = fields.Integer(attribute="version_id")


# --- issued documents (issue) ---


class DocumentSchema(Schema):
    """An issued document as the API lists it (rows built by certificates.api.documents)."""

    id = fields.Integer()
    kind = fields.String()
    code = fields.String()
    status = fields.String()
    sha256 = fields.String()
    issued_on = fields.Date()
    dossier_id = fields.Integer()
    supersedes_id = fields.Integer(allow_none=True)
    download_url = fields.String(metadata={"description": "The PDF from the API"})
    page_url = fields.String(metadata={"description": "The PDF from the holder's page"})
    verification_url = fields.String()
    credentials_url = fields.String(allow_none=True, metadata={"description": "Open Badges 3.0"})


class IssueInSchema(Schema):
    certificate_kind = fields.String(
        required=True, validate=validate.OneOf(["certificate", "validation"])
    )
