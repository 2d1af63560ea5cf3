"""The trainee's course page (and the same page, read-only, for the referent of the trainee's
company), the personal calendar feed and the 'add to calendar' file of a lesson."""

from __future__ import annotations

from flask import Response, current_app, render_template, url_for

from courses import bp
from courses.models import ATTENDANCE_LABELS
from courses.permissions import (
    can_download_lesson_event,
    can_have_calendar,
    can_view_trainee_course,
)
from courses.services import calendar as calendar_services
from courses.services.trainee_course import trainee_course
from courses.views.common import enrolment_or_404, lesson_or_404
from lms.db import db
from lms.navigation import blocks_for
from lms.security import allowed_if, login_required, public
from lms.web import acting_user, require_visible

# The page other packages add blocks to (lms.navigation.add_block); the subject is the Enrolment.
TRAINEE_COURSE_PAGE = "courses.trainee_course"


def render_trainee_course(enrolment):
    """The trainee's course page for the acting user (the trainee, or a reader of the enrolment)."""
    u = acting_user()
    lead = current_app.config.get("LESSON_LINK_LEAD_MINUTES", 30)
    page = trainee_course(u, enrolment, link_lead_minutes=lead)
    return render_template(
        "courses/trainee/course.html",
        page=page,
        blocks=blocks_for(current_app, TRAINEE_COURSE_PAGE, u, enrolment),
        attendance_labels=ATTENDANCE_LABELS,
        link_lead=lead,
    )


@bp.get("/iscrizioni/<int:enrolment_id>/percorso")
@login_required
def trainee_course_page(enrolment_id: int):
    enrolment, _course = enrolment_or_404(enrolment_id, can_view_trainee_course)
    return render_trainee_course(enrolment)


@bp.get("/calendario")
@allowed_if(can_have_calendar)
def calendar_feed_page():
    feed = calendar_services.has_feed(acting_user())
    return render_template("courses/trainee/calendar.html", feed=feed, feed_url=None)


@bp.post("/calendario/nuovo-indirizzo")
@allowed_if(can_have_calendar)
def reset_calendar_feed():
    token = calendar_services.reset_feed(acting_user())
    db.session.commit()
    feed = calendar_services.has_feed(acting_user())
    # Shown once, in this answer only: the address is never stored in clear nor flashed.
    url = url_for("courses.calendar_feed", token=token, _external=True)
    return render_template("courses/trainee/calendar.html", feed=feed, feed_url=url)


@bp.get("/calendario/<token>.ics")
@public
def calendar_feed(token: str):
    user = calendar_services.owner_of_token(token)
    require_visible(user is not None)
    resp = Response(calendar_services.feed_ics(user), mimetype="text/calendar")
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["Content-Disposition"] = 'inline; filename="lezioni.ics"'
    return resp


@bp.get("/lezioni/<int:lesson_id>/calendario.ics")
@login_required
def lesson_ics(lesson_id: int):
    lesson, _course = lesson_or_404(lesson_id, can_download_lesson_event)
    resp = Response(calendar_services.lesson_ics(acting_user(), lesson), mimetype="text/calendar")
    resp.headers["Content-Disposition"] = f'attachment; filename="lezione-{lesson.id}.ics"'
    return resp
