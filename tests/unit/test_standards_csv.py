"""The simple CSV framework format: the same content as our JSON gives the same framework;
a bad file lists each problem with its line and imports nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

import lms.standards
from lms.db import db
from lms.standards.exchange import ImportRejected
from lms.standards.exchange.csv_format import import_csv
from lms.standards.exchange.json_format import export_json, import_json
from lms.standards.models import Framework

DATA = Path(lms.standards.__file__).parent / "data" / "disability-manager-illustrativo.json"


def _csv(delimiter: str = ",") -> str:
    doc = json.loads(DATA.read_text("utf-8"))
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter)
    w.writerow(["code", "parent code", "kind", "title", "description"])
    fw = doc["framework"]
    w.writerow([fw["code"], "", "framework", fw["title"], fw["description"]])
    for c in doc["competences"]:
        w.writerow([c["code"], fw["code"], "competence", c["title"], c["description"]])
        for key, kind in (("abilities", "ability"), ("knowledge", "knowledge")):
            for leaf in c[key]:
                w.writerow([leaf["code"], c["code"], kind, leaf["title"], leaf["description"]])
    return out.getvalue()


def _strip(doc: dict) -> list:
    def leaf(i):
        return {k: v for k, v in i.items() if k != "uuid"}

    return [
        leaf(c)
        | {
            "abilities": list(map(leaf, c["abilities"])),
            "knowledge": list(map(leaf, c["knowledge"])),
        }
        for c in doc["competences"]
    ]


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(",", "utf-8"), (";", "utf-8-sig"), (";", "cp1252")]
)
def test_csv_of_the_same_content_gives_the_same_framework(app, make, delimiter, encoding):
    admin = make.admin()
    from_json = export_json(admin, import_json(admin, DATA.read_bytes()))
    raw = _csv(delimiter).replace("DM-ILLUSTRATIVO", "DM-CSV").encode(encoding)
    fw = import_csv(admin, raw, issuer=from_json["framework"]["issuer"])
    from_csv = export_json(admin, fw)
    assert _strip(from_csv) == _strip(from_json)
    assert from_csv["framework"]["title"] == from_json["framework"]["title"]


def test_bad_csv_lists_each_problem_with_its_line(app, make):
    lines = _csv().splitlines()
    lines[3] = lines[3].replace(",ability,", ",skill,")  # unknown kind
    lines[4] = lines[4].replace("C1.A2,C1", "C1,C1")  # duplicate code (the competence)
    lines[5] = lines[5].replace("C1.A3,C1", "C1.A3,C9")  # unknown parent
    raw = "\n".join(lines).encode()
    before = db.session.scalar(select(func.count(Framework.id)))
    with pytest.raises(ImportRejected) as err:
        import_csv(make.admin(), raw, issuer="Regione")
    assert [p.location for p in err.value.problems] == ["riga 4", "riga 5", "riga 6"]
    assert "C9" in err.value.problems[2].message
    assert db.session.scalar(select(func.count(Framework.id))) == before


def test_wrong_columns_are_refused(app, make):
    with pytest.raises(ImportRejected) as err:
        import_csv(make.admin(), b"codice;titolo\nC1;x\n", issuer="Regione")
    assert [p.location for p in err.value.problems] == ["riga 1"]


def test_a_field_past_the_csv_size_limit_is_a_problem_not_a_crash(app, make):
    lines = _csv().splitlines()
    lines[2] = lines[2] + '"' + "x" * (csv.field_size_limit() + 10)  # an unclosed huge field
    before = db.session.scalar(select(func.count(Framework.id)))
    with pytest.raises(ImportRejected) as err:
        import_csv(make.admin(), "\n".join(lines).encode(), issuer="Regione")
    (problem,) = err.value.problems
    assert problem.location.startswith("riga ") and "CSV" in problem.message
    assert db.session.scalar(select(func.count(Framework.id))) == before
