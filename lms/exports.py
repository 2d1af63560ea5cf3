"""Tabular exports shared by the packages: CSV for Italian Excel and XLSX workbooks.

One rule for the values of every export (docs/architecture.md, "Exports"): the CSV is for
Italian Excel, so its numbers are written by Babel in Italian whatever the user's language
(decimal comma, no thousands separator, no unit in the cell: a percentage is a plain number
under a header that ends in "%"), points with two decimals, percentages and other measures
with one, dates as dd/MM/yyyy; the XLSX keeps numbers and dates as typed cells, which the
spreadsheet shows in its own locale. Headers are in the user's language."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

# The locale of the CSV dialect (semicolons, decimal comma): Italian Excel's.
CSV_LOCALE = "it_IT"
DATE_PATTERN = "dd/MM/yyyy"
XLSX_DATE_FORMAT = "DD/MM/YYYY"

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


def number_text(value: Decimal | float | int) -> str:
    """A number as every export writes it in text: Decimal (points) with two decimals, float
    (percentages, measures) with one, int as is; Italian decimal comma, no grouping."""
    if isinstance(value, Decimal):
        pattern = "0.00"
    elif isinstance(value, float):
        pattern = "0.0"
    else:
        pattern = "0"
    return format_decimal(value, format=pattern, locale=CSV_LOCALE)


def date_text(value: date) -> str:
    """A date as every export writes it in text: 24/11/2026."""
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, DATE_PATTERN, locale=CSV_LOCALE)


def csv_cell(value) -> str:
    """One CSV cell: empty for None, numbers and dates by the rule above, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if isinstance(value, Decimal | float | int):
        return number_text(value)
    if isinstance(value, date):
        return date_text(value)
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
    if isinstance(value, datetime):
        value = value.date()
    if value is None or isinstance(value, bool | int | date):
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
    value = xlsx_value(value)
    if isinstance(value, str) and value.startswith("="):
        pass  # needs the explicit text type below
    elif font is None and fill is None and not isinstance(value, date):
        return value
    from openpyxl.cell import WriteOnlyCell  # here: plain values (most cells) skip the import

    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if isinstance(value, date):
        cell.number_format = XLSX_DATE_FORMAT
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
