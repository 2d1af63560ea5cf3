"""Tabular exports shared by the packages: CSV for Italian Excel and XLSX workbooks."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

# A cell that starts with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """One CSV cell: empty for None, decimal comma for numbers, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """CSV as Italian Excel opens it: UTF-8 with BOM, semicolons, CRLF."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_cell(value):
    """One XLSX cell: numbers stay numbers, text that looks like a formula stays text."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_bytes(
    title: str,
    sheet_name: str,
    header: Sequence,
    rows: Sequence[Sequence],
    *,
    freeze: str = "B4",
    label_columns: int = 1,
    highlight: Callable[[int], bool] | None = None,
    extra_sheets: dict[str, list[list]] | None = None,
) -> bytes:
    """A workbook with a title line, a bold header row and the rows; optional extra sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append([xlsx_cell(h) for h in header])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for i, row in enumerate(rows):
        ws.append([xlsx_cell(v) for v in row])
        if highlight is not None and highlight(i):
            for cell in ws[ws.max_row]:
                cell.fill = fill
    ws.freeze_panes = freeze
    for idx in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(idx)].width = 28 if idx <= label_columns else 15
    for name, lines in (extra_sheets or {}).items():
        sheet = wb.create_sheet(name[:31])
        for line in lines:
            sheet.append([xlsx_cell(v) for v in line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
