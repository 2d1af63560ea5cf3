"""The marker's pages: grade one trainee (score or rubric, observation, feedback), the agreed
mark of double marking, release, and the 'to grade' worklist."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from assessments import bp
from assessments.models import GradeStatus
from assessments.permissions import can_view_gradebook, is_grader
from assessments.services import grading as services
from assessments.services import marking
from assessments.services import results as result_services
from assessments.services.grading import MarkInput
from assessments.services.results.gradebook_filters import neighbours, parse_filter
from assessments.services.results.gradebook_order import gradebook_order
from assessments.views.common import int_or_none, staff_assessment_or_404
from lms.accounts.models import User
from lms.db import db
from lms.errors import StaleEdit, ValidationFailed
from lms.files.http import INLINE_KINDS
from lms.security import allowed_if
from lms.validation import ascii_numbers
from lms.web import PageWindow, acting_user, get_or_404


def _values_from(mark) -> dict:
    """What the form shows for a mark (or an empty one)."""
    if mark is None:
        return {
            "score": "",
            "levels": {},
            "comments": {},
            "feedback": "",
            "note": "",
            "observed_on": "",
            "version": 0,
            "reason": "",
        }
    return {
        "score": f"{mark.score:f}" if mark.score is not None else "",
        "levels": {lv.criterion_id: lv.level_id for lv in mark.levels},
        "comments": {lv.criterion_id: lv.comment for lv in mark.levels},
        "feedback": mark.feedback,
        "note": mark.note,
        "observed_on": mark.observed_on.isoformat() if mark.observed_on else "",
        "version": mark.version_id,
        "reason": "",
    }


def _values_from_form(form, rubric) -> dict:
    levels, comments = {}, {}
    for crit in rubric.criteria if rubric else []:
        levels[crit.id] = int_or_none(form.get(f"level_{crit.id}"))
        comments[crit.id] = form.get(f"comment_{crit.id}", "")
    return {
        "score": form.get("score", ""),
        "levels": levels,
        "comments": comments,
        "feedback": form.get("feedback", ""),
        "note": form.get("note", ""),
        "observed_on": form.get("observed_on", ""),
        "version": int_or_none(form.get("version")) or 0,
        "reason": form.get("reason", ""),
    }


def _context(a, course, trainee_id: int):
    trainee = get_or_404(User, trainee_id)
    grade = services.grade_for_marking(acting_user(), a, trainee_id)
    return trainee, grade


def _gradebook_nav(course, a, trainee_id: int):
    """Previous, next and next-to-grade trainee in the gradebook's order, within the filters
    the marker came with (they stay in the query string); None for whoever may not open the
    gradebook."""
    flt = parse_filter(request.args)
    if not can_view_gradebook(acting_user(), course):
        return None, flt.args()
    rows = gradebook_order(acting_user(), course, flt)
    return neighbours(rows, a.id, trainee_id), flt.args()


def render_grade(
    a,
    course,
    trainee,
    grade,
    *,
    values=None,
    errors=None,
    conflict=None,
    agree_values=None,
    status=200,
):
    view = marking.marking_view(acting_user(), a, grade)
    nav, fargs = _gradebook_nav(course, a, trainee.id)
    return render_template(
        "assessments/grade.html",
        a=a,
        course=course,
        trainee=trainee,
        grade=grade,
        marks=view.visible,
        others_hidden=view.others_hidden,
        role=view.role,
        mine=view.mine,
        rubric=view.rubric,
        values=_values_from(view.mine) if values is None else values,
        errors=errors or {},
        conflict=conflict,
        submission=view.submission,
        quiz=view.quiz,
        needs_agreement=view.needs_agreement,
        agreement_open=view.agreement_open,
        agree_values=agree_values or {"score": "", "reason": "", "feedback": grade.feedback},
        history=view.history,
        today=dt.date.today().isoformat(),
        nav=nav,
        fargs=fargs,
        inline_kinds=INLINE_KINDS,
    ), status


def _back_to_grade(a, trainee_id: int) -> str:
    """The grading screen again (post, redirect, get), with the gradebook's filters."""
    return url_for(
        "assessments.grade",
        assessment_id=a.id,
        trainee_id=trainee_id,
        **parse_filter(request.args).args(),
    )


@bp.get("/valutazioni/<int:assessment_id>/corsisti/<int:trainee_id>")
@allowed_if(is_grader)
def grade(assessment_id: int, trainee_id: int):
    a, course = staff_assessment_or_404(assessment_id)
    # An observed test's grade row is created on first use; a GET does not commit it.
    trainee, grade = _context(a, course, trainee_id)
    return render_grade(a, course, trainee, grade)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.post("/valutazioni/<int:assessment_id>/corsisti/<int:trainee_id>")
