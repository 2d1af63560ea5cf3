"""Assignment submissions in the API: the user's own, submitting work with files, and
downloading a submitted file (the trainee and the course's graders)."""

from __future__ import annotations

from flask import request, url_for
from marshmallow import fields

from assessments.models import Submission, SubmissionFile
from assessments.permissions import can_take_assessments, can_view_submission
from assessments.schemas import SubmissionFileSchema, SubmissionFormSchema, SubmissionSchema
from assessments.services import taking
from assessments.services.taking import Upload
from assessments.views.common import assessment_or_404
from lms.api import blueprint as api
from lms.api.io import endpoint, load
from lms.db import db
from lms.files.http import send_stored
from lms.files.models import StoredFile
from lms.security import allowed_if, login_required
from lms.web import acting_user, get_or_404, require_visible

MULTIPART = {
    "text": "The answer, as text",
    "files": "A file to attach (repeatable; PDF, ODT, DOCX...)",
    "remove_file": "The id of an attached file to remove (repeatable)",
    "version": "The version of the submission the trainee saw (absent for a first one)",
}


class LinkedFileSchema(SubmissionFileSchema):
    """A submitted file with the address of its download (built here: schemas stay pure)."""

    url = fields.Function(
        lambda f: url_for("api.submission_file", submission_id=f.submission_id, file_id=f.id)
    )


class LinkedSubmissionSchema(SubmissionSchema):
    files = fields.List(fields.Nested(LinkedFileSchema))


def _form() -> dict:
    """The multipart form fields (files apart), empty values left out, lists kept as lists."""
    out = {}
    for key in request.form:
        values = [v for v in request.form.getlist(key) if v != ""]
        if key == "remove_file":
            out[key] = values
        elif values:
            out[key] = values[-1]
    return out


@api.get("/assessments/<int:assessment_id>/submission")
@allowed_if(can_take_assessments)
@endpoint(response=LinkedSubmissionSchema, summary="The user's own submission")
def my_submission(assessment_id: int):
    a, _course = assessment_or_404(assessment_id)
    sub = taking.submission_of(acting_user(), a)
    require_visible(sub is not None)
    return sub


@api.post("/assessments/<int:assessment_id>/submission")
@allowed_if(can_take_assessments)
@endpoint(
    response=LinkedSubmissionSchema,
    status=201,
    multipart=MULTIPART,
    summary="Submit or replace work (multipart/form-data)",
)
def submit_work(assessment_id: int):
    a, _course = assessment_or_404(assessment_id)
    data = load(SubmissionFormSchema(), _form())
    me = acting_user()
    taking.submit_work(
        me,
        a,
        text=data["text"],
        uploads=[
            Upload(f.filename or "", f.read())
            for f in request.files.getlist("files")
            if f and (f.filename or "").strip()
        ],
        remove_file_ids=data["remove_file"],
        seen_version=data["version"],
    )
    db.session.commit()
    return taking.submission_of(me, a)


@api.get("/submissions/<int:submission_id>/files/<int:file_id>")
@login_required
@endpoint(binary="application/octet-stream", summary="A submitted file, as an attachment")
def submission_file(submission_id: int, file_id: int):
    sub = get_or_404(Submission, submission_id, visible=can_view_submission)
    link = get_or_404(SubmissionFile, file_id)
    require_visible(link.submission_id == sub.id)
    return send_stored(db.session.get(StoredFile, link.stored_file_id))
