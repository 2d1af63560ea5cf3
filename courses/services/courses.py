"""Courses (percorsi): details, status, ordered modules, trainers, thresholds."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload

from courses.models import Course, CourseModule, CourseStatus, CourseTrainer, Enrolment, Module
from courses.permissions import can_create_course, can_manage_course
from courses.services.common import ensure_not_closed
from lms.accounts.models import Role, User, UserRole
from lms.accounts.permissions import is_referent, is_staff, is_trainee, is_trainer
from lms.audit.services import changed, record, snapshot
from lms.db import db, flush_versioned
from lms.errors import Conflict, ValidationFailed
from lms.permissions import require, require_actor
from lms.validation import LONG_TEXT, FieldErrors, optional_text, required_text

FIELDS = [
    "title",
    "edition",
    "description",
    "start_date",
    "end_date",
    "status",
    "capacity",
    "assessment_threshold_pct",
    "certification_threshold_pct",
]

# The status moves forward; a coordinator may step back one state, except out of closed.
ALLOWED_STATUS = {
    CourseStatus.DRAFT: {CourseStatus.OPEN, CourseStatus.RUNNING},
    CourseStatus.OPEN: {CourseStatus.DRAFT, CourseStatus.RUNNING, CourseStatus.CLOSED},
    CourseStatus.RUNNING: {CourseStatus.OPEN, CourseStatus.CLOSED},
    CourseStatus.CLOSED: set(),
}


def _snap(course: Course) -> dict:
    data = snapshot(course, FIELDS)
    data["trainer_ids"] = sorted(course.trainer_ids)
    return data


def _validate(
    title, edition, description, start_date, end_date, capacity, a_pct, c_pct, exclude_id=None
):
    errors = FieldErrors()
    title = errors.check(required_text, title, "title", 200, name_like=True)
    edition = errors.check(optional_text, edition, "edition", 60, name_like=True)
    description = errors.check(optional_text, description, "description", LONG_TEXT)
    if not isinstance(start_date, dt.date):
        errors.add("start_date", _("Enter a valid date."))
    if not isinstance(end_date, dt.date):
        errors.add("end_date", _("Enter a valid date."))
    elif isinstance(start_date, dt.date) and end_date < start_date:
        errors.add("end_date", _("The end date comes before the start date."))
    if capacity is not None and capacity <= 0:
        errors.add("capacity", _("The capacity must be more than zero, or left empty."))
    for name, pct in (("assessment_threshold_pct", a_pct), ("certification_threshold_pct", c_pct)):
        if not isinstance(pct, int) or not 0 <= pct <= 100:
            errors.add(name, _("Enter a percentage between 0 and 100."))
    if title is not None and edition is not None:
        q = select(Course.id).where(
            func.lower(Course.title) == title.lower(), func.lower(Course.edition) == edition.lower()
        )
        if exclude_id is not None:
            q = q.where(Course.id != exclude_id)
        if db.session.scalar(q) is not None:
            errors.add("edition", _("A course with this title and edition already exists."))
    errors.raise_any()
    return title, edition, description


def trainer_candidates() -> list[User]:
    """Active people with the trainer role, by name: who may be assigned to teach."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.TRAINER, User.active.is_(True))
            .order_by(User.full_name)
        )
    )


def _trainers(ids) -> list[User]:
    ids = sorted({int(i) for i in ids or []})
    if not ids:
        return []
    users = list(db.session.scalars(select(User).where(User.id.in_(ids))))
    if len(users) != len(ids) or not all(is_trainer(u) for u in users):
        msg = _("Only people with the trainer role can be assigned as trainers.")
        raise ValidationFailed(msg, {"trainer_ids": [msg]})
    return users


def create_course(
    actor: User,
    *,
    title: str,
    edition: str = "",
    description: str = "",
    start_date: dt.date,
    end_date: dt.date,
    capacity: int | None = None,
    assessment_threshold_pct: int = 70,
    certification_threshold_pct: int = 75,
    trainer_ids=(),
    module_ids=(),
    status: CourseStatus = CourseStatus.DRAFT,
) -> Course:
    """Create a course, in draft unless told otherwise."""
    require_actor(actor)
    require(can_create_course(actor))
    title, edition, description = _validate(
        title,
        edition,
        description,
        start_date,
        end_date,
        capacity,
        assessment_threshold_pct,
        certification_threshold_pct,
    )
    course = Course(
        title=title,
        edition=edition,
        description=description,
        start_date=start_date,
        end_date=end_date,
        capacity=capacity,
        status=status,
        assessment_threshold_pct=assessment_threshold_pct,
        certification_threshold_pct=certification_threshold_pct,
        trainer_links=[],
        module_links=[],
    )
    for u in _trainers(trainer_ids):
        course.trainer_links.append(CourseTrainer(user_id=u.id))
    db.session.add(course)
    flush_versioned()
    if module_ids:
        _set_modules(course, list(module_ids))
    record(actor, "course.create", "course", course.id, None, _snap(course))
    return course


