"""Organisations admin pages and API, and the dashboard panels that show people."""

from __future__ import annotations

from sqlalchemy import select

from lms.accounts.models import Role
from lms.accounts.services import set_active
from lms.audit.models import AuditEntry
from lms.db import db
from lms.organisations.models import Organisation, SizeBand
from lms.organisations.validation import make_partita_iva
from tests.querycount import statements


def test_list_shows_people_per_organisation_in_one_query(login_as, make):
    admin = make.user(Role.ADMIN)
    big = make.organisation(name="Bicocca Farmaceutici S.p.A.", size_band=SizeBand.LARGE)
    small = make.organisation(name="Studio Ticinese", size_band=SizeBand.MICRO)
    for _i in range(3):
        make.user(Role.TRAINEE, organisation=big)
    client = login_as(admin)
    with statements() as q:
        page = client.get("/admin/organizzazioni/").get_data(as_text=True)
    organisation_queries = [s for s in q if "FROM organisations" in s]
    assert len(organisation_queries) == 1
    assert "count(users.id)" in organisation_queries[0].lower()
    assert "Grande (250 addetti o più)" in page and "Micro (meno di 10 addetti)" in page
    rows = page.split("<tbody>")[1]
    big_row = rows.split(big.name)[1].split("</tr>")[0]
    small_row = rows.split(small.name)[1].split("</tr>")[0]
    assert ">3</td>" in big_row and ">0</td>" in small_row

    # More organisations and people: still the same number of queries.
    for _i in range(4):
        org = make.organisation()
        make.user(Role.TRAINEE, organisation=org)
    with statements() as q2:
        client.get("/admin/organizzazioni/")
    assert len(q2) == len(q)


def test_create_edit_deactivate_through_pages(login_as, make):
    admin = make.user(Role.ADMIN)
    client = login_as(admin)
    assert "Piccola (10-49 addetti)" in client.get("/admin/organizzazioni/nuova").get_data(
        as_text=True
    )
    code = make_partita_iva("0123456789")
    resp = client.post(
        "/admin/organizzazioni/nuova",
        data={
            "name": "Martesana Energia S.r.l.",
            "tax_code": f"IT {code}",
            "sector": "Energia",
            "size_band": "medium",
        },
    )
    assert resp.status_code == 303
    org = db.session.scalar(
        select(Organisation).where(Organisation.name == "Martesana Energia S.r.l.")
    )
    assert org.tax_code == code and org.size_band is SizeBand.MEDIUM

    page = client.get(f"/admin/organizzazioni/{org.id}/modifica").get_data(as_text=True)
    assert 'value="Martesana Energia S.r.l."' in page and 'selected value="medium"' in page
    resp = client.post(
        f"/admin/organizzazioni/{org.id}/modifica",
        data={
            "name": "Martesana Energia S.p.A.",
            "tax_code": code,
            "sector": "Energia",
            "size_band": "large",
        },
    )
    assert resp.status_code == 303
    assert org.name == "Martesana Energia S.p.A." and org.size_band is SizeBand.LARGE

    assert client.post(f"/admin/organizzazioni/{org.id}/disattiva").status_code == 303
    assert not org.active
    assert "Disattivata" in client.get(f"/admin/organizzazioni/{org.id}").get_data(as_text=True)
    assert client.post(f"/admin/organizzazioni/{org.id}/riattiva").status_code == 303
    assert org.active

    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "organisation", AuditEntry.object_id == str(org.id))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["organisation.create"] + ["organisation.update"] * 3
    assert all(
        e.actor_id == admin.id
        for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "organisation")
        )
    )


