"""Navigation entries, dashboard panels, template filters and the demo step of the courses
package, registered through lms.navigation (lms may not import this package)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from courses.permissions import (
    can_have_calendar,
    can_list_courses,
    can_manage_catalogue,
    can_view_my_courses,
    can_view_unsigned_registers,
    is_staff,
)
from lms.accounts.permissions import is_referent, is_trainer
from lms.navigation import NavItem, Panel, add_demo_step, add_nav, add_panel


def _trainee_context(user) -> dict:
    from courses.services.reports import my_courses

    return {"rows": my_courses(user)}


def _trainer_context(user) -> dict:
    from courses.services.enrolments import today
    from courses.services.lessons import lessons_of_trainer_on

    return {"lessons": lessons_of_trainer_on(user, today())}


def _coordinator_context(user) -> dict:
    from courses.services.courses import latest_open_courses

    return {"courses": latest_open_courses(user)}


def _unsigned_context(user) -> dict:
    from courses.services.unsigned import unsigned_registers

    return {"list": unsigned_registers(user), "all": is_staff(user)}


REFERENT_COURSES = 10  # newest courses with the referent's employees on the home page


def _referent_context(user) -> dict:
    """The newest courses the referent's employees are in; the course list has them all."""
    from courses.services.courses import newest_courses_with_employees

    courses, total = newest_courses_with_employees(user, REFERENT_COURSES)
    return {"courses": courses, "total": total}


def register(app: Flask) -> None:
    from courses.attendance import format_minutes
    from courses.demo import load_demo
    from courses.progress import duration_words, percent

    app.jinja_env.filters["minutes_hm"] = format_minutes
    app.jinja_env.filters["duration_words"] = duration_words
    app.jinja_env.filters["percent_words"] = percent

    add_nav(
        app,
        NavItem(
            "courses.my_courses",
            lambda: str(_l("My courses")),
            can_view_my_courses,
            order=20,
        ),
    )
    add_nav(
        app,
        NavItem(
            "courses.today_lessons",
            lambda: str(_l("Today's lessons")),
            is_trainer,
            order=20,
        ),
    )
    add_nav(
        app,
        NavItem(
            "courses.courses",
            lambda: str(_l("Courses")),
            can_list_courses,
            order=21,
        ),
    )
    add_nav(
        app,
        NavItem(
            "courses.calendar_feed_page",
            lambda: str(_l("My calendar")),
            can_have_calendar,
            order=23,
        ),
    )
    add_nav(
        app, NavItem("courses.modules", lambda: str(_l("Modules")), can_manage_catalogue, order=22)
    )

    add_panel(
        app,
        Panel(
            "courses/panels/trainee.html",
            can_view_my_courses,
            _trainee_context,
            order=20,
        ),
    )
    add_panel(
        app,
        Panel(
            "courses/panels/trainer.html",
            is_trainer,
            _trainer_context,
            order=20,
        ),
    )
    add_panel(
        app,
        Panel(
            "courses/panels/unsigned.html",
            can_view_unsigned_registers,
            _unsigned_context,
            order=19,
        ),
    )
    add_panel(
        app, Panel("courses/panels/coordinator.html", is_staff, _coordinator_context, order=21)
    )
    add_panel(
        app,
        Panel(
            "courses/panels/referent.html",
            is_referent,
            _referent_context,
            order=22,
        ),
    )
    add_demo_step(app, load_demo, order=20)
