"""A simple CSV framework format: code, parent code, kind, title, description.

One row of kind "framework" (no parent) names the framework; competences have no parent (or
the framework's code); abilities and knowledge items name their competence. Comma or
semicolon, UTF-8 (with or without BOM) or Windows-1252. Every problem is reported with its
line; a bad file imports nothing.
"""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from lms.accounts.models import User
from lms.permissions import require, require_actor
from lms.standards.exchange import ImportRejected, Problem
from lms.standards.exchange.json_format import FORMAT, check_document, import_document, preview
from lms.standards.models import Framework
from lms.standards.permissions import can_manage_standards

COLUMNS = ["code", "parent code", "kind", "title", "description"]
KINDS = {"framework", "competence", "ability", "knowledge"}


def _line(n: int) -> str:
    return _("line %(line)d", line=n)


def decode(raw: bytes) -> str:
    """UTF-8 (BOM or not), else Windows-1252 (Italian Excel); undefined bytes are replaced."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def parse_csv(raw: bytes, *, issuer: str) -> tuple[dict | None, list[Problem]]:
    """The file as a document of our JSON format, and every problem with its line."""
    text = decode(raw)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _parse_rows(reader, issuer)
    except csv.Error as err:  # e.g. a field past the csv module's size limit
        msg = _("This line cannot be read as CSV: %(error)s.", error=str(err))
        return None, [Problem(_line(reader.line_num), msg)]


def _parse_rows(reader, issuer: str) -> tuple[dict | None, list[Problem]]:
    header = [h.strip().lower().replace("_", " ") for h in next(reader, [])]
    if header != COLUMNS:
        msg = _("The columns must be: %(columns)s.", columns=", ".join(COLUMNS))
        return None, [Problem(_line(1), msg)]
    problems: list[Problem] = []
    framework: dict | None = None
    competences: dict[str, dict] = {}
    seen: dict[str, int] = {}
    pending: list[tuple[int, str, str, dict]] = []
    for row in reader:
        n = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            problems.append(Problem(_line(n), _("This row does not have 5 columns.")))
            continue
        code, parent, kind, title, description = (cell.strip() for cell in row)
        if kind.lower() not in KINDS:
            problems.append(Problem(_line(n), _("Unknown kind %(kind)s.", kind=kind)))
            continue
        kind = kind.lower()
        if not code or not title:
            problems.append(Problem(_line(n), _("Code and title are required.")))
            continue
        if code in seen:
            problems.append(
                Problem(
                    _line(n),
                    _("Code %(code)s already used at line %(line)d.", code=code, line=seen[code]),
                )
            )
            continue
        seen[code] = n
        entry = {"code": code, "title": title, "description": description}
        if kind == "framework":
            if framework is not None:
                problems.append(Problem(_line(n), _("Only one framework row is allowed.")))
            framework = {"code": code, "title": title, "issuer": issuer, "description": description}
        elif kind == "competence":
            competences[code] = entry | {"abilities": [], "knowledge": [], "_parent": (n, parent)}
        else:
            pending.append((n, parent, kind, entry))
    if framework is None:
        problems.append(Problem(_line(1), _("The file has no framework row.")))
    for comp in competences.values():
        n, parent = comp.pop("_parent")
        if parent and (framework is None or parent != framework["code"]):
            problems.append(Problem(_line(n), _("Unknown parent %(code)s.", code=parent)))
    for n, parent, kind, entry in pending:
        if parent not in competences:
            problems.append(Problem(_line(n), _("Unknown parent %(code)s.", code=parent)))
            continue
        competences[parent]["abilities" if kind == "ability" else "knowledge"].append(entry)
    if problems:
        return None, sorted(problems, key=lambda p: int(p.location.split()[-1]))
    doc = {"format": FORMAT, "framework": framework, "competences": list(competences.values())}
    return doc, check_document(doc)


def import_csv(actor: User, raw: bytes, *, issuer: str, dry_run: bool = False) -> Framework | dict:
    """Import a simple CSV as a draft (or its preview); a bad file imports nothing."""
    require_actor(actor)
    require(can_manage_standards(actor))
    doc, problems = parse_csv(raw, issuer=issuer)
    if problems:
        raise ImportRejected(problems)
    return preview(doc) if dry_run else import_document(actor, doc)
