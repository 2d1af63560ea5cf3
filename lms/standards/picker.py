"""The one framework-item picker of every form that aligns content to a standard (modules,
assessments, quiz questions, rubric criteria, evidence links): the items offered, grouped by
framework and competence, and the WTForms field that accepts only those.

Alignment targets published frameworks; items of a retired (or draft) version that a record
already points at stay visible and selected, so that saving a form never drops them silently.
The page shows the groups through `macros/item_picker.html` (`static/js/item-picker.js` adds
the search and the summary of the selected items)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload
from wtforms import SelectMultipleField
from wtforms.validators import ValidationError

from lms.db import db
from lms.standards.models import (
    FRAMEWORK_STATUS_LABELS,
    ITEM_KIND_LABELS,
    Framework,
    FrameworkItem,
    FrameworkStatus,
    ItemKind,
)

_KIND_ORDER = {ItemKind.COMPETENCE: 0, ItemKind.ABILITY: 1, ItemKind.KNOWLEDGE: 2}


@dataclass(frozen=True)
class PickerFramework:
    """What the picker shows of a framework (plain values: a rolled-back session cannot
    expire them while the page re-renders)."""

    id: int
    code: str
    version: str
    status: FrameworkStatus

    @property
    def status_label(self) -> str:
        return str(FRAMEWORK_STATUS_LABELS[self.status])


@dataclass(frozen=True)
class PickerItem:
    """What the picker shows of an item."""

    id: int
    code: str
    kind: ItemKind
    title: str

    @property
    def kind_label(self) -> str:
        return str(ITEM_KIND_LABELS[self.kind])

    @classmethod
    def of(cls, item: FrameworkItem) -> PickerItem:
        return cls(item.id, item.code, item.kind, item.title)


@dataclass
class PickerGroup:
    """One competence of one framework: the competence itself (selectable when offered) and
    its offered abilities and knowledge items."""

    framework: PickerFramework | None
    competence: PickerItem
    competence_offered: bool = True
    items: list[PickerItem] = field(default_factory=list)

    @property
    def entries(self) -> list[PickerItem]:
        """The selectable items of the group, the competence first."""
        return ([self.competence] if self.competence_offered else []) + self.items


def offered_items(selected_ids: Iterable[int] = ()) -> list[FrameworkItem]:
    """The items of published frameworks, plus the already selected ones of any version and
    their competences (one query, frameworks loaded)."""
    selected = sorted({int(i) for i in selected_ids})
    published = select(Framework.id).where(Framework.status == FrameworkStatus.PUBLISHED)
    where = FrameworkItem.framework_id.in_(published)
    if selected:
        parents = select(FrameworkItem.competence_id).where(FrameworkItem.id.in_(selected))
        where = or_(where, FrameworkItem.id.in_(selected), FrameworkItem.id.in_(parents))
    query = (
        select(FrameworkItem)
        .where(where)
        .options(joinedload(FrameworkItem.framework))
        .order_by(FrameworkItem.framework_id, FrameworkItem.position, FrameworkItem.id)
    )
    return list(db.session.scalars(query).unique())


def picker_groups(
    items: Iterable[FrameworkItem], keep_ids: Iterable[int] = ()
) -> list[PickerGroup]:
    """The items grouped by framework and competence (no query: `items` holds each offered
    item's competence and framework, as `offered_items` returns them). An item of a framework
    that is not published is offered only when the record already points at it (`keep_ids`);
    its competence then heads the group without being offered."""
    items = list(items)
    selected = {int(i) for i in keep_ids}
    frameworks: dict[int, PickerFramework] = {}
    groups: dict[int, PickerGroup] = {}
    for comp in (i for i in items if i.kind == ItemKind.COMPETENCE):
        fw = comp.framework
        shown = frameworks.setdefault(fw.id, PickerFramework(fw.id, fw.code, fw.version, fw.status))
        offered = fw.status == FrameworkStatus.PUBLISHED or comp.id in selected
        groups[comp.id] = PickerGroup(shown, PickerItem.of(comp), offered)
    children = sorted(
        (i for i in items if i.kind != ItemKind.COMPETENCE),
        key=lambda i: (_KIND_ORDER[i.kind], i.position, i.code),
    )
    for item in children:
        group = groups.get(item.competence_id)
        if group is None or (
            item.framework.status != FrameworkStatus.PUBLISHED and item.id not in selected
        ):
            continue
        group.items.append(PickerItem.of(item))
    positions = {i.id: i.position for i in items}
    ordered = sorted(
        groups.values(),
        key=lambda g: (
            g.framework.status != FrameworkStatus.PUBLISHED,
            g.framework.code,
            g.framework.version,
            positions[g.competence.id],
            g.competence.code,
        ),
    )
    return [g for g in ordered if g.entries]


def groups_of(pairs: Iterable[tuple[FrameworkItem, Iterable[FrameworkItem]]]) -> list[PickerGroup]:
    """Picker groups from (competence, its items) pairs chosen by the caller (a dossier's
    target competences: every item offered, framework not shown)."""
    return [
        PickerGroup(None, PickerItem.of(comp), True, [PickerItem.of(i) for i in items])
        for comp, items in pairs
    ]


class FrameworkItemsField(SelectMultipleField):
    """A multiple choice of framework item ids, shown by the item picker macro and accepting
    only the items it offers (`offer()` fills them); ids that are not numbers or not offered
    are a field error, never a 500."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", int)
        super().__init__(label, validators, **kwargs)
        self.groups: list[PickerGroup] = []
        self._bad_input = False

    def offer(self, current_ids: Iterable[int] = ()) -> None:
        """Load the offered items: those of published frameworks plus the ones the record
        points at now (`current_ids`, never what the browser sent)."""
        keep = {int(i) for i in current_ids}
        self.groups = picker_groups(offered_items(keep), keep)
        self.choices = [(i.id, i.code) for g in self.groups for i in g.entries]

    @property
    def offered_ids(self) -> set[int]:
        return {i.id for g in self.groups for i in g.entries}

    def process_formdata(self, valuelist):
        self._bad_input = False
        values = []
        for v in valuelist:
            try:
                values.append(self.coerce(v))
            except (TypeError, ValueError):
                self._bad_input = True
        self.data = sorted(set(values))

    def process_data(self, value):
        try:
            self.data = sorted({self.coerce(v) for v in (value or [])})
        except (TypeError, ValueError):
            self.data = []

    def pre_validate(self, form):
        if self._bad_input or set(self.data or []) - self.offered_ids:
            raise ValidationError(_("Choose the framework items from the list."))

    def selected(self) -> set[int]:
        return set(self.data or [])
