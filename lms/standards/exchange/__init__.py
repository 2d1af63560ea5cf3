"""Framework exchange: our JSON format (json_format), 1EdTech CASE 1.1 export (case)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from lms.errors import ValidationFailed


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an imported file, and where (JSON pointer or line and column)."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class ImportRejected(ValidationFailed):
    """A file with problems: nothing was imported; every problem is listed."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            _("The file was not imported: %(count)d problems found.", count=len(problems)),
            {"file": [str(p) for p in problems]},
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