@allowed_if(is_grader)
def save_grade(assessment_id: int, trainee_id: int):
    a, course = staff_assessment_or_404(assessment_id)
    trainee, grade = _context(a, course, trainee_id)
    rubric = services.assessment_rubric(a)
    values = _values_from_form(request.form, rubric)
    observed = _date(values["observed_on"])
    data = MarkInput(
        score=values["score"],
        levels={k: v for k, v in values["levels"].items() if v is not None},
        comments=values["comments"],
        feedback=values["feedback"],
        note=values["note"],
        observed_on=observed,
        complete=request.form.get("action") != "draft",
        reason=values["reason"],
        seen_version=values["version"],
    )
    try:
        if values["observed_on"] and observed is None:
            msg = _("Enter a date.")
            raise ValidationFailed(msg, {"observed_on": [msg]})
        services.save_mark(acting_user(), a, grade, data)
    except ValidationFailed as err:
        db.session.rollback()
        flash(err.message, "danger")
        trainee, grade = _context(a, course, trainee_id)
        return render_grade(a, course, trainee, grade, values=values, errors=err.fields, status=422)
    except StaleEdit as err:
        db.session.rollback()
        flash(err.message, "danger")
        trainee, grade = _context(a, course, trainee_id)
        current = marking.marking_view(acting_user(), a, grade).mine
        # Keep what the marker typed; saving again now overwrites the version shown.
        values["version"] = current.version_id if current else 0
        return render_grade(a, course, trainee, grade, values=values, conflict=current, status=409)
    db.session.commit()
    if data.complete:
        flash(_("The grade is saved. It is a draft until it is released."), "success")
    else:
        flash(_("Your marking is saved as a draft."), "success")
    return redirect(_back_to_grade(a, trainee_id), 303)


@bp.post("/valutazioni/<int:assessment_id>/corsisti/<int:trainee_id>/accordo")
@allowed_if(is_grader)
def agree(assessment_id: int, trainee_id: int):
    a, course = staff_assessment_or_404(assessment_id)
    trainee, grade = _context(a, course, trainee_id)
    agree_values = {k: request.form.get(k, "") for k in ("score", "reason", "feedback")}
    try:
        services.record_agreement(
            acting_user(),
            a,
            grade,
            score=agree_values["score"],
            reason=agree_values["reason"],
            feedback=agree_values["feedback"],
            seen_version=int_or_none(request.form.get("grade_version")),
        )
    except ValidationFailed as err:
        db.session.rollback()
        flash(err.message, "danger")
        trainee, grade = _context(a, course, trainee_id)
        return render_grade(
            a,
            course,
            trainee,
            grade,
            errors={f"agree_{k}": v for k, v in err.fields.items()},
            agree_values=agree_values,
            status=422,
        )
    except StaleEdit as err:
        db.session.rollback()
        flash(err.message, "danger")
        trainee, grade = _context(a, course, trainee_id)
        return render_grade(a, course, trainee, grade, agree_values=agree_values, status=409)
    db.session.commit()
    flash(_("The agreed mark is recorded."), "success")
    return redirect(_back_to_grade(a, trainee_id), 303)


@bp.post("/valutazioni/<int:assessment_id>/rilascio")
@allowed_if(is_grader)
def release(assessment_id: int):
    a, _course = staff_assessment_or_404(assessment_id)
    if request.form.get("scope") == "selected":
        ids = ascii_numbers(request.form.getlist("grade_id"))
        if not ids:
            flash(_("Tick the grades to release first."), "warning")
            return redirect(
                url_for("assessments.assessment", assessment_id=a.id, _anchor="corsisti"), 303
            )
        n = services.release(acting_user(), a, ids)
    else:
        n = services.release(acting_user(), a)
    db.session.commit()
    if n:
        flash(
            ngettext(
                "%(num)d grade released: the trainee can read it now.",
                "%(num)d grades released: the trainees can read them now.",
                n,
            ),
            "success",
        )
    else:
        flash(_("No graded work was waiting for release."), "info")
    return redirect(url_for("assessments.assessment", assessment_id=a.id, _anchor="corsisti"), 303)


WORKLIST_PAGE = 50  # items per page of the worklist, selected in SQL


@bp.get("/da-correggere")
@allowed_if(is_grader)
def worklist():
    me = acting_user()
    window = PageWindow(result_services.worklist_count(me), WORKLIST_PAGE, request.args.get("page"))
    items = result_services.worklist(me, limit=window.limit, offset=window.offset)
    return render_template(
        "assessments/worklist.html",
        items=items,
        pager=window,
        released=GradeStatus.RELEASED,
    )
