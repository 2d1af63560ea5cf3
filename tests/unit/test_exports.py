"""Shared CSV/XLSX writers: Italian Excel format and formula injection defused."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from lms.exports import csv_bytes, xlsx_bytes


def test_csv_for_italian_excel():
    data = csv_bytes(
        ["Nome", "Ore"], [["Rossi", Decimal("7.5")], ['=HYPERLINK("x")', 3], [None, 1.25]]
    )
    text = data.decode("utf-8")
    assert text.startswith("\ufeffNome;Ore\r\n")
    assert "Rossi;7,50\r\n" in text
    assert "'=HYPERLINK" in text  # a formula typed as a name is shown, never run
    assert ";1,2" in text


def test_xlsx_keeps_numbers_and_defuses_formulas():
    data = xlsx_bytes(
        "Titolo",
        "Foglio",
        ["Nome", "Punti"],
        [["@SUM(A1)", Decimal("4.5")]],
        extra_sheets={"Legenda": [["P", "Presente"]]},
    )
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Foglio"]
    assert ws["A1"].value == "Titolo"
    assert ws["A4"].value == "@SUM(A1)" and ws["A4"].data_type == "s"  # text, no apostrophe
    assert ws["B4"].value == 4.5
    assert wb["Legenda"]["B1"].value == "Presente"


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")
        )


@pytest.mark.parametrize(
    "hostile",
    ['=HYPERLINK("http://evil.example","clic")', "+1+1", "-2+3", "@SUM(A1)", "=1+1\n"],
)
def test_no_cell_ever_becomes_a_formula_title_included(hostile):
    data = xlsx_bytes(
        hostile, hostile, [hostile, "n"], [[hostile, 1]], extra_sheets={hostile: [[hostile]]}
    )
    assert "<f>" not in _sheet_xml(data) and "<f " not in _sheet_xml(data)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    for ref in ("A1", "A3", "A4"):
        assert ws[ref].value == hostile.strip() or ws[ref].value == hostile
        assert ws[ref].data_type == "s"


@pytest.mark.parametrize("control", ["\x0b", "\x00", "\x1b", "\x07", "\x85"])
def test_control_characters_are_removed_not_a_crash(control):
    name = f"Corso{control} di prova"
    data = xlsx_bytes(name, f"Foglio{control}", ["Nome"], [[f"Rossi{control}"]])
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert ws["A1"].value == "Corso di prova"
    assert ws["A4"].value == "Rossi"
    assert ws.title == "Foglio"
    assert "Rossi" in csv_bytes(["Nome"], [[f"Rossi{control}"]]).decode("utf-8")
    assert control not in csv_bytes(["Nome"], [[f"Rossi{control}"]]).decode("utf-8")


def test_tabs_and_newlines_stay_and_bad_sheet_names_are_mended():
    data = xlsx_bytes("T", "Presenze [1/2]: *?", ["Nota"], [["riga 1\nriga 2\tfine"]])
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert ws["A4"].value == "riga 1\nriga 2\tfine"
    assert ws.title == "Presenze  1 2"


def test_numbers_and_dates_follow_one_rule_in_csv():
    from datetime import date

    from lms.exports import date_text, number_text

    assert number_text(Decimal("10")) == "10,00"  # points: two decimals
    assert number_text(80.84) == "80,8"  # percentages and measures: one decimal
    assert number_text(12345) == "12345"  # no thousands separator: Excel reads a number
    assert date_text(date(2026, 11, 4)) == "04/11/2026"
    text = csv_bytes(["Data", "%"], [[date(2026, 11, 4), 80.84]]).decode("utf-8")
    assert "04/11/2026;80,8\r\n" in text


def test_xlsx_keeps_dates_as_dates():
    from datetime import date

    data = xlsx_bytes("T", "Foglio", ["Data"], [[date(2026, 11, 4)]])
    cell = load_workbook(io.BytesIO(data))["Foglio"]["A4"]
    assert cell.value.date() == date(2026, 11, 4)
    assert cell.number_format == "DD/MM/YYYY"
