"""Navigation entries, dashboard panels, template filters and the demo step of the courses
package, registered through lms.navigation (lms may not import this package)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.navigation import NavItem, Panel, add_demo_step, add_nav, add_panel


def _is_staff(user) -> bool:
    return user.has_role(Role.ADMIN, Role.COORDINATOR)


def _trainee_context(user) -> dict:
    from courses.attendance import courses_of_trainee

    return {"rows": courses_of_trainee(user)}


def _trainer_context(user) -> dict:
    from courses.services.enrolments import today
    from courses.services.lessons import lessons_of_trainer_on

    return {"lessons": lessons_of_trainer_on(user, today())}


def _coordinator_context(user) -> dict:
    from courses.models import Course, CourseStatus

    courses = db.session.scalars(
        select(Course)
        .where(Course.status != CourseStatus.CLOSED)
        .order_by(Course.start_date.desc())
        .limit(10)
    ).all()
    return {"courses": courses}


def _referent_context(user) -> dict:
    from courses.models import Course
    from courses.services.courses import courses_with_employees_of

    if user.organisation_id is None:
        return {"courses": []}
    courses = db.session.scalars(
        select(Course)
        .where(Course.id.in_(courses_with_employees_of(user.organisation_id)))
        .order_by(Course.start_date.desc())
    ).all()
    return {"courses": courses}


def register(app: Flask) -> None:
    from courses.attendance import format_minutes
    from courses.demo import load_demo

    app.jinja_env.filters["minutes_hm"] = format_minutes

    add_nav(
        app,
        NavItem(
            "courses.my_courses",
            lambda: str(_l("My courses")),
            lambda u: u.has_role(Role.TRAINEE),
            order=20,
        ),
    )
    add_nav(
        app,
        NavItem(
            "courses.today_lessons",
            lambda: str(_l("Today's lessons")),
            lambda u: u.has_role(Role.TRAINER),
            order=20,
        ),
    )
    add_nav(
        app,
        NavItem(
            "courses.courses",
            lambda: str(_l("Courses")),
            lambda u: _is_staff(u) or u.has_role(Role.TRAINER, Role.REFERENT),
            order=21,
        ),
    )
    add_nav(app, NavItem("courses.modules", lambda: str(_l("Modules")), _is_staff, order=22))

    add_panel(
        app,
        Panel(
            "courses/panels/trainee.html",
            lambda u: u.has_role(Role.TRAINEE),
            _trainee_context,
            order=20,
        ),
    )
    add_panel(
        app,
        Panel(
            "courses/panels/trainer.html",
            lambda u: u.has_role(Role.TRAINER),
            _trainer_context,
            order=20,
        ),
    )
    add_panel(
        app, Panel("courses/panels/coordinator.html", _is_staff, _coordinator_context, order=21)
    )
    add_panel(
        app,
        Panel(
            "courses/panels/referent.html",
            lambda u: u.has_role(Role.REFERENT),
            _referent_context,
            order=22,
        ),
    )
    add_demo_step(app, load_demo, order=20)
