"""The module catalogue: create, edit, retire; a module in use is never deleted."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from courses.models import CourseModule, Lesson, Module, TopicArea
from courses.permissions import can_edit_module, can_manage_catalogue, can_view_catalogue
from lms.accounts.models import User
from lms.audit.services import changed, record, snapshot
from lms.db import db, flush_versioned, utcnow
from lms.errors import Conflict
from lms.permissions import require, require_actor
from lms.standards.alignment import alignment_items
from lms.validation import LONG_TEXT, FieldErrors, optional_text, required_text

FIELDS = [
    "code",
    "title",
    "topic_area",
    "description",
    "objectives",
    "planned_minutes",
    "retired_at",
]


def _snap(module: Module) -> dict:
    data = snapshot(module, FIELDS)
    data["framework_item_ids"] = sorted(i.id for i in module.framework_items)
    return data


def _clean(code, title, topic_area, planned_minutes, description, objectives, exclude_id=None):
    errors = FieldErrors()
    code = errors.check(required_text, code, "code", 30, name_like=True)
    if code is not None:
        code = code.upper()
        q = select(Module.id).where(func.upper(Module.code) == code)
        if exclude_id is not None:
            q = q.where(Module.id != exclude_id)
        if db.session.scalar(q) is not None:
            errors.add("code", _("Another module already has this code."))
    title = errors.check(required_text, title, "title", 200, name_like=True)
    description = errors.check(optional_text, description, "description", LONG_TEXT)
    objectives = errors.check(optional_text, objectives, "objectives", LONG_TEXT)
    try:
        topic = topic_area if isinstance(topic_area, TopicArea) else TopicArea(topic_area)
    except ValueError:
        topic = None
        errors.add("topic_area", _("Choose a topic area."))
    if not isinstance(planned_minutes, int) or planned_minutes <= 0:
        errors.add("planned_hours", _("Enter the planned hours, more than zero."))
    errors.raise_any()
    return code, title, topic, description, objectives


def create_module(
    actor: User,
    *,
    code: str,
    title: str,
    topic_area,
    planned_minutes: int,
    description: str = "",
    objectives: str = "",
    framework_item_ids=(),
) -> Module:
    """Add a module to the catalogue."""
    require_actor(actor)
    require(can_manage_catalogue(actor))
    code, title, topic, description, objectives = _clean(
        code, title, topic_area, planned_minutes, description, objectives
    )
    module = Module(
        code=code,
        title=title,
        topic_area=topic,
        planned_minutes=planned_minutes,
        description=description,
        objectives=objectives,
    )
    module.framework_items = alignment_items(framework_item_ids)
    db.session.add(module)
    flush_versioned()
    record(actor, "module.create", "module", module.id, None, _snap(module))
    return module


def update_module(
    actor: User,
    module: Module,
    *,
    code: str,
    title: str,
    topic_area,
    planned_minutes: int,
    description: str = "",
    objectives: str = "",
    framework_item_ids=(),
) -> Module:
    """Change a module of the catalogue (framework_items must be loaded)."""
    require_actor(actor)
    require(can_edit_module(actor, module))
    before = _snap(module)
    code, title, topic, description, objectives = _clean(
        code, title, topic_area, planned_minutes, description, objectives, exclude_id=module.id
    )
    module.code, module.title, module.topic_area = code, title, topic
    module.planned_minutes = planned_minutes
    module.description = description
    module.objectives = objectives
    module.framework_items = alignment_items(
        framework_item_ids, current=[i.id for i in module.framework_items]
    )
    flush_versioned()
    b, a = changed(before, _snap(module))
    if a:
        record(actor, "module.update", "module", module.id, b, a)
    return module


def set_retired(actor: User, module: Module, retired: bool) -> Module:
    """Retire a module (no longer offered) or bring it back."""
    require_actor(actor)
    require(can_edit_module(actor, module))
    if module.is_retired == retired:
        return module
    module.retired_at = utcnow() if retired else None
    db.session.flush()
    record(
        actor,
        "module.retire" if retired else "module.restore",
        "module",
        module.id,
        None,
        {"retired_at": module.retired_at},
    )
    return module


def module_in_use(module: Module) -> bool:
    """True when a course or a lesson refers to the module."""
    in_course = db.session.scalar(
        select(CourseModule.course_id).where(CourseModule.module_id == module.id).limit(1)
    )
    in_lesson = db.session.scalar(select(Lesson.id).where(Lesson.module_id == module.id).limit(1))
    return in_course is not None or in_lesson is not None


def modules_in_use() -> set[int]:
    """Ids of the modules a course or a lesson refers to (one query)."""
    return set(db.session.scalars(select(CourseModule.module_id).union(select(Lesson.module_id))))


def delete_module(actor: User, module: Module) -> None:
    """Delete a module no course or lesson uses; otherwise retire it instead."""
    require_actor(actor)
    require(can_edit_module(actor, module))
    if module_in_use(module):
        raise Conflict(
            _("This module is used by a course: it cannot be deleted. Retire it instead.")
        )
    before = snapshot(module, ["code", "title"])
    module_id = module.id
    db.session.delete(module)
    db.session.flush()
    record(actor, "module.delete", "module", module_id, before, None)


def list_modules(actor: User, *, include_retired: bool = True):
    """A select of the modules of the catalogue, ordered by code."""
    require_actor(actor)
    require(can_view_catalogue(actor))
    q = select(Module).order_by(Module.code)
    if not include_retired:
        q = q.where(Module.retired_at.is_(None))
    return q