def update_course(
    actor: User,
    course: Course,
    *,
    title: str,
    edition: str,
    description: str,
    start_date: dt.date,
    end_date: dt.date,
    capacity: int | None,
    assessment_threshold_pct: int,
    certification_threshold_pct: int,
    trainer_ids,
) -> Course:
    """Change a course's details, thresholds and trainers."""
    require_actor(actor)
    require(can_manage_course(actor, course))
    ensure_not_closed(course)
    before = _snap(course)
    title, edition, description = _validate(
        title,
        edition,
        description,
        start_date,
        end_date,
        capacity,
        assessment_threshold_pct,
        certification_threshold_pct,
        exclude_id=course.id,
    )
    course.title, course.edition = title, edition
    course.description = description
    course.start_date, course.end_date, course.capacity = start_date, end_date, capacity
    course.assessment_threshold_pct = assessment_threshold_pct
    course.certification_threshold_pct = certification_threshold_pct
    wanted = {u.id for u in _trainers(trainer_ids)}
    for link in list(course.trainer_links):
        if link.user_id not in wanted:
            course.trainer_links.remove(link)
    for uid in wanted - course.trainer_ids:
        course.trainer_links.append(CourseTrainer(user_id=uid))
    flush_versioned()
    b, a = changed(before, _snap(course))
    if a:
        record(actor, "course.update", "course", course.id, b, a)
    return course


def set_status(actor: User, course: Course, status: CourseStatus) -> Course:
    """Move a course to another status; a closed course stays closed."""
    require_actor(actor)
    require(can_manage_course(actor, course))
    if status == course.status:
        return course
    if status not in ALLOWED_STATUS[course.status]:
        ensure_not_closed(course)
        raise Conflict(_("A course cannot go from this status to the one chosen."))
    before = course.status
    course.status = status
    db.session.flush()
    record(actor, "course.status", "course", course.id, {"status": before}, {"status": status})
    return course


def _set_modules(course: Course, module_ids: list[int]) -> None:
    ids = [int(i) for i in module_ids]
    if len(set(ids)) != len(ids):
        raise ValidationFailed(_("A module appears twice in the course."))
    found = {m.id for m in db.session.scalars(select(Module).where(Module.id.in_(ids or [-1])))}
    if set(ids) - found:
        raise ValidationFailed(_("Some modules do not exist."))
    links = {link.module_id: link for link in load_module_links(course)}
    for mid, link in links.items():
        if mid not in ids:
            db.session.delete(link)
    for pos, mid in enumerate(ids, start=1):
        if mid in links:
            links[mid].position = pos
        else:
            db.session.add(CourseModule(course_id=course.id, module_id=mid, position=pos))
    db.session.flush()


def load_module_links(course: Course) -> list[CourseModule]:
    """The course's module links in order, with their module (one query)."""
    return list(
        db.session.scalars(
            select(CourseModule)
            .where(CourseModule.course_id == course.id)
            .options(joinedload(CourseModule.module))
            .order_by(CourseModule.position)
        )
    )


def set_modules(actor: User, course: Course, module_ids: list[int]) -> None:
    """Set the course's modules, in order; a module with lessons cannot be removed."""
    require_actor(actor)
    require(can_manage_course(actor, course))
    ensure_not_closed(course)
    from courses.models import Lesson

    before = [link.module_id for link in load_module_links(course)]
    removed = set(before) - {int(i) for i in module_ids}
    if removed:
        used = db.session.scalar(
            select(Lesson.id)
            .where(Lesson.course_id == course.id, Lesson.module_id.in_(removed))
            .limit(1)
        )
        if used is not None:
            raise Conflict(_("A module with lessons scheduled cannot be removed from the course."))
    _set_modules(course, module_ids)
    after = [int(i) for i in module_ids]
    if before != after:
        record(
            actor,
            "course.modules",
            "course",
            course.id,
            {"module_ids": before},
            {"module_ids": after},
        )


