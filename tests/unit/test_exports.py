"""Shared CSV/XLSX writers: Italian Excel format and formula injection defused."""

import io
from decimal import Decimal

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
    assert ws["A4"].value == "'@SUM(A1)" and ws["A4"].data_type == "s"
    assert ws["B4"].value == 4.5
    assert wb["Legenda"]["B1"].value == "Presente"
