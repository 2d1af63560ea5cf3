"""Registers of past lessons still waiting for their trainer's signature, with their age."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager

from courses.models import Course, CourseStatus, Lesson, Module, Register
from courses.permissions import can_view_unsigned_registers, is_staff
from lms.accounts.models import User
from lms.db import db, utcnow
from lms.permissions import require, require_actor
from lms.timezone import LOCAL_TZ

LIMIT = 20


@dataclass
class UnsignedRegister:
    lesson: Lesson
    course: Course
    module: Module
    trainer: User
    days: int  # since the lesson's day


@dataclass
class UnsignedList:
    items: list[UnsignedRegister]
    total: int


def _conditions(actor: User, now: dt.datetime) -> list:
    local = now.astimezone(LOCAL_TZ)
    ended = or_(
        Lesson.date < local.date(),
        and_(Lesson.date == local.date(), Lesson.end_time <= local.time().replace(tzinfo=None)),
    )
    conds = [ended, Lesson.cancelled_at.is_(None), Register.signed_at.is_(None)]
    conds.append(Course.status != CourseStatus.CLOSED)
    if not is_staff(actor):
        conds.append(Lesson.trainer_id == actor.id)  # a trainer: the lessons they teach
    return conds


def unsigned_registers(
    actor: User, *, now: dt.datetime | None = None, limit: int = LIMIT
) -> UnsignedList:
    """The oldest unsigned registers of past lessons (first `limit`) and how many there are:
    a trainer's own lessons, every lesson for coordinators. One query whatever the number."""
    require_actor(actor)
    require(can_view_unsigned_registers(actor))
    now = now or utcnow()
    conds = _conditions(actor, now)
    # one query: the first `limit` rows, each carrying the number of all of them
    rows = db.session.execute(
        select(Lesson, func.count().over().label("total"))
        .join(Lesson.course)
        .outerjoin(Register, Register.lesson_id == Lesson.id)
        .join(Lesson.module)
        .join(Lesson.trainer)
        .where(*conds)
        .options(
            # the list shows titles, dates and the trainer's name: no trainers, no roles
            contains_eager(Lesson.course).lazyload(Course.trainer_links),
            contains_eager(Lesson.module),
            contains_eager(Lesson.trainer).lazyload(User.role_rows),
        )
        .order_by(Lesson.date, Lesson.start_time, Lesson.id)
        .limit(limit)
    ).all()
    total = rows[0].total if rows else 0
    lessons = [row[0] for row in rows]
    today = now.astimezone(LOCAL_TZ).date()
    items = [
        UnsignedRegister(le, le.course, le.module, le.trainer, (today - le.date).days)
        for le in lessons
    ]
    return UnsignedList(items, total)