def add_module(actor: User, course: Course, module: Module) -> None:
    """Append a module at the end of the course."""
    require_actor(actor)
    require(can_manage_course(actor, course))
    ids = [link.module_id for link in load_module_links(course)]
    if module.id in ids:
        return
    if module.is_retired:
        raise Conflict(_("This module is retired and cannot be added to a course."))
    set_modules(actor, course, [*ids, module.id])


def move_module(actor: User, course: Course, module_id: int, offset: int) -> None:
    """Move a module up (-1) or down (+1) in the course order."""
    require_actor(actor)
    require(can_manage_course(actor, course))
    ids = [link.module_id for link in load_module_links(course)]
    if module_id not in ids:
        return
    i = ids.index(module_id)
    j = max(0, min(len(ids) - 1, i + offset))
    ids[i], ids[j] = ids[j], ids[i]
    set_modules(actor, course, ids)


def _taught(user):
    return select(CourseTrainer.course_id).where(CourseTrainer.user_id == user.id)


def list_courses_for(actor: User):
    """A select of the courses in the actor's course list: all for staff, the ones they teach
    for trainers, their employees' courses for referents."""
    require_actor(actor)
    q = select(Course).order_by(Course.start_date.desc(), Course.id.desc())
    if is_staff(actor):
        return q
    if is_trainer(actor):
        return q.where(Course.id.in_(_taught(actor)))
    if is_referent(actor):
        return q.where(Course.id.in_(courses_with_employees_of(actor.organisation_id)))
    return q.where(False)


def count_courses_for(actor: User) -> int:
    """How many courses list_courses_for(actor) lists (one query)."""
    listed = list_courses_for(actor).order_by(None)
    return db.session.scalar(select(func.count()).select_from(listed.subquery()))


def courses_page_for(actor: User, *, limit: int, offset: int = 0) -> list[Course]:
    """One page of list_courses_for(actor), cut in SQL; titles, dates and states only, so the
    trainers are not loaded."""
    return db.session.scalars(
        list_courses_for(actor).limit(limit).offset(offset).options(lazyload(Course.trainer_links))
    ).all()


def newest_courses_with_employees(actor: User, limit: int) -> tuple[list[Course], int]:
    """A referent's home panel: the newest courses their employees are in (the first `limit`)
    and how many there are in all, in one query (each row carries the number of all)."""
    require_actor(actor)
    require(is_referent(actor))
    rows = db.session.execute(
        select(Course, func.count().over())
        .where(Course.id.in_(courses_with_employees_of(actor.organisation_id)))
        .order_by(Course.start_date.desc(), Course.id.desc())
        .limit(limit)
        # titles only: the trainers are not loaded
        .options(lazyload(Course.trainer_links))
    ).all()
    return [c for c, _n in rows], rows[0][1] if rows else 0


def latest_open_courses(actor: User, limit: int = 10) -> list[Course]:
    """The newest courses not closed, for the staff's dashboard panels: titles and states
    only, so their trainers are not loaded (one query)."""
    require_actor(actor)
    require(is_staff(actor))
    return db.session.scalars(
        select(Course)
        .where(Course.status != CourseStatus.CLOSED)
        .order_by(Course.start_date.desc(), Course.id.desc())
        .limit(limit)
        .options(lazyload(Course.trainer_links))
    ).all()


def readable_courses(actor: User):
    """A select of every course whose details the actor may read (see can_read_course)."""
    require_actor(actor)
    q = select(Course).order_by(Course.id)
    if is_staff(actor):
        return q
    ids = []
    if is_trainer(actor):
        ids.append(_taught(actor))
    if is_referent(actor):
        ids.append(courses_with_employees_of(actor.organisation_id))
    if is_trainee(actor):
        ids.append(
            select(Enrolment.course_id)
            .join(Course, Course.id == Enrolment.course_id)
            .where(Enrolment.user_id == actor.id, Course.status != CourseStatus.DRAFT)
        )
    if not ids:
        return q.where(False)
    return q.where(Course.id.in_(ids[0].union(*ids[1:]) if len(ids) > 1 else ids[0]))


def courses_with_employees_of(organisation_id: int):
    """A select of the ids of courses out of draft with an enrolment from an organisation
    (a draft is not shown to referents)."""
    return (
        select(Enrolment.course_id)
        .join(User, User.id == Enrolment.user_id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(User.organisation_id == organisation_id, Course.status != CourseStatus.DRAFT)
    )
