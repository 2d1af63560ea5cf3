"""One entry point per direction, by format name: used by the CLI and the API."""

from __future__ import annotations

from flask_babel import gettext as _

from lms.accounts.models import User
from lms.errors import ValidationFailed
from lms.standards.exchange import case, csv_format, json_format
from lms.standards.models import Framework

EXPORT_FORMATS = ("json", "case")
IMPORT_FORMATS = ("json", "csv")


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


def import_framework(
    actor: User, raw: bytes, fmt: str = "json", *, dry_run: bool = False, issuer: str = ""
) -> Framework | dict:
    """Import a whole file as a draft framework (or, with dry_run, its preview); a CSV file
    does not name the framework's issuer, so it is given."""
    if fmt == "json":
        return json_format.import_json(actor, raw, dry_run=dry_run)
    if fmt == "csv":
        return csv_format.import_csv(actor, raw, issuer=issuer, dry_run=dry_run)
    raise _unknown(fmt, IMPORT_FORMATS)
