"""One entry point per direction, by format name: used by the CLI, the API and the pages."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from lms.accounts.models import User
from lms.errors import ValidationFailed
from lms.permissions import require, require_actor
from lms.standards.exchange import ImportRejected, Problem, case, csv_format, json_format
from lms.standards.exchange.moodle_format import inspect_moodle
from lms.standards.models import Framework
from lms.standards.permissions import can_manage_standards

EXPORT_FORMATS = ("json", "case")
IMPORT_FORMATS = ("json", "csv", "moodle")


def _unknown(fmt: str, allowed: tuple[str, ...]) -> ValidationFailed:
    msg = _("Unknown format %(fmt)s: use one of %(allowed)s.", fmt=fmt, allowed=", ".join(allowed))
    return ValidationFailed(msg, {"format": [msg]})


def export_framework(actor: User, framework: Framework, fmt: str = "json") -> dict:
    """The framework in our JSON format or as a CASE 1.1 CFPackage."""
    if fmt == "json":
        return json_format.export_json(actor, framework)
    if fmt == "case":
        return case.export_case(actor, framework)
    raise _unknown(fmt, EXPORT_FORMATS)


@dataclass
class Inspection:
    """A file read and checked: the document it gives, its problems and its preview (for a
    Moodle file, the levels and their mapping even when the mapping has problems)."""

    doc: dict | None
    problems: list[Problem]
    preview: dict | None

    @property
    def ok(self) -> bool:
        return self.doc is not None and not self.problems


def inspect_file(
    actor: User, raw: bytes, fmt: str = "json", *, issuer: str = "", mapping=None
) -> Inspection:
    """Read a whole file and check everything an import would, changing nothing."""
    require_actor(actor)
    require(can_manage_standards(actor))
    if fmt == "moodle":
        return Inspection(*inspect_moodle(raw, issuer=issuer, mapping=mapping))
    if fmt == "json":
        doc, problems = json_format.parse_json(raw)
    elif fmt == "csv":
        doc, problems = csv_format.parse_csv(raw, issuer=issuer)
    else:
        raise _unknown(fmt, IMPORT_FORMATS)
    if problems:
        return Inspection(None, problems, None)
    return Inspection(doc, [], json_format.preview(doc))


def import_framework(
    actor: User,
    raw: bytes,
    fmt: str = "json",
    *,
    dry_run: bool = False,
    issuer: str = "",
    mapping=None,
) -> Framework | dict:
    """Import a whole file as a draft framework (or, with dry_run, its preview). A CSV or
    Moodle file does not name the framework's issuer, so it is given; a Moodle file's levels
    follow `mapping` (see moodle_mapping), or the proposed mapping when none is given."""
    ins = inspect_file(actor, raw, fmt, issuer=issuer, mapping=mapping)
    if not ins.ok:
        raise ImportRejected(ins.problems, preview=ins.preview)
    return ins.preview if dry_run else json_format.import_document(actor, ins.doc)
