"""Gradebook exports: CSV for Italian Excel and XLSX, values written by the rule of
lms/exports.py."""

from __future__ import annotations

from flask_babel import gettext as _

from assessments.models import STATUS_LABELS, GradeStatus
from assessments.services.results import Gradebook
from lms.exports import csv_bytes, number_text, xlsx_bytes


def gradebook_table(book: Gradebook) -> tuple[list[str], list[list]]:
    """Header and rows: one line per trainee, a score and a state column per assessment."""
    header = [_("Trainee"), _("Email")]
    for a in book.assessments:
        header += [
            _("%(title)s (points out of %(max)s)", title=a.title, max=number_text(a.max_points)),
            _("%(title)s (state)", title=a.title),
        ]
    header += [
        _("Weighted result %"),
        _("Outcome"),
        _("Attendance %"),
        _("Admitted to the final assessment"),
    ]
    rows = []
    for r in book.rows:
        line = [r.trainee.full_name, r.trainee.email]
        for a in book.assessments:
            g = r.cells.get(a.id)
            status = g.status if g else GradeStatus.NOT_SUBMITTED
            score = (
                g.score
                if g is not None and status in (GradeStatus.GRADED, GradeStatus.RELEASED)
                else None
            )
            line += [score, str(STATUS_LABELS[status])]
        outcome = (
            (_("passed") if r.passed else _("not passed"))
            if r.passed is not None
            else (_("incomplete"))
        )
        line += [r.result, outcome, r.attendance_pct, _("yes") if r.eligible else _("no")]
        rows.append(line)
    return header, rows


def gradebook_csv(book: Gradebook) -> bytes:
    """The gradebook for Italian Excel."""
    header, rows = gradebook_table(book)
    return csv_bytes(header, rows)


def gradebook_xlsx(book: Gradebook) -> bytes:
    """The gradebook as an Excel workbook."""
    header, rows = gradebook_table(book)
    return xlsx_bytes(
        book.course.display_title, _("Gradebook"), header, rows, freeze="C4", label_columns=2
    )
