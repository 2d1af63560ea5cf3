"""JSON shapes of submissions and their files."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields

from lms.api.fields import Text, Whole
from lms.api.io import Id


class SubmissionFormSchema(Schema):
    """The form fields of a multipart submission (the files come as ``files``, repeatable)."""

    class Meta:
        unknown = RAISE

    text = Text(50000, multiline=True, load_default="")
    version = Whole(allow_none=True, load_default=None)  # the submission's version seen
    remove_file = fields.List(Id(), load_default=list)  # ids of files to remove


class SubmissionFileSchema(Schema):
    class Meta:
        ordered = True

    id = fields.Integer()
    name = fields.String(attribute="stored.original_name")
    kind = fields.String(attribute="stored.kind")
    size = fields.Integer(attribute="stored.size")
    sha256 = fields.String(attribute="stored.sha256")


class SubmissionSchema(Schema):
    class Meta:
        ordered = True

    id = fields.Integer()
    assessment_id = fields.Integer()
    trainee_id = fields.Integer()
    text = fields.String()
    submitted_at = fields.DateTime()
    late = fields.Boolean()
    times_submitted = fields.Integer()
    version = fields.Integer(attribute="version_id")
    files = fields.List(fields.Nested(SubmissionFileSchema))
