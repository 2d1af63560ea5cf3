"""Framework exchange: our JSON format (export, import as a draft, every problem of a bad file
with its location, nothing imported) and the CASE 1.1 export of the illustrative framework."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

import lms.standards
from lms.accounts.models import Role
from lms.db import db
from lms.errors import Forbidden
from lms.standards.exchange import ImportRejected
from lms.standards.exchange.case import export_case
from lms.standards.exchange.json_format import export_json, import_json
from lms.standards.models import Framework, FrameworkItem, FrameworkStatus, ItemKind

DATA = Path(lms.standards.__file__).parent / "data" / "disability-manager-illustrativo.json"


def _doc() -> dict:
    return json.loads(DATA.read_text("utf-8"))


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count(Framework.id))),
        db.session.scalar(select(func.count(FrameworkItem.id))),
    )


def _rejected(make, raw: bytes) -> list[str]:
    before = _counts()
    with pytest.raises(ImportRejected) as err:
        import_json(make.admin(), raw)
    assert _counts() == before
    return err.value.fields["file"]


def test_illustrative_file_imports_as_a_draft_keeping_uuids(app, make):
    doc = _doc()
    assert "ILLUSTRATIVO" in doc["framework"]["title"]
    assert len(doc["competences"]) == 6
    for comp in doc["competences"]:
        assert 3 <= len(comp["abilities"]) <= 5 and 3 <= len(comp["knowledge"]) <= 5
    fw = import_json(make.admin(), DATA.read_bytes())
    assert fw.status == FrameworkStatus.DRAFT and fw.illustrative
    items = {i.code: i for i in db.session.scalars(select(FrameworkItem))}
    assert len(items) == 6 * 7
    assert items["C1.A1"].uuid == doc["competences"][0]["abilities"][0]["uuid"]
    assert items["C1.A1"].competence_id == items["C1"].id
    assert items["C2.K3"].kind == ItemKind.KNOWLEDGE


def test_export_then_import_round_trips(app, make):
    fw = import_json(make.admin(), DATA.read_bytes())
    out = export_json(make.admin(), fw)
    assert out == _doc() | {"format": out["format"]}
    out["framework"]["version"] = "2"
    again = import_json(make.admin(), json.dumps(out).encode())
    assert export_json(make.admin(), again)["competences"] == out["competences"]


def test_bom_is_accepted_and_dry_run_imports_nothing(app, make):
    before = _counts()
    preview = import_json(make.admin(), b"\xef\xbb\xbf" + DATA.read_bytes(), dry_run=True)
    assert preview["competences"] == 6 and preview["abilities"] == 18
    assert _counts() == before


def test_only_admins_import(app, make):
    with pytest.raises(Forbidden):
        import_json(make.user(Role.TRAINER), DATA.read_bytes())


def test_invalid_json_gives_line_and_column(app, make):
    problems = _rejected(make, b'{\n  "format": "rencontrer-framework/1",\n  "framework": }')
    assert len(problems) == 1 and problems[0].startswith(
        ("line 3, column 16", "riga 3, colonna 16")
    )


def test_wrong_encoding_gives_its_position(app, make):
    raw = DATA.read_bytes().replace("disabilità".encode(), "disabilità".encode("cp1252"), 1)
    line = raw[: raw.index(b"disabilit")].count(b"\n") + 1
    problems = _rejected(make, raw)
    assert len(problems) == 1 and problems[0].startswith(f"riga {line}, colonna ")


def test_every_schema_violation_is_listed_with_its_pointer(app, make):
    doc = _doc()
    del doc["competences"][0]["title"]
    doc["competences"][2]["abilities"][1]["uuid"] = "not-a-uuid"
    doc["profiles"][0]["eqf_level"] = 9
    doc["extra"] = 1
    problems = _rejected(make, json.dumps(doc).encode())
    where = [p.split(":")[0] for p in problems]
    assert "/competences/0" in where
    assert "/competences/2/abilities/1/uuid" in where
    assert "/profiles/0/eqf_level" in where
    assert "/" in where
    assert len(problems) == 4


def test_duplicate_codes_uuids_and_unknown_parent_are_each_listed(app, make):
    doc = _doc()
    bad = copy.deepcopy(doc)
    bad["competences"][1]["abilities"][0]["code"] = "C1.A1"
    bad["competences"][1]["knowledge"][0]["uuid"] = doc["competences"][0]["uuid"]
    bad["profiles"][0]["competences"].append("C9")
    problems = _rejected(make, json.dumps(bad).encode())
    assert [p.split(": ")[0] for p in problems] == [
        "/competences/1/abilities/0/code",
        "/competences/1/knowledge/0/uuid",
        "/profiles/0/competences/6",
    ]
    assert problems[0].endswith("/competences/0/abilities/0.")
    assert problems[1].endswith("/competences/0.")
    assert "C9" in problems[2]


def test_same_code_and_version_twice_is_refused(app, make):
    import_json(make.admin(), DATA.read_bytes())
    problems = _rejected(make, DATA.read_bytes())
    assert len(problems) == 1 and problems[0].startswith("/framework/version: ")


def test_case_export_of_the_illustrative_framework(app, make):
    fw = import_json(make.admin(), DATA.read_bytes())
    app.config["BASE_URL"] = "https://lms.example.it"
    package = export_case(make.admin(), fw)
    doc = package["CFDocument"]
    for key in ("identifier", "uri", "creator", "title", "lastChangeDateTime", "version"):
        assert doc[key]
    assert doc["adoptionStatus"] == "Draft" and doc["language"] == "it"
    assert doc["uri"].startswith("https://lms.example.it/")
    items = {i["humanCodingScheme"]: i for i in package["CFItems"]}
    assert len(package["CFItems"]) == len(items) == 6 + 18 + 18
    assert {i["CFItemType"] for i in package["CFItems"]} == {"Competence", "Ability", "Knowledge"}
    db_items = {i.code: i for i in db.session.scalars(select(FrameworkItem))}
    for code, item in items.items():
        assert item["identifier"] == db_items[code].uuid
        assert item["fullStatement"] == db_items[code].title
        assert item["CFDocumentURI"]["identifier"] == doc["identifier"]
        assert item["uri"].startswith("https://lms.example.it/")
    parent = {
        a["originNodeURI"]["identifier"]: a["destinationNodeURI"]["identifier"]
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
    }
    assert len(parent) == 42
    assert parent[items["C3.A2"]["identifier"]] == items["C3"]["identifier"]
    assert parent[items["C3.K1"]["identifier"]] == items["C3"]["identifier"]
    assert parent[items["C3"]["identifier"]] == doc["identifier"]
    assert export_case(make.admin(), fw) == package
