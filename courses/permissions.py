"""Who may do what with modules, courses, lessons, registers and attendance (pure predicates)."""

from __future__ import annotations

from courses.models import Course, Enrolment, Lesson
from lms.accounts.models import Role

STAFF = (Role.ADMIN, Role.COORDINATOR)


def is_staff(user) -> bool:
    """Coordinators and admins manage the whole catalogue and every course."""
    return user.is_authenticated and user.has_role(*STAFF)


def can_manage_catalogue(user) -> bool:
    return is_staff(user)


def can_view_catalogue(user) -> bool:
    return is_staff(user) or user.has_role(Role.TRAINER)


def can_manage_course(user, course: Course | None = None) -> bool:
    """Create courses, edit them, enrol trainees, schedule lessons."""
    return is_staff(user)


def can_edit_course(user, course: Course) -> bool:
    """Manage, and the course is not closed (closed courses are read-only)."""
    return can_manage_course(user, course) and not course.is_closed


def is_course_trainer(user, course: Course) -> bool:
    return user.has_role(Role.TRAINER) and user.id in course.trainer_ids


def can_view_course(user, course: Course) -> bool:
    """See the course page (trainees see their own courses through 'my courses')."""
    return is_staff(user) or is_course_trainer(user, course)


def can_take_register(user, lesson: Lesson, course: Course) -> bool:
    """Record attendance for a lesson: its trainer, the course's trainers, or staff."""
    if course.is_closed:
        return False
    if is_staff(user):
        return True
    return user.has_role(Role.TRAINER) and (
        lesson.trainer_id == user.id or user.id in course.trainer_ids
    )


def can_view_register(user, lesson: Lesson, course: Course) -> bool:
    if is_staff(user):
        return True
    return user.has_role(Role.TRAINER) and (
        lesson.trainer_id == user.id or user.id in course.trainer_ids
    )


def can_reopen_register(user) -> bool:
    """Only coordinators (and admins) reopen a signed register, with a reason."""
    return is_staff(user)


def can_view_course_report(user, course: Course, *, has_own_employees: bool = False) -> bool:
    """Staff and the course's trainers see everyone; a referent sees their company's employees."""
    if is_staff(user) or is_course_trainer(user, course):
        return True
    return user.has_role(Role.REFERENT) and user.organisation_id is not None and has_own_employees


def report_scope(user, course: Course) -> int | None:
    """None for the whole report, else the organisation whose employees the user may see."""
    if is_staff(user) or is_course_trainer(user, course):
        return None
    return user.organisation_id if user.organisation_id is not None else -1


def can_view_enrolment(user, enrolment: Enrolment, course: Course, trainee) -> bool:
    """The trainee, staff, the course's trainers, and the referent of the trainee's company."""
    if enrolment.user_id == user.id or is_staff(user) or is_course_trainer(user, course):
        return True
    return (
        user.has_role(Role.REFERENT)
        and user.organisation_id is not None
        and trainee.organisation_id == user.organisation_id
    )
