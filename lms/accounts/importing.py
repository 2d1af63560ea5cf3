"""CSV import of user accounts: parse and check every row first, import only a clean file.

The file has a header row with the columns email, full_name, roles (separated by | or ,),
organisation (name or tax code, optional) and locale (it or en, optional). It may be comma
or semicolon separated, with or without a UTF-8 byte order mark.
"""

from __future__ import annotations

import csv
import io
import re

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.accounts.permissions import can_import_users
from lms.accounts.services import ImportReport, ImportRow, create_user, normalise_email
from lms.db import db
from lms.errors import ValidationFailed
from lms.organisations.models import Organisation
from lms.organisations.validation import normalise as normalise_tax_code
from lms.permissions import require, require_actor
from lms.validation import text_problem

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
MAX_NAME = 200
LOCALES = ("it", "en")

COLUMNS = ("email", "full_name", "roles", "organisation", "locale")
REQUIRED_COLUMNS = ("email", "full_name", "roles")
# Header names people write, mapped to the column they mean.
COLUMN_ALIASES = {
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "full_name": "full_name",
    "full name": "full_name",
    "name": "full_name",
    "nome": "full_name",
    "nome e cognome": "full_name",
    "nome_cognome": "full_name",
    "roles": "roles",
    "role": "roles",
    "ruoli": "roles",
    "ruolo": "roles",
    "organisation": "organisation",
    "organization": "organisation",
    "organizzazione": "organisation",
    "azienda": "organisation",
    "locale": "locale",
    "language": "locale",
    "lingua": "locale",
}
# Role names accepted in the file: the codes, and the English and Italian names.
ROLE_ALIASES = {
    "admin": Role.ADMIN,
    "administrator": Role.ADMIN,
    "amministratore": Role.ADMIN,
    "coordinator": Role.COORDINATOR,
    "coordinatore": Role.COORDINATOR,
    "trainer": Role.TRAINER,
    "docente": Role.TRAINER,
    "formatore": Role.TRAINER,
    "assessor": Role.ASSESSOR,
    "valutatore": Role.ASSESSOR,
    "trainee": Role.TRAINEE,
    "corsista": Role.TRAINEE,
    "referent": Role.REFERENT,
    "company referent": Role.REFERENT,
    "referente": Role.REFERENT,
    "referente aziendale": Role.REFERENT,
}


def decode_upload(data: bytes) -> str:
    """The text of an uploaded CSV file, refusing files that are too large or not UTF-8."""
    if len(data) > MAX_BYTES:
        msg = _(
            "The file is larger than %(size)s. Split it into smaller files and import them "
            "one at a time.",
            size="1 MB",
        )
        raise ValidationFailed(msg, {"file": [msg]})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        msg = _(
            'The file is not UTF-8 text. In your spreadsheet, save it as "CSV UTF-8" and '
            "upload it again."
        )
        raise ValidationFailed(msg, {"file": [msg]}) from exc


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _split_roles(value: str) -> list[str]:
    parts = value.replace("|", ",").split(",")
    return [p.strip() for p in parts if p.strip()]


