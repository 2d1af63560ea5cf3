"""Audit entries read as sentences in the user's language, with their object linked."""

from __future__ import annotations

import json

from flask_babel import gettext as _
from sqlalchemy import select

from lms.audit.formatting import PERSON, show_value
from lms.audit.registry import Described, action_info, field_info
from lms.db import db


def actor_name(entry, actors: dict) -> str:
    from lms.accounts.permissions import is_system

    actor = actors.get(entry.actor_id)
    if actor is None:
        return _("System") if entry.actor_id is None else f"#{entry.actor_id}"
    return _("System") if is_system(actor) else actor.full_name


def _described(viewer, entries) -> dict[int, Described]:
    """Call each describer once for all its entries: a fixed number of queries per page."""
    groups: dict = {}
    for e in entries:
        info = action_info(e.action)
        if info is not None and info.describe is not None:
            groups.setdefault(info.describe, []).append(e)
    found: dict[int, Described] = {}
    for describe, group in groups.items():
        found.update(describe(viewer, group))
    return found


def sentence(entry, actor: str, described: Described | None) -> str:
    """The entry as a sentence; an unknown action or a missing parameter reads generically."""
    text = _plain_sentence(entry, actor, described)
    if entry.reason:
        return _("%(sentence)s: reason %(reason)s", sentence=text, reason=entry.reason)
    return text


def _plain_sentence(entry, actor: str, described: Described | None) -> str:
    info = action_info(entry.action)
    params = {"actor": actor, "id": entry.object_id, **(described.params if described else {})}
    if info is not None:
        try:
            return str(info.sentence) % params
        except (KeyError, TypeError, ValueError):
            pass
    return _(
        "%(actor)s: action %(action)s on %(object_type)s %(id)s",
        actor=actor,
        action=entry.action,
        object_type=entry.object_type,
        id=entry.object_id,
    )


def _flat(side) -> dict:
    """The fields of one side; a nested group ({"grade": {...}, "mark": {...}}) is opened."""
    if not isinstance(side, dict):
        return {}
    flat = {}
    for key, value in side.items():
        if isinstance(value, dict) and value:
            flat.update({(key, k): v for k, v in value.items()})
        else:
            flat[key] = value
    return flat


def _is_person(entry, key) -> bool:
    info = field_info(entry.object_type, key[1] if isinstance(key, tuple) else key)
    return info is not None and info.show == PERSON


def people_named(entries) -> dict[int, str]:
    """The names of the people the entries' fields point to (trainer_id, …): one query."""
    from lms.accounts.models import User

    ids = {
        value
        for e in entries
        for side in (_flat(e.before), _flat(e.after))
        for key, value in side.items()
        if isinstance(value, int) and not isinstance(value, bool) and _is_person(e, key)
    }
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def change_lines(entry, extra_show=None, people=None) -> list[dict]:
    """One line per field: its label, the old and the new value as on the pages; for a
    changed entry only the fields that differ."""
    before, after = _flat(entry.before), _flat(entry.after)
    both = bool(before) and bool(after)
    lines = []
    for key in dict.fromkeys([*before, *after]):
        if both and key in before and key in after and before[key] == after[key]:
            continue
        name = key[1] if isinstance(key, tuple) else key
        info = field_info(entry.object_type, name)
        show = (extra_show or {}).get(name) or (info.show if info and info.show else show_value)
        if show == PERSON:
            show = _person_shower(people or {})
        lines.append(
            {
                "key": str(info.label) if info else name,
                "old": show(before[key]) if key in before else None,
                "new": show(after[key]) if key in after else None,
            }
        )
    return lines


def _person_shower(people: dict):
    def show(value) -> str:
        return people[value] if value in people else show_value(value)

    return show


def raw_json(entry) -> str:
    return json.dumps(
        {"before": entry.before, "after": entry.after}, ensure_ascii=False, indent=2, sort_keys=True
    )


def readable_entries(viewer, entries, actors: dict, extra_show=None) -> list[dict]:
    """What the audit page shows of each entry."""
    described = _described(viewer, entries)
    people = people_named(entries)
    rows = []
    for e in entries:
        info = action_info(e.action)
        d = described.get(e.id)
        rows.append(
            {
                "entry": e,
                "actor": actors.get(e.actor_id),
                "label": str(info.label) if info else e.action,
                "sentence": sentence(e, actor_name(e, actors), d),
                "link": d.link if d is not None else None,  # (endpoint, values): the view's
                "changes": change_lines(e, extra_show, people),
                "raw": raw_json(e),
            }
        )
    return rows
