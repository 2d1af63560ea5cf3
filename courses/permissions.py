"""Who may do what with modules, courses, enrolments, lessons, registers and attendance.

The only place where course roles and scopes are decided: pure predicates of the user and the
object (they may read the database, never the request). Services call them with
``lms.permissions.require``; loaders use them to answer 404; templates call them (exposed to
Jinja by ``courses.init_app``).
"""

from __future__ import annotations

from sqlalchemy import select

from courses.models import Course, CourseStatus, Enrolment, EnrolmentStatus, Lesson, Module
from lms.accounts.models import User
from lms.accounts.permissions import is_referent, is_trainee, is_trainer
from lms.accounts.permissions import is_staff as is_staff  # re-exported: assessments uses it
from lms.db import db


def _course_of(obj) -> Course:
    return db.session.get(Course, obj.course_id)


def is_published_course(course: Course | None) -> bool:
    """A course out of draft: only then do trainees and referents see it, its lessons and its
    assessments (a draft is its trainers', coordinators' and admins' only)."""
    return course is not None and course.status != CourseStatus.DRAFT


def _enrolled_in(user, course: Course) -> bool:
    return (
        db.session.scalar(
            select(Enrolment.id).where(
                Enrolment.course_id == course.id, Enrolment.user_id == user.id
            )
        )
        is not None
    )


def _has_employees_in(user, course: Course) -> bool:
    """A referent whose organisation has someone enrolled in the course (not a draft)."""
    if not is_referent(user) or not is_published_course(course):
        return False
    return (
        db.session.scalar(
            select(Enrolment.id)
            .join(User, User.id == Enrolment.user_id)
            .where(Enrolment.course_id == course.id, User.organisation_id == user.organisation_id)
            .limit(1)
        )
        is not None
    )


# --- catalogue ------------------------------------------------------------------------------


def can_view_catalogue(user) -> bool:
    """Coordinators, admins and trainers read the module catalogue."""
    return is_staff(user) or is_trainer(user)


def can_manage_catalogue(user) -> bool:
    """Create modules; only staff."""
    return is_staff(user)


def can_view_module(user, module: Module) -> bool:
    """One module of the catalogue: whoever reads the catalogue."""
    return can_view_catalogue(user)


def can_edit_module(user, module: Module) -> bool:
    """Edit, retire, restore or delete a module."""
    return can_manage_catalogue(user)


# --- courses --------------------------------------------------------------------------------


def is_course_trainer(user, course: Course) -> bool:
    """A trainer assigned to the course."""
    return is_trainer(user) and user.id in course.trainer_ids


def can_list_courses(user) -> bool:
    """The course list: staff, trainers (their courses), referents (their employees' courses)."""
    return is_staff(user) or is_trainer(user) or is_referent(user)


def can_create_course(user) -> bool:
    return is_staff(user)


def can_view_course(user, course: Course) -> bool:
    """The course page with its lessons: staff and the course's trainers."""
    return is_staff(user) or is_course_trainer(user, course)


def can_read_course(user, course: Course) -> bool:
    """The course's details: who runs or teaches it, an enrolled trainee, a referent whose
    employees take it."""
    if not user.is_authenticated:
        return False
    return (
        can_view_course(user, course)
        or _has_employees_in(user, course)
        or (is_trainee(user) and is_published_course(course) and _enrolled_in(user, course))
    )


def can_manage_course(user, course: Course) -> bool:
    """Enrolments, status, modules, lessons: staff (a closed course shows them read-only)."""
    return is_staff(user)


def can_edit_course(user, course: Course) -> bool:
    """Manage, and the course is not closed (closed courses are read-only)."""
    return can_manage_course(user, course) and not course.is_closed


# --- enrolments -----------------------------------------------------------------------------


def can_view_enrolments(user, course: Course) -> bool:
    """The course's enrolment list (a referent sees their own employees only)."""
    return can_view_course_report(user, course)


def can_manage_enrolments(user, course: Course) -> bool:
    """Enrol, import, withdraw: staff, while the course is open to changes."""
    return can_edit_course(user, course)


def can_view_enrolment(user, enrolment: Enrolment) -> bool:
    """The trainee, staff, the course's trainers, and the referent of the trainee's company."""
    if not user.is_authenticated:
        return False
    course = _course_of(enrolment)
    if is_staff(user) or is_course_trainer(user, course):
        return True
    if not is_published_course(course):
        return False  # a draft's enrolments: neither the trainee nor the referent
    if enrolment.user_id == user.id:
        return True
    if not is_referent(user):
        return False
    trainee = db.session.get(User, enrolment.user_id)
    return trainee is not None and trainee.organisation_id == user.organisation_id


# --- lessons --------------------------------------------------------------------------------


def _teaches(user, lesson: Lesson, course: Course) -> bool:
    return is_trainer(user) and (lesson.trainer_id == user.id or user.id in course.trainer_ids)


def can_view_lesson(user, lesson: Lesson) -> bool:
    """The lesson page: staff, its trainer and the course's trainers."""
    return is_staff(user) or _teaches(user, lesson, _course_of(lesson))


def can_schedule_lessons(user, course: Course) -> bool:
    return can_edit_course(user, course)


def can_edit_lesson(user, lesson: Lesson) -> bool:
    """Change, move or cancel a lesson of a course open to changes."""
    return can_edit_course(user, _course_of(lesson))


def can_view_lessons(user) -> bool:
    """Reach lesson pages and registers at all (which ones: can_view_lesson)."""
    return is_trainer(user) or is_staff(user)


