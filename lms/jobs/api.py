"""Background job routes of the JSON API: the caller's jobs, one job with its items, retry."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, fields

from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.db import db
from lms.jobs import services
from lms.jobs.models import Job
from lms.jobs.permissions import can_view_job
from lms.security import login_required
from lms.web import acting_user, get_or_404


class JobItemSchema(Schema):
    position = fields.Integer()
    key = fields.String()
    label = fields.String()
    state = fields.Function(lambda item: item.state.value)
    state_label = fields.Function(lambda item: services.state_label(item.state))
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    result = fields.Raw(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)


class JobSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.Function(services.title_of)
    state = fields.Function(lambda job: job.state.value)
    state_label = fields.Function(lambda job: services.state_label(job.state))
    finished = fields.Function(lambda job: job.is_finished)
    total = fields.Integer()
    done = fields.Integer()
    failed = fields.Integer()
    progress_text = fields.Function(services.progress_text)
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    url = fields.Function(lambda job: url_for("jobs.detail", job_id=job.id))


class JobDetailSchema(JobSchema):
    items = fields.List(fields.Nested(JobItemSchema))


@api.get("/jobs")
@login_required
@endpoint(response=JobSchema, paginated=True, summary="The caller's background jobs, newest first")
def jobs_list():
    return services.jobs_of(acting_user())


@api.get("/jobs/<int:job_id>")
@login_required
@endpoint(response=JobDetailSchema, summary="A background job with the state of each item")
def jobs_detail(job_id: int):
    job = get_or_404(Job, job_id, visible=can_view_job)
    services.items_of(acting_user(), job)
    return job


@api.post("/jobs/<int:job_id>/retry")
@login_required
@endpoint(response=JobDetailSchema, summary="Try the failed items of a finished job again")
def jobs_retry(job_id: int):
    job = get_or_404(Job, job_id, visible=can_view_job)
    services.retry_failed(acting_user(), job)
    db.session.commit()
    db.session.refresh(job)
    services.items_of(acting_user(), job)
    return job
