"""Tabular exports shared by the packages: CSV for Italian Excel and XLSX workbooks."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

# A cell that starts with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters an XLSX file cannot hold (XML 1.0 forbids them) or that only hide text: C0
# controls but tab and newline, DEL and C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Excel refuses these in sheet names; names are at most 31 characters.
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def clean_text(value: str) -> str:
    """Text without control characters (tab and newline kept)."""
    return _CONTROL.sub("", value)


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
    text = clean_text(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """CSV as Italian Excel opens it: UTF-8 with BOM, semicolons, CRLF."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_value(value):
    """What an XLSX cell holds: numbers stay numbers, everything else is text, cleaned."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return clean_text(str(value))


def _sheet_name(name: str) -> str:
    return (_SHEET_NAME_BAD.sub(" ", clean_text(str(name))).strip("' ") or "Sheet")[:31]


def _cell(ws, value, font=None, fill=None):
    """One cell of a write-only sheet. Text is always typed as text, so data never becomes a
    formula and no apostrophe shows; openpyxl would otherwise read a leading "=" as a
    formula. Plain values need no cell object (much faster on large sheets)."""
    from openpyxl.cell import WriteOnlyCell

    value = xlsx_value(value)
    if isinstance(value, str) and value.startswith("="):
        pass  # needs the explicit text type below
    elif font is None and fill is None:
        return value
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _line(ws, values: Sequence, font=None, fill=None) -> list:
    return [_cell(ws, v, font, fill) for v in values]


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
    """A workbook with a title line, a bold header row and the rows; optional extra sheets.
    Every cell goes through `_cell`: the one XLSX writer of every export (write-only sheets,
    streamed: several times faster than cell objects on large exports)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_name(sheet_name))
    for idx in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(idx)].width = 28 if idx <= label_columns else 15
    ws.freeze_panes = freeze
    ws.append([_cell(ws, title, Font(bold=True, size=13))])
    ws.append([])
    ws.append(_line(ws, header, Font(bold=True)))
    fill = PatternFill("solid", fgColor="FFF2CC")
    for i, row in enumerate(rows):
        marked = highlight is not None and highlight(i)
        ws.append(_line(ws, row, fill=fill if marked else None))
    names = [ws.title]
    for name, lines in (extra_sheets or {}).items():
        sheet_title, n = _sheet_name(name), 1
        while sheet_title in names:
            n += 1
            sheet_title = f"{_sheet_name(name)[:27]} ({n})"
        names.append(sheet_title)
        sheet = wb.create_sheet(sheet_title)
        for line in lines:
            sheet.append(_line(sheet, line))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
