"""What each audited action means, registered by the package that writes it.

lms cannot import the packages above it, so each package describes its own actions from its
init_app (`<package>/audit_labels.py`): a sentence, a batched describer naming and linking the
objects, and the labels and formats of the fields its entries carry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask import Flask, current_app

from lms.validation import ascii_number, ascii_numbers

ACTIONS_KEY = "audit_actions"
FIELDS_KEY = "audit_fields"


@dataclass(frozen=True)
class Described:
    """What a describer says of one entry: sentence parameters and where to open the object."""

    params: dict = field(default_factory=dict)
    link: tuple[str, dict] | None = None


Describer = Callable[[object, list], dict[int, Described]]
"""describe(viewer, entries) -> {entry.id: Described}, with a fixed number of queries."""


@dataclass(frozen=True)
class ActionLabel:
    label: object  # short name, for the filter and the table
    sentence: object  # "%(actor)s reopened …": lazy string with named parameters
    describe: Describer | None = None


@dataclass(frozen=True)
class FieldLabel:
    label: object
    show: Callable[[object], str] | None = None


def register_action(
    app: Flask, action: str, sentence, *, label=None, describe: Describer | None = None
) -> None:
    """Say how an action code reads; `describe` fills the sentence and the link in batch."""
    app.extensions.setdefault(ACTIONS_KEY, {})[action] = ActionLabel(
        label if label is not None else sentence, sentence, describe
    )


def register_actions(app: Flask, actions: dict, *, describe: Describer | None = None) -> None:
    """Several actions sharing a describer: {code: (label, sentence)}."""
    for action, (label, sentence) in actions.items():
        register_action(app, action, sentence, label=label, describe=describe)


def register_fields(app: Flask, object_types: Iterable[str], fields: dict) -> None:
    """Labels (and formats) of the fields found in the entries of some object types:
    {key: label} or {key: (label, show)}."""
    table = app.extensions.setdefault(FIELDS_KEY, {})
    for object_type in object_types:
        bucket = table.setdefault(object_type, {})
        for key, spec in fields.items():
            label, show = spec if isinstance(spec, tuple) else (spec, None)
            bucket[key] = FieldLabel(label, show)


def action_info(action: str) -> ActionLabel | None:
    return current_app.extensions.get(ACTIONS_KEY, {}).get(action)


def field_info(object_type: str, key: str) -> FieldLabel | None:
    return current_app.extensions.get(FIELDS_KEY, {}).get(object_type, {}).get(key)


def known_actions() -> dict[str, ActionLabel]:
    return current_app.extensions.get(ACTIONS_KEY, {})


def int_ids(entries) -> set[int]:
    """The object ids of entries that are whole numbers (the usual case)."""
    return set(ascii_numbers(str(e.object_id) for e in entries))


def object_id(entry) -> int | None:
    """An entry's object id as a whole number, None when it is not one."""
    return ascii_number(str(entry.object_id))


def describe_each(
    entries,
    rows: dict,
    describe_one: Callable[[object, object], Described | None],
    *,
    missing: Callable[[object], Described] | None = None,
) -> dict[int, Described]:
    """The loop every batched describer shares: each entry's row found by its object id in
    `rows` (loaded beforehand in a fixed number of queries), then `describe_one(entry, row)`.
    An entry whose object is gone gets `missing(entry)`, or is left out (its sentence then
    reads without the names); so is one for which describe_one returns None."""
    found: dict[int, Described] = {}
    for e in entries:
        row = rows.get(object_id(e))
        described = describe_one(e, row) if row is not None else missing(e) if missing else None
        if described is not None:
            found[e.id] = described
    return found
