"""The framework import page (any format, Moodle's level mapping included) and the Moodle
import through the API and the CLI: admins only, nothing imported before the confirmation or
from a bad file, nothing the admin chose lost between the steps."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.db import db
from lms.standards.models import Framework, FrameworkItem, ItemKind
from tests.moodle_csv import DATA, illustrative, moodle_csv, rows, write

FILE = Path(__file__).parents[1] / "data" / "moodle-dm-illustrativo.csv"
ISSUER = "Regione Lombardia"


def _upload(client, raw: bytes, fmt: str, issuer: str = "", name: str = "quadro.csv"):
    data = {"file": (io.BytesIO(raw), name), "format": fmt, "issuer": issuer}
    return client.post("/quadri/importa", data=data, content_type="multipart/form-data")


def _payload(page: str) -> str:
    match = re.search(r'name="payload" type="hidden" value="([^"]+)"', page)
    assert match, page
    return html.unescape(match.group(1))


def _count() -> int:
    return db.session.scalar(select(func.count(Framework.id)))


def _kinds() -> dict[ItemKind, int]:
    rows_ = db.session.execute(
        select(FrameworkItem.kind, func.count(FrameworkItem.id)).group_by(FrameworkItem.kind)
    ).all()
    return dict(rows_)


def test_moodle_file_preview_then_import_as_a_draft(login_as, make):
    client = login_as(make.admin())
    page = client.get("/quadri/importa").get_data(as_text=True)
    assert "Importa un quadro" in page and 'name="format"' in page
    resp = _upload(client, FILE.read_bytes(), "moodle", ISSUER)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200, page
    assert _count() == 0  # the preview writes nothing
    assert "DM-ILLUSTRATIVO" in page and "Livello 3" in page and "competency" in page
    assert 'name="level-1"' in page and 'name="level-2"' in page and 'name="level-3"' not in page
    assert re.search(r'<option value="group" selected>', page)
    form = {"payload": _payload(page), "issuer": ISSUER, "level-1": "competence"}
    resp = client.post(
        "/quadri/importa/conferma", data=form | {"level-2": "group", "action": "import"}
    )
    assert resp.status_code == 303
    fw = db.session.scalar(select(Framework))
    assert fw.code == "DM-ILLUSTRATIVO" and fw.is_draft and fw.issuer == ISSUER
    assert _kinds() == {ItemKind.COMPETENCE: 6, ItemKind.ABILITY: 18, ItemKind.KNOWLEDGE: 18}
    follow = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert f"(numero {fw.id})" in follow or f"/quadri/{fw.id}" in resp.headers["Location"]


def test_a_changed_mapping_is_previewed_before_it_is_imported(login_as, make):
    client = login_as(make.admin())
    doc = illustrative()
    for c in doc["competences"]:
        c["abilities"] = []
    page = _upload(client, moodle_csv(doc, layout="flat"), "moodle", ISSUER).get_data(as_text=True)
    assert re.search(r'<option value="ability" selected>', page)
    form = {"payload": _payload(page), "issuer": ISSUER, "level-1": "competence"}
    resp = client.post(
        "/quadri/importa/conferma", data=form | {"level-2": "knowledge", "action": "import"}
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and _count() == 0  # shown again, not imported
    assert "Anteprima aggiornata" in page and re.search(
        r'<option value="knowledge" selected>', page
    )
    resp = client.post(
        "/quadri/importa/conferma",
        data={
            "payload": _payload(page),
            "issuer": ISSUER,
            "level-1": "competence",
            "level-2": "knowledge",
            "action": "import",
        },
    )
    assert resp.status_code == 303
    assert _kinds() == {ItemKind.COMPETENCE: 6, ItemKind.KNOWLEDGE: 18}


def test_a_bad_mapping_or_issuer_keeps_the_choices_and_imports_nothing(login_as, make):
    client = login_as(make.admin())
    page = _upload(client, FILE.read_bytes(), "moodle", "").get_data(as_text=True)
    assert "Indica l&#39;ente titolare" in page and "Importa come bozza" not in page
    form = {
        "payload": _payload(page),
        "issuer": "",
        "level-1": "competence",
        "level-2": "ability",
        "level-3": "x",
    }
    resp = client.post("/quadri/importa/conferma", data=form | {"action": "preview"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "corrispondenza dei livelli" in page and re.search(
        r'<option value="ability" selected>', page
    )
    assert _count() == 0


def test_a_bad_file_shows_each_problem_with_line_and_column(login_as, make):
    client = login_as(make.admin())
    table = rows(illustrative())
    table[3][0] = "C9"
    resp = _upload(client, write(table, delimiter=";", encoding="cp1252"), "moodle", ISSUER)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert re.search(r"<th scope=\"row\">5</th><td>1</td>\s*<td>Genitore C9 sconosciuto", page)
    assert "Importa come bozza" not in page and _count() == 0


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_files_through_the_same_page(login_as, make, fmt):
    client = login_as(make.admin())
    raw = DATA.read_bytes()
    if fmt == "csv":
        raw = b"code,parent code,kind,title,description\nQ,,framework,Quadro,\nC1,Q,competence,Uno,\nC1.A1,C1,ability,Fare,\n"
    page = _upload(client, raw, fmt, ISSUER, name=f"quadro.{fmt}").get_data(as_text=True)
    assert "Importa come bozza" in page and _count() == 0
    resp = client.post(
        "/quadri/importa/conferma",
        data={"payload": _payload(page), "issuer": ISSUER, "action": "import"},
    )
    assert resp.status_code == 303 and _count() == 1


def test_an_altered_payload_is_refused(login_as, make):
    client = login_as(make.admin())
    page = _upload(client, FILE.read_bytes(), "moodle", ISSUER).get_data(as_text=True)
    payload = _payload(page)
    forged = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    resp = client.post("/quadri/importa/conferma", data={"payload": forged, "action": "import"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/quadri/importa")
    assert _count() == 0


def test_upload_errors_are_shown_in_the_form(login_as, make):
    client = login_as(make.admin())
    resp = client.post(
        "/quadri/importa", data={"format": "moodle"}, content_type="multipart/form-data"
    )
    assert resp.status_code == 422 and "Scegli un file da importare" in resp.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.TRAINER, Role.ASSESSOR, Role.TRAINEE])
def test_only_admins_reach_the_import_pages(login_as, make, role):
    client = login_as(make.user(role))
    assert client.get("/quadri/importa").status_code == 403
    assert _upload(client, FILE.read_bytes(), "moodle", ISSUER).status_code == 403
    assert client.post("/quadri/importa/conferma", data={"payload": "x"}).status_code == 403
    assert _count() == 0


def _api(client, raw: bytes, **form):
    data = {"file": (io.BytesIO(raw), "quadro.csv"), **form}
    return client.post("/api/v1/frameworks/import", data=data, content_type="multipart/form-data")


def test_api_moodle_dry_run_then_import_with_a_mapping(login_as, make):
    client = login_as(make.admin())
    body = _api(client, FILE.read_bytes(), format="moodle", issuer=ISSUER, dry_run="1").get_json()
    assert body["valid"] and body["preview"]["mapping"] == {"1": "competence", "2": "group"}
    assert [lv["count"] for lv in body["preview"]["levels"]] == [6, 12, 36]
    assert body["preview"]["knowledge"] == 18
    bad = _api(
        client,
        FILE.read_bytes(),
        format="moodle",
        issuer=ISSUER,
        dry_run="1",
        mapping="1=competence",
    )
    bad = bad.get_json()
    assert not bad["valid"] and bad["preview"]["levels"][1]["proposed"] == "group"
    assert {p["field"] for p in bad["problems"]} == {"mapping"}
    table = rows(illustrative())
    table[3][1] = "C1.A2"
    bad = _api(client, write(table), format="moodle", issuer=ISSUER, dry_run="1").get_json()
    assert bad["problems"][0] | {"message": ""} == {
        "location": "riga 6, colonna 2",
        "line": 6,
        "column": 2,
        "message": "",
    }
    resp = _api(
        client, FILE.read_bytes(), format="moodle", issuer=ISSUER, mapping="1=competence,2=ability"
    )
    assert resp.status_code == 422 and "mapping" in resp.get_json()["error"]["fields"]
    assert _count() == 0
    resp = _api(
        client, FILE.read_bytes(), format="moodle", issuer=ISSUER, mapping="1=competence,2=group"
    )
    assert resp.status_code == 201 and resp.get_json()["code"] == "DM-ILLUSTRATIVO"


def test_openapi_describes_the_moodle_import(login_as, make):
    spec = login_as(make.admin()).get("/api/v1/openapi.json").get_json()
    form = spec["paths"]["/api/v1/frameworks/import"]["post"]["requestBody"]["content"]
    props = form["multipart/form-data"]["schema"]["properties"]
    assert "mapping" in props and "moodle" in props["format"]["description"]


def test_cli_moodle_import(app, tmp_path):
    path = tmp_path / "moodle.csv"
    path.write_bytes(FILE.read_bytes())
    runner = app.test_cli_runner()
    args = ["lms", "standards", "import", str(path), "--format", "moodle", "--issuer", ISSUER]
    result = runner.invoke(args=[*args, "--mapping", "1=competence"])
    assert result.exit_code == 1 and '"levels"' in result.output
    result = runner.invoke(args=[*args, "--mapping", "1=competence,2=group"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(FrameworkItem.id))) == 42
