"""Framework import and export from outside: the API routes and `flask lms standards`."""

from __future__ import annotations

import io
import json
from pathlib import Path

from sqlalchemy import func, select

import lms.standards
from lms.accounts.models import Role
from lms.db import db
from lms.standards.models import Framework, FrameworkItem, FrameworkStatus

DATA = Path(lms.standards.__file__).parent / "data" / "disability-manager-illustrativo.json"


def _post(client, raw: bytes, **form):
    data = {"file": (io.BytesIO(raw), "quadro.json"), **form}
    return client.post("/api/v1/frameworks/import", data=data, content_type="multipart/form-data")


def _count() -> int:
    return db.session.scalar(select(func.count(Framework.id)))


def test_import_then_export_through_the_api(app, make, login_as):
    client = login_as(make.admin())
    resp = _post(client, DATA.read_bytes(), format="json")
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["status"] == "draft" and body["code"] == "DM-ILLUSTRATIVO"
    fw_id = body["id"]
    out = client.get(f"/api/v1/frameworks/{fw_id}/export?format=json").get_json()
    assert out == json.loads(DATA.read_text("utf-8")) | {"format": out["format"]}
    case = client.get(f"/api/v1/frameworks/{fw_id}/export?format=case").get_json()
    assert len(case["CFItems"]) == 42 and case["CFDocument"]["adoptionStatus"] == "Draft"
    assert client.get(f"/api/v1/frameworks/{fw_id}/export?format=pdf").status_code == 422


def test_dry_run_gives_a_preview_or_the_problems(app, make, login_as):
    client = login_as(make.admin())
    before = _count()
    good = _post(client, DATA.read_bytes(), dry_run="1").get_json()
    assert good["valid"] and good["preview"]["knowledge"] == 18
    bad = _post(client, b'{"format": "rencontrer-framework/1"}', dry_run="1").get_json()
    assert not bad["valid"] and bad["preview"] is None
    assert {p["location"] for p in bad["problems"]} == {"/"}
    assert len(bad["problems"]) == 2  # framework and competences missing
    assert _count() == before


def test_a_bad_file_is_a_422_listing_each_problem_and_imports_nothing(app, make, login_as):
    client = login_as(make.admin())
    before = _count()
    resp = _post(client, b"{not json")
    assert resp.status_code == 422
    assert resp.get_json()["error"]["fields"]["file"][0].startswith("riga 1, colonna 2")
    assert _count() == before


def test_only_admins_import(app, make, login_as):
    client = login_as(make.user(Role.COORDINATOR))
    assert _post(client, DATA.read_bytes()).status_code == 403
    assert _count() == 0


def test_cli_import_and_export(app, tmp_path):
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"format": "rencontrer-framework/1", "framework": {}, "competences": []}')
    result = runner.invoke(args=["lms", "standards", "import", str(bad)])
    assert result.exit_code == 1
    assert result.output.count("\n- /framework: ") == 3  # code, title and issuer missing
    result = runner.invoke(args=["lms", "standards", "import", str(DATA)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        fw = db.session.scalar(select(Framework))
        assert fw.status == FrameworkStatus.DRAFT
        assert db.session.scalar(select(func.count(FrameworkItem.id))) == 42
        fw_id = fw.id
    result = runner.invoke(args=["lms", "standards", "export", str(fw_id), "--format", "case"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["CFAssociations"]) == 42


def test_csv_import_through_the_api(app, make, login_as):
    client = login_as(make.admin())
    raw = (
        "code;parent code;kind;title;description\n"
        "Q1;;framework;Quadro di prova;\n"
        "C1;Q1;competence;Competenza;\n"
        "C1.A1;C1;ability;Abilità;\n"
    ).encode("cp1252")
    data = {"file": (io.BytesIO(raw), "q.csv"), "format": "csv", "issuer": "Regione Lombardia"}
    resp = client.post("/api/v1/frameworks/import", data=data, content_type="multipart/form-data")
    assert resp.status_code == 201, resp.get_json()
    out = client.get(f"/api/v1/frameworks/{resp.get_json()['id']}/export").get_json()
    assert out["competences"][0]["abilities"][0]["title"] == "Abilità"
    assert out["framework"]["issuer"] == "Regione Lombardia"