def _read_header(cells: list[str], report: ImportReport) -> list[str] | None:
    names = [c.strip().lstrip("\ufeff").strip().lower() for c in cells]
    columns: list[str] = []
    unknown: list[str] = []
    for name in names:
        column = COLUMN_ALIASES.get(name)
        if column is None:
            unknown.append(name or "?")
        elif column in columns:
            report.file_errors.append(
                _("The column %(column)s appears more than once in the first row.", column=column)
            )
        columns.append(column or "")
    if unknown:
        report.file_errors.append(
            _(
                "Unknown columns in the first row: %(columns)s. The columns are: %(expected)s.",
                columns=", ".join(unknown),
                expected=", ".join(COLUMNS),
            )
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        report.file_errors.append(
            _(
                "Missing columns: %(columns)s. The first row must name the columns, for "
                "example: %(expected)s.",
                columns=", ".join(missing),
                expected=", ".join(COLUMNS),
            )
        )
    return None if report.file_errors else columns


def _existing_emails(emails: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(emails), 500):
        chunk = emails[i : i + 500]
        found.update(db.session.scalars(select(User.email).where(User.email.in_(chunk))))
    return found


def _organisation_index() -> tuple[dict[str, Organisation], dict[str, Organisation]]:
    orgs = db.session.scalars(select(Organisation)).all()
    return {o.name.strip().lower(): o for o in orgs}, {o.tax_code: o for o in orgs}


def _check_row(row: ImportRow, raw: dict[str, str], by_name, by_code) -> None:
    """Fill row.data with the normalised values and row.errors with every problem found."""
    errors = row.errors
    email_raw = raw.get("email", "").strip()
    if not email_raw:
        errors.append(_("The email address is missing."))
        row.data["email"] = ""
    else:
        try:
            row.data["email"] = normalise_email(email_raw)
        except ValidationFailed:
            errors.append(_('The email address "%(value)s" is not valid.', value=email_raw))
            row.data["email"] = email_raw

    full_name = " ".join(raw.get("full_name", "").split())
    row.data["full_name"] = full_name
    if not full_name:
        errors.append(_("The full name is missing."))
    elif len(full_name) > MAX_NAME:
        errors.append(_("The full name is longer than %(n)d characters.", n=MAX_NAME))

    roles: set[Role] = set()
    role_names = _split_roles(raw.get("roles", ""))
    if not role_names:
        errors.append(_("No role given: write at least one, for example trainee."))
    for name in role_names:
        role = ROLE_ALIASES.get(name.lower())
        if role is None:
            errors.append(
                _(
                    'Unknown role "%(value)s". Use: %(roles)s.',
                    value=name,
                    roles=", ".join(r.value for r in Role),
                )
            )
        else:
            roles.add(role)
    row.data["roles"] = "|".join(sorted(r.value for r in roles)) if roles else raw.get("roles", "")

    org_raw = raw.get("organisation", "").strip()
    row.data["organisation"] = org_raw
    row.data["organisation_id"] = ""
    if org_raw:
        org = by_name.get(org_raw.lower()) or by_code.get(normalise_tax_code(org_raw))
        if org is None:
            errors.append(
                _(
                    'Unknown organisation "%(value)s": write the exact name or the tax code of '
                    "an organisation already registered.",
                    value=org_raw,
                )
            )
        elif not org.active:
            errors.append(_('The organisation "%(name)s" is deactivated.', name=org.name))
        else:
            row.data["organisation"] = org.name
            row.data["organisation_id"] = str(org.id)
    if Role.REFERENT in roles and not org_raw:
        errors.append(_("A company referent must belong to an organisation: fill in organisation."))

    locale = raw.get("locale", "").strip().lower()
    row.data["locale"] = locale or "it"
    if locale and locale not in LOCALES:
        errors.append(
            _('Unknown language "%(value)s": write it or en, or leave it empty.', value=locale)
        )


def parse_users_csv(text: str) -> ImportReport:
    """Read and check a users CSV; nothing is written. The report lists every problem."""
    report = ImportReport(rows=[], file_errors=[])
    text = (text or "").lstrip("\ufeff")
    if len(text.encode("utf-8")) > MAX_BYTES:
        report.file_errors.append(
            _(
                "The file is larger than %(size)s. Split it into smaller files and import them "
                "one at a time.",
                size="1 MB",
            )
        )
        return report
    if not text.strip():
        report.file_errors.append(_("The file is empty."))
        return report

    first_line = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    raw_rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader)
        columns = _read_header(header, report)
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            raw_rows.append((start, cells))
            if len(raw_rows) > MAX_ROWS:
                break
    except csv.Error as exc:
        report.file_errors.append(
            _(
                "The file could not be read as CSV (line %(line)d): %(error)s",
                line=reader.line_num,
                error=str(exc),
            )
        )
        return report
    if columns is None:
        return report
    if not raw_rows:
        report.file_errors.append(
            _("The file has no rows under the first one: add one row per person.")
        )
        return report
    if len(raw_rows) > MAX_ROWS:
        report.file_errors.append(
            _(
                "The file has more than %(max)d rows: split it into smaller files and import "
                "them one at a time.",
                max=MAX_ROWS,
            )
        )
        return report

    by_name, by_code = _organisation_index()
    for start, cells in raw_rows:
        row = ImportRow(line=start, data={})
        if len(cells) != len(columns):
            row.errors.append(
                _(
                    "This row has %(found)d fields, but the first row names %(expected)d columns.",
                    found=len(cells),
                    expected=len(columns),
                )
            )
        # NUL, other control characters and bidi controls are refused; a quoted cell over
        # two lines is fine (its whitespace is normalised below).
        spaced = (re.sub(r"[\t\r\n]", " ", c) for c in cells)
        problems = {text_problem(c, name_like=True) for c in spaced} - {None}
        row.errors.extend(sorted(problems))
        raw = {c: v for c, v in zip(columns, cells, strict=False) if c}
        _check_row(row, raw, by_name, by_code)
        report.rows.append(row)

    lines_by_email: dict[str, list[int]] = {}
    for row in report.rows:
        email = row.data["email"]
        if email and "@" in email:
            lines_by_email.setdefault(email.lower(), []).append(row.line)
    existing = _existing_emails(list(lines_by_email))
    for row in report.rows:
        email = row.data["email"].lower()
        lines = lines_by_email.get(email, [])
        if len(lines) > 1:
            row.errors.append(
                _(
                    "The email address %(email)s appears more than once in the file "
                    "(lines %(lines)s).",
                    email=email,
                    lines=", ".join(str(n) for n in lines),
                )
            )
        if email in existing:
            row.errors.append(
                _("An account with the email address %(email)s already exists.", email=email)
            )
    return report


def import_users(actor: User, report: ImportReport) -> list[User]:
    """Create every account of a clean report (no passwords: access links come later)."""
    require_actor(actor)
    require(can_import_users(actor))
    if not report.ok:
        raise ValidationFailed(
            _("The file has errors: correct them and upload it again. Nobody was imported.")
        )
    created = []
    for row in report.rows:
        data = row.data
        created.append(
            create_user(
                actor,
                email=data["email"],
                full_name=data["full_name"],
                roles={Role(v) for v in data["roles"].split("|")},
                organisation_id=int(data["organisation_id"]) if data["organisation_id"] else None,
                locale=data["locale"],
            )
        )
    return created