def can_view_todays_lessons(user) -> bool:
    """The page of the day's lessons (empty for staff who teach none)."""
    return can_view_lessons(user)


# --- registers and check-in -----------------------------------------------------------------


def can_view_register(user, lesson: Lesson) -> bool:
    """Read a lesson's register (and its PDF): as the lesson page."""
    return can_view_lesson(user, lesson)


def can_take_register(user, lesson: Lesson) -> bool:
    """Record attendance and sign: the lesson's trainer, the course's trainers, or staff, while
    the course is not closed."""
    course = _course_of(lesson)
    if course.is_closed:
        return False
    return is_staff(user) or _teaches(user, lesson, course)


def can_sign_register(user, lesson: Lesson) -> bool:
    """Sign (and so lock) a register: only the lesson's own trainer, or a coordinator (or
    admin) signing on the trainer's behalf; the course's other trainers may not."""
    if _course_of(lesson).is_closed:
        return False
    return lesson.trainer_id == getattr(user, "id", None) or is_staff(user)


def can_view_unsigned_registers(user) -> bool:
    """The list of unsigned registers of past lessons (trainers: theirs; staff: all)."""
    return can_view_lessons(user)


def can_reopen_register(user, lesson: Lesson) -> bool:
    """Only coordinators (and admins) reopen a signed register, with a reason."""
    return is_staff(user) and not _course_of(lesson).is_closed


def can_run_checkin(user, lesson: Lesson) -> bool:
    """Show the rotating check-in code of a lesson: whoever takes its register."""
    return can_take_register(user, lesson)


def can_check_in(user) -> bool:
    """Trainees check themselves in with a lesson's code (the enrolment is checked after)."""
    return is_trainee(user)


# --- attendance reports, exports, my courses ------------------------------------------------


def can_view_attendance_reports(user) -> bool:
    """Reach the attendance reports at all (which ones: can_view_course_report)."""
    return can_list_courses(user)


def can_view_course_report(user, course: Course) -> bool:
    """Staff and the course's trainers see everyone; a referent sees their company's employees."""
    return can_view_course(user, course) or _has_employees_in(user, course)


def can_export_course_report(user, course: Course) -> bool:
    """CSV and XLSX of the report: whoever sees it, with the same scope."""
    return can_view_course_report(user, course)


def can_export_register(user, lesson: Lesson) -> bool:
    """The signed register as a PDF."""
    return can_view_register(user, lesson)


def can_view_my_courses(user) -> bool:
    """A trainee's own courses and attendance."""
    return is_trainee(user)


def report_scope(user, course: Course) -> int | None:
    """None for the whole report, else the organisation whose employees the user may see."""
    if can_view_course(user, course):
        return None
    return user.organisation_id if user.organisation_id is not None else -1


# --- the trainee's course page, materials, calendar -------------------------------------------


def _actively_enrolled(user, course: Course, enrolment: Enrolment | None = None) -> bool:
    """enrolment: the user's enrolment in the course when the caller holds it (one per
    trainee and course), read instead of querying."""
    if enrolment is not None and enrolment.user_id == user.id and enrolment.course_id == course.id:
        return (
            is_trainee(user)
            and is_published_course(course)
            and enrolment.status == EnrolmentStatus.ACTIVE
        )
    return (
        is_trainee(user)
        and is_published_course(course)
        and db.session.scalar(
            select(Enrolment.id).where(
                Enrolment.course_id == course.id,
                Enrolment.user_id == user.id,
                Enrolment.status == EnrolmentStatus.ACTIVE,
            )
        )
        is not None
    )


def can_view_trainee_course(user, enrolment: Enrolment) -> bool:
    """A trainee's course page (lessons, own attendance, materials): the trainee, and the
    referent of the trainee's company (read-only); staff and trainers read it too. Never a
    draft's for the trainee or the referent (can_view_enrolment decides)."""
    return can_view_enrolment(user, enrolment)


def can_view_materials(user, course: Course, enrolment: Enrolment | None = None) -> bool:
    """A course's materials: staff, the course's trainers, its actively enrolled trainees
    (not while the course is a draft). enrolment: the user's own enrolment in the course,
    when the caller already holds it (saves a query; any other enrolment is ignored)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return can_view_course(user, course) or _actively_enrolled(user, course, enrolment)


def can_manage_materials(user, course: Course) -> bool:
    """Add, edit, order and remove materials: staff and the course's trainers, until closed."""
    if not getattr(user, "is_authenticated", False) or course.is_closed:
        return False
    return is_staff(user) or is_course_trainer(user, course)


def can_view_material(user, material) -> bool:
    """One material and its file: whoever sees the course's materials."""
    return material is not None and can_view_materials(user, _course_of(material))


def can_edit_material(user, material) -> bool:
    """Change, move or remove one material."""
    return material is not None and can_manage_materials(user, _course_of(material))


def can_have_calendar(user) -> bool:
    """A personal calendar feed: trainees (their lessons) and trainers (the lessons they teach)."""
    return getattr(user, "is_authenticated", False) and (is_trainee(user) or is_trainer(user))


def can_download_lesson_event(user, lesson: Lesson) -> bool:
    """The 'add to calendar' file of a lesson: who sees the lesson, or an enrolled trainee."""
    if not getattr(user, "is_authenticated", False):
        return False
    return can_view_lesson(user, lesson) or _actively_enrolled(user, _course_of(lesson))
