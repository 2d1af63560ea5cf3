"""Shared pieces of the text corpus tests: the hostile payloads, what a form or body is, how
to send one and how to look for a payload stored anywhere in the database."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from sqlalchemy import String, Text, cast, func, select

from lms.db import db

MARK = "HOSTILE"
PAYLOADS = {
    "nul": f"Prova\x00{MARK}",
    "rlo": f"Prova \u202e{MARK}",  # refused in names and titles only
    "long": MARK + "x" * 100_000,
}
# What the page says next to the field (Italian): control characters, length (ours or
# WTForms'), text direction.
MESSAGES = (
    "caratteri di controllo",
    "Al massimo",
    "più lungo di",
    "La lunghezza del valore",
    "direzione del testo",
)


@dataclass
class Case:
    """One form or body: who sends it, where, the valid values, the text fields in it
    (name: a single-line name or title, where bidi controls are refused too; line: a
    single-line text; text: multi-line)."""

    actor: str
    method: str
    url: str
    base: dict
    fields: dict[str, str]
    kind: str = "form"  # form, json or multipart
    extra: dict = field(default_factory=dict)


def _text_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | Text) or column.type.__class__.__name__ == "JSON":
                yield table, column


def stored_anywhere(marker: str = MARK) -> list[str]:
    """Every table.column holding the marker (audit entries included)."""
    db.session.rollback()
    found = []
    for table, column in _text_columns():
        q = select(func.count()).select_from(table).where(cast(column, Text).contains(marker))
        if db.session.scalar(q):
            found.append(f"{table.name}.{column.name}")
    return found


def with_value(base: dict, path: str, value):
    """A deep copy of base with the value at a dotted path (records.0.note)."""
    body = copy.deepcopy(base)
    *parents, last = path.split(".")
    node = body
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    if last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return body


def send_case(client, case: Case, body: dict):
    if case.kind == "json":
        return client.open(case.url, method=case.method, json=body)
    return client.open(
        case.url,
        method=case.method,
        data=body,
        content_type="multipart/form-data" if case.kind == "multipart" else None,
    )