def test_invalid_tax_code_keeps_the_form(login_as, make):
    client = login_as(make.user(Role.ADMIN))
    resp = client.post(
        "/admin/organizzazioni/nuova",
        data={
            "name": "Ditta Errata",
            "tax_code": "12345678901",
            "sector": "",
            "size_band": "small",
        },
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Inserisci una partita IVA valida" in page and 'value="Ditta Errata"' in page
    assert db.session.scalar(select(Organisation)) is None


def test_coordinator_may_view_but_not_change(login_as, make):
    org = make.organisation(name="Porta Romana Ristorazione")
    make.user(Role.TRAINEE, organisation=org, full_name="Corsista Visibile")
    client = login_as(make.user(Role.COORDINATOR))
    page = client.get("/admin/organizzazioni/").get_data(as_text=True)
    assert "Porta Romana Ristorazione" in page and "Nuova organizzazione" not in page
    assert "Corsista Visibile" in client.get(f"/admin/organizzazioni/{org.id}").get_data(
        as_text=True
    )
    assert client.get("/admin/organizzazioni/nuova").status_code == 403
    assert client.get(f"/admin/organizzazioni/{org.id}/modifica").status_code == 403
    assert client.post(f"/admin/organizzazioni/{org.id}/disattiva").status_code == 403
    assert org.active
    assert client.get("/api/v1/organisations").json["total"] == 1
    assert client.get(f"/api/v1/organisations/{org.id}").status_code == 200
    assert client.post("/api/v1/organisations", json={}).status_code == 403
    assert (
        client.patch(f"/api/v1/organisations/{org.id}", json={"active": False}).status_code == 403
    )


def test_others_get_403(login_as, make):
    org = make.organisation()
    for role in (Role.TRAINEE, Role.TRAINER, Role.REFERENT, Role.ASSESSOR):
        client = login_as(make.user(role, organisation=org if role is Role.REFERENT else None))
        assert client.get("/admin/organizzazioni/").status_code == 403
        assert client.get(f"/admin/organizzazioni/{org.id}").status_code == 403
        assert client.get("/api/v1/organisations").status_code == 403
        client.post("/esci")


def test_api_create_get_patch(login_as, make):
    client = login_as(make.user(Role.ADMIN))
    code = make_partita_iva("0987654321")
    resp = client.post(
        "/api/v1/organisations",
        json={"name": "Città Studi Editoria", "tax_code": code, "size_band": "small"},
    )
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body["size_band"] == "small" and body["sector"] == "" and body["active"] is True
    assert resp.headers["Location"].endswith(f"/api/v1/organisations/{body['id']}")
    resp = client.patch(
        f"/api/v1/organisations/{body['id']}", json={"active": False, "sector": "Editoria"}
    )
    assert resp.status_code == 200 and resp.json["active"] is False
    assert resp.json["sector"] == "Editoria" and resp.json["name"] == "Città Studi Editoria"
    assert client.get("/api/v1/organisations?active=false").json["total"] == 1
    assert client.get("/api/v1/organisations?active=true").json["total"] == 0

    resp = client.post(
        "/api/v1/organisations", json={"name": "X", "tax_code": "123", "size_band": "huge"}
    )
    assert resp.status_code == 422 and "size_band" in resp.json["error"]["fields"]
    resp = client.post(
        "/api/v1/organisations",
        json={"name": "Città Studi Editoria", "tax_code": "123", "size_band": "small"},
    )
    assert resp.status_code == 422
    assert set(resp.json["error"]["fields"]) == {"name", "tax_code"}
    assert client.get("/api/v1/organisations/9999").status_code == 404


# Dashboard panels


def test_referent_sees_only_their_own_company(login_as, make):
    mine = make.organisation(name="Lambro Meccanica S.r.l.")
    theirs = make.organisation(name="Navigli Logistica S.r.l.")
    referent = make.user(Role.REFERENT, organisation=mine, full_name="Rosa Referente")
    make.user(Role.TRAINEE, organisation=mine, full_name="Carlo Collega")
    make.user(Role.TRAINEE, organisation=theirs, full_name="Estraneo Altrui")
    make.user(Role.TRAINEE, full_name="Libero Professionista")
    client = login_as(referent)
    page = client.get("/").get_data(as_text=True)
    assert "Persone di Lambro Meccanica S.r.l." in page
    assert "Carlo Collega" in page
    assert "Estraneo Altrui" not in page and "Libero Professionista" not in page
    assert "Navigli Logistica" not in page
    assert client.get("/admin/utenti/").status_code == 403


def test_referent_empty_state(login_as, make):
    referent = make.user(Role.REFERENT)
    page = login_as(referent).get("/").get_data(as_text=True)
    assert "Nessun tuo collega è ancora registrato" in page


def test_coordinator_panel_counts_trainees(login_as, make):
    org = make.organisation(name="Sempione Retail S.p.A.")
    make.user(Role.TRAINEE, organisation=org)
    make.user(Role.TRAINEE, organisation=org)
    make.user(Role.REFERENT, organisation=org)
    admin = make.user(Role.ADMIN)
    gone = make.user(Role.TRAINEE, organisation=org)
    set_active(admin, gone, False)
    db.session.commit()
    page = login_as(make.user(Role.COORDINATOR)).get("/").get_data(as_text=True)
    section = page.split("Organizzazioni partner")[1]
    row = section.split("Sempione Retail S.p.A.")[1].split("</tr>")[0]
    assert ">2</td>" in row
    assert f"/admin/organizzazioni/{org.id}" in section


def test_admin_panel_and_navigation(login_as, make):
    admin = make.user(Role.ADMIN)
    make.user(Role.TRAINEE)
    make.organisation()
    client = login_as(admin)
    with statements() as q:
        page = client.get("/").get_data(as_text=True)
    assert "Amministrazione della piattaforma" in page
    assert "Ultime modifiche" in page and "Account creato" in page
    for href in ("/admin/utenti/", "/admin/organizzazioni/", "/admin/registro-modifiche/"):
        assert f'class="main-nav-link" href="{href}"' in page
    for _i in range(5):
        make.user(Role.TRAINEE, organisation=make.organisation())
    with statements() as q2:
        client.get("/")
    assert len(q2) == len(q)

    client.post("/esci")
    coordinator_page = login_as(make.user(Role.COORDINATOR)).get("/").get_data(as_text=True)
    assert 'href="/admin/organizzazioni/"' in coordinator_page
    assert 'href="/admin/utenti/"' not in coordinator_page
