"""JSON shapes of quiz questions, choices, attempts and answers."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from assessments.schemas.common import NUMBER_MAX, POINTS_MAX, EnumValue, ItemIds
from assessments.scoring import PartialCredit, QuestionType
from lms.api.fields import Amount, Text
from lms.api.io import Id


class ChoiceSchema(Schema):
    class Meta:
        ordered = True

    id = fields.Integer()
    text = fields.String()


class ChoiceKeySchema(ChoiceSchema):
    correct = fields.Boolean()


class QuestionPublicSchema(Schema):
    """A question as the trainee sees it during an attempt: no answers."""

    class Meta:
        ordered = True

    id = fields.Integer()
    kind = EnumValue()
    prompt = fields.String()
    points = fields.Decimal(as_string=True)
    partial_credit = EnumValue()
    choices = fields.List(fields.Nested(ChoiceSchema))


class QuestionSchema(QuestionPublicSchema):
    """A question with its key, for the course's trainers only."""

    choices = fields.List(fields.Nested(ChoiceKeySchema))
    accepted_answers = fields.Function(lambda q: q.accepted_list)
    expected_number = fields.Decimal(as_string=True, allow_none=True)
    tolerance = fields.Decimal(as_string=True)
    feedback = fields.String()
    framework_item_ids = ItemIds(attribute="framework_items")


class ChoiceInSchema(Schema):
    class Meta:
        unknown = RAISE

    text = Text(1000, multiline=True, required=True)
    correct = fields.Boolean(load_default=False)


class QuestionInSchema(Schema):
    class Meta:
        unknown = RAISE

    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in QuestionType]))
    prompt = Text(5000, multiline=True, required=True)
    points = Amount(high=POINTS_MAX, required=True)
    choices = fields.List(fields.Nested(ChoiceInSchema), load_default=list)
    partial_credit = fields.String(
        validate=validate.OneOf([p.value for p in PartialCredit]), load_default="all_or_nothing"
    )
    accepted_answers = fields.List(Text(500), load_default=list)
    expected_number = Amount(
        low=-NUMBER_MAX, high=NUMBER_MAX, places=4, allow_none=True, load_default=None
    )
    tolerance = Amount(high=NUMBER_MAX, places=4, load_default=0)
    feedback = Text(10000, multiline=True, load_default="")
    framework_item_ids = fields.List(Id(), load_default=list)


class AnswerInSchema(Schema):
    class Meta:
        unknown = RAISE

    selected = fields.List(Id(), load_default=list)
    text = Text(500, load_default="")


class AnswerSchema(Schema):
    class Meta:
        ordered = True

    selected = fields.List(fields.Integer())
    text = fields.String()


class AttemptSchema(Schema):
    """An attempt as its trainee sees it: the questions in their order (no key) and the
    answers saved so far, by question id."""

    class Meta:
        ordered = True

    id = fields.Integer()
    assessment_id = fields.Integer()
    number = fields.Integer()
    started_at = fields.DateTime()
    deadline = fields.DateTime(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)
    auto_closed = fields.Boolean()
    questions = fields.List(fields.Nested(QuestionPublicSchema))
    answers = fields.Dict(keys=fields.String(), values=fields.Nested(AnswerSchema))


class AttemptReviewSchema(Schema):
    """What the trainee checks before submitting: the question ids answered and not, in order."""

    class Meta:
        ordered = True

    attempt_id = fields.Integer()
    submitted = fields.Boolean()
    answered = fields.List(fields.Integer())
    unanswered = fields.List(fields.Integer())


class AnswerSavedSchema(Schema):
    class Meta:
        ordered = True

    saved = fields.Boolean()
    question_id = fields.Integer()
