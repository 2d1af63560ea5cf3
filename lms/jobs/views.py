"""Background job pages: my jobs (/lavori) and one job's progress (/lavori/<id>)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import ngettext

from lms.db import db
from lms.jobs import bp, services
from lms.jobs.models import Job
from lms.jobs.permissions import can_view_job
from lms.security import login_required
from lms.web import acting_user, get_or_404

PER_PAGE = 20


@bp.get("/lavori")
@login_required
def index():
    pager = db.paginate(
        services.jobs_of(acting_user()), per_page=PER_PAGE, max_per_page=100, error_out=False
    )
    return render_template("jobs/index.html", pager=pager)


@bp.get("/lavori/<int:job_id>")
@login_required
def detail(job_id: int):
    job = get_or_404(Job, job_id, visible=can_view_job)
    items = services.items_of(acting_user(), job)
    return render_template("jobs/detail.html", job=job, items=items)


@bp.post("/lavori/<int:job_id>/riprova")
@login_required
def retry(job_id: int):
    job = get_or_404(Job, job_id, visible=can_view_job)
    count = services.retry_failed(acting_user(), job)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d failed item will be tried again.",
            "%(num)d failed items will be tried again.",
            count,
        ),
        "success",
    )
    return redirect(url_for("jobs.detail", job_id=job_id), 303)
