"""Gradebook exports: CSV for Italian Excel (UTF-8 with BOM, semicolons, decimal comma) and
XLSX."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from flask_babel import gettext as _

from assessments.models import STATUS_LABELS, GradeStatus
from assessments.services.results import Gradebook


def _num(value: Decimal | float | None) -> str:
    if value is None:
        return ""
    text = f"{value:.2f}" if isinstance(value, Decimal) else f"{value:.1f}"
    return text.replace(".", ",")


def gradebook_table(book: Gradebook) -> tuple[list[str], list[list]]:
    """Header and rows: one line per trainee, a score and a state column per assessment."""
    header = [_("Trainee"), _("Email")]
    for a in book.assessments:
        header += [f"{a.title} ({_('points')} /{a.max_points:.2f})", f"{a.title} ({_('state')})"]
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
    header, rows = gradebook_table(book)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [_num(v) if isinstance(v, Decimal | float) else ("" if v is None else v) for v in row]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def gradebook_xlsx(book: Gradebook) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    header, rows = gradebook_table(book)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Gradebook")[:31]
    ws.append([book.course.display_title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([float(v) if isinstance(v, Decimal) else v for v in row])
    ws.freeze_panes = "C4"
    for idx in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(idx)].width = 28 if idx <= 2 else 16
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
