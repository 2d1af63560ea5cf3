"""Framework exchange: our JSON format (json_format), a simple CSV (csv_format), Moodle's
competency framework CSV (moodle_format), 1EdTech CASE 1.1 export (case)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from lms.errors import ValidationFailed


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an imported file, and where (JSON pointer or line and column)."""

    location: str
    message: str
    # Where known (CSV files): the line and column, for a table of problems.
    line: int | None = None
    column: int | None = None
    # The form or API field the problem belongs to: the file, or the Moodle level mapping.
    field: str = "file"

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class ImportRejected(ValidationFailed):
    """A file with problems: nothing was imported; every problem is listed."""

    def __init__(self, problems: list[Problem], *, preview: dict | None = None):
        self.problems = problems
        # What could still be read (a Moodle file's levels), for a form that corrects the mapping.
        self.preview = preview
        fields: dict[str, list[str]] = {}
        for p in problems:
            fields.setdefault(p.field, []).append(str(p))
        super().__init__(
            _("The file was not imported: %(count)d problems found.", count=len(problems)),
            fields,
        )


def decode_text(raw: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 text, with or without BOM; a wrong encoding is a problem at its line and column."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        return None, [
            Problem(
                _("line %(line)d, column %(column)d", line=line, column=column),
                _("The file is not UTF-8 text."),
            )
        ]


def at(line: int, column: int | None, message: str, *, field: str = "file") -> Problem:
    """A problem at a line (and column) of a text file."""
    if column is None:
        return Problem(_("line %(line)d", line=line), message, line=line, field=field)
    where = _("line %(line)d, column %(column)d", line=line, column=column)
    return Problem(where, message, line=line, column=column, field=field)
