"""Navigation entries, dashboard panels, template helpers and the demo step of the assessments
package, registered through lms.navigation (lms may not import this package)."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from assessments.permissions import (
    can_manage_templates,
    can_take_assessments,
    can_view_gradebooks,
    sees_all_assessment_work,
)
from lms.accounts.permissions import is_trainer
from lms.navigation import Block, NavItem, Panel, add_block, add_demo_step, add_nav, add_panel


def format_points(value) -> str:
    """Points the Italian way: 7, 7,5, 7,25."""
    if value is None:
        return ""
    return format_decimal(Decimal(value), format="#,##0.##")


HISTORY_LABELS = {
    "grade.submitted": _l("Work submitted"),
    "grade.auto": _l("Graded automatically"),
    "mark.draft": _l("Marking saved as a draft"),
    "mark.complete": _l("Mark given"),
    "grade.agree": _l("Agreed mark recorded"),
    "grade.release": _l("Released to the trainee"),
}


def history_label(action: str) -> str:
    return str(HISTORY_LABELS.get(action, action))


def history_summary(snap: dict | None) -> str:
    """A grade history snapshot in a few words: state and score (and the mark's score)."""
    from assessments.models import STATUS_LABELS, GradeStatus

    if not snap:
        return "—"
    grade = snap.get("grade", snap)
    parts = []
    if grade.get("status"):
        parts.append(str(STATUS_LABELS[GradeStatus(grade["status"])]))
    if grade.get("score") is not None:
        parts.append(str(_l("grade %(s)s", s=format_points(grade["score"]))))
    mark = snap.get("mark")
    if mark and mark.get("score") is not None:
        parts.append(str(_l("mark %(s)s", s=format_points(mark["score"]))))
    return ", ".join(parts) or "—"


def _trainer_context(user) -> dict:
    from assessments.services.results import worklist, worklist_count

    return {"work": worklist(user, limit=8), "total": worklist_count(user)}


def _trainee_context(user) -> dict:
    from assessments.services.results import my_assessments

    rows = my_assessments(user)
    todo = [r for r in rows if r.status.value == "not_submitted" and not r.assessment.is_observed]
    released = [r for r in rows if r.grade is not None]
    return {"todo": todo[:6], "released": released[:6]}


def _coordinator_context(user) -> dict:
    from courses.services.courses import latest_open_courses

    return {"courses": latest_open_courses(user)}


def _course_block_visible(viewer, enrolment) -> bool:
    from courses.permissions import can_view_trainee_course

    return can_view_trainee_course(viewer, enrolment)


def _course_block_context(viewer, enrolment) -> dict:
    from assessments.services.results.trainee_course import assessments_of_enrolment

    return {
        "rows": assessments_of_enrolment(viewer, enrolment),
        "own": viewer.id == enrolment.user_id,
    }


def register(app: Flask) -> None:
    from assessments.demo import load_demo
    from assessments.models import STATUS_LABELS

    app.jinja_env.filters["pts"] = format_points
    app.jinja_env.globals["status_label"] = lambda s: str(STATUS_LABELS[s])
    app.jinja_env.globals["history_label"] = history_label
    app.jinja_env.globals["history_summary"] = history_summary

    # The assessments of the trainee's course page (courses.views.trainee.TRAINEE_COURSE_PAGE).
    add_block(
        app,
        "courses.trainee_course",
        Block(
            "assessments/blocks/trainee_course.html",
            _course_block_visible,
            _course_block_context,
            order=10,
        ),
    )
    add_nav(
        app,
        NavItem(
            "assessments.my_assessments",
            lambda: str(_l("Assessments")),
            can_take_assessments,
            order=30,
        ),
    )
    add_nav(
        app,
        NavItem(
            "assessments.my_results",
            lambda: str(_l("My results")),
            can_take_assessments,
            order=31,
        ),
    )
    add_nav(
        app,
        NavItem(
            "assessments.worklist",
            lambda: str(_l("To grade")),
            is_trainer,
            order=30,
        ),
    )
    add_nav(
        app,
        NavItem(
            "assessments.gradebooks", lambda: str(_l("Gradebooks")), can_view_gradebooks, order=31
        ),
    )
    add_nav(
        app,
        NavItem(
            "assessments.templates", lambda: str(_l("Rubrics")), can_manage_templates, order=32
        ),
    )

    add_panel(
        app,
        Panel(
            "assessments/panels/trainee.html",
            can_take_assessments,
            _trainee_context,
            order=45,
        ),
    )
    add_panel(
        app,
        Panel(
            "assessments/panels/trainer.html",
            is_trainer,
            _trainer_context,
            order=45,
        ),
    )
    add_panel(
        app,
        Panel(
            "assessments/panels/coordinator.html",
            sees_all_assessment_work,
            _coordinator_context,
            order=45,
        ),
    )
    add_demo_step(app, load_demo, order=30)
