"""The audit trail: written for every change, visible and filterable, never changed."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from lms.accounts import services
from lms.accounts.models import Role
from lms.audit.models import AuditEntry, AuditIsAppendOnly
from lms.audit.queries import local_day_start
from lms.db import db

ROME = ZoneInfo("Europe/Rome")


def local_date(entry: AuditEntry) -> dt.date:
    return entry.at.astimezone(ROME).date()


@pytest.fixture
def history(make):
    """An admin and a few audited changes made through the services."""
    admin = make.user(Role.ADMIN, full_name="Alba Amministratrice", email="alba@example.org")
    org = make.organisation(name="Isola Digitale S.r.l.")
    user = services.create_user(
        admin, email="bruno@example.org", full_name="Bruno Bianchi", roles={Role.TRAINEE}
    )
    db.session.commit()
    services.update_user(
        admin,
        user,
        email=user.email,
        full_name="Bruno Neri",
        roles={Role.TRAINEE, Role.REFERENT},
        locale="it",
        organisation_id=org.id,
        active=True,
    )
    db.session.commit()
    return admin, org, user


def test_every_change_is_written_and_shown(login_as, history):
    admin, org, user = history
    client = login_as(admin)
    client.post(f"/admin/utenti/{user.id}/disattiva")
    page = client.get("/admin/registro-modifiche/").get_data(as_text=True)
    table = page.split("<tbody>")[1]
    assert (  # newest first
        table.index("Account disattivato")
        < table.index("Account modificato")
        < table.index("Account creato")
    )
    assert "Alba Amministratrice" in page
    plain = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Nome e cognome: Bruno Bianchi → diventa Bruno Neri" in plain
    assert "Ruoli: Corsista → diventa Referente aziendale, Corsista" in plain
    assert f"Organizzazione: — → diventa Isola Digitale S.r.l. (#{org.id})" in plain
    assert f'href="/admin/utenti/{user.id}"' in page
    assert "Sistema" in page  # the factory acts as the built-in system account
    # The view wrote no audit entry of its own and changed none.
    assert (
        db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.deactivate")).actor_id
        == admin.id
    )


def test_filters(login_as, history):
    admin, _org, user = history
    client = login_as(admin)

    def entries(query: str) -> str:
        resp = client.get("/admin/registro-modifiche/?" + query)
        assert resp.status_code == 200, resp.get_data(as_text=True)[:2000]
        return resp.get_data(as_text=True)

    page = entries("action=user.update")
    assert "1 voce" in page and "Bruno Neri" in page
    page = entries(f"object_type=user&object_id={user.id}")
    assert "2 voci" in page
    page = entries("object_type=organisation")
    assert "1 voce" in page and "Isola Digitale" in page
    page = entries("person=ALBA")
    assert "2 voci" in page
    page = entries(f"actor_id={admin.id}")
    assert (
        "2 voci" in page and "Sono mostrate solo le modifiche fatte da Alba Amministratrice" in page
    )
    page = entries("person=nessuno")
    assert "Nessuna voce corrisponde a questi filtri." in page

    first = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id))
    day = local_date(first)
    total = db.session.query(AuditEntry).count()
    page = entries(f"date_from={day}&date_to={day}")
    assert f"{total} voci" in page
    page = entries(f"date_from={day + dt.timedelta(days=1)}")
    assert "Nessuna voce" in page
    page = entries(f"date_to={day - dt.timedelta(days=1)}")
    assert "Nessuna voce" in page
    resp = client.get(
        f"/admin/registro-modifiche/?date_from={day}&date_to={day - dt.timedelta(days=1)}"
    )
    assert resp.status_code == 422
    assert "La data di fine è precedente a quella di inizio." in resp.get_data(as_text=True)


def test_local_days_are_europe_rome():
    assert local_day_start(dt.date(2025, 1, 15)) == dt.datetime(2025, 1, 14, 23, tzinfo=dt.UTC)
    assert local_day_start(dt.date(2025, 7, 15)) == dt.datetime(2025, 7, 14, 22, tzinfo=dt.UTC)


def test_pagination_newest_first(login_as, make):
    admin = make.user(Role.ADMIN)
    for i in range(55):
        services.set_locale(admin, "en" if i % 2 == 0 else "it")
    db.session.commit()
    client = login_as(admin)
    client.post("/lingua", data={"locale": "it", "next": "/"})
    page1 = client.get("/admin/registro-modifiche/?action=user.locale").get_data(as_text=True)
    assert "pagina 1 di 2" in page1
    page2 = client.get("/admin/registro-modifiche/?action=user.locale&page=2").get_data(
        as_text=True
    )
    assert "action=user.locale" in page1 and page2.count("<tr>") < page1.count("<tr>")


def test_non_admins_get_403(login_as, make):
    for role in (Role.COORDINATOR, Role.TRAINEE, Role.REFERENT):
        client = login_as(make.user(role))
        assert client.get("/admin/registro-modifiche/").status_code == 403
        assert client.get("/api/v1/audit").status_code == 403
        client.post("/esci")


def test_no_route_changes_or_deletes_audit_entries(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/admin/registro-modifiche", "/api/v1/audit")):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_orm_refuses_update_and_delete(app, history):
    entry = db.session.scalar(select(AuditEntry))
    entry.action = "forged"
    with pytest.raises(AuditIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    entry = db.session.scalar(select(AuditEntry))
    db.session.delete(entry)
    with pytest.raises(AuditIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_database_refuses_raw_update_and_delete(app, history):
    count = db.session.query(AuditEntry).count()
    with pytest.raises(DBAPIError):
        db.session.execute(text("UPDATE audit_entries SET action = 'forged'"))
    db.session.rollback()
    with pytest.raises(DBAPIError):
        db.session.execute(text("DELETE FROM audit_entries"))
    db.session.rollback()
    # Bulk statements skip the ORM events: the database triggers stop them too.
    with pytest.raises(DBAPIError):
        db.session.execute(update(AuditEntry).values(reason="forged"))
    db.session.rollback()
    with pytest.raises(DBAPIError):
        db.session.execute(delete(AuditEntry))
    db.session.rollback()
    assert db.session.query(AuditEntry).count() == count
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "forged")) is None


def test_api_lists_and_filters(login_as, history):
    admin, _org, user = history
    client = login_as(admin)
    body = client.get("/api/v1/audit?per_page=2").json
    assert body["total"] == 4 and len(body["items"]) == 2 and body["pages"] == 2
    ids = [i["id"] for i in body["items"]]
    assert ids == sorted(ids, reverse=True)
    body = client.get(f"/api/v1/audit?object_type=user&object_id={user.id}&action=user.update").json
    assert body["total"] == 1
    item = body["items"][0]
    assert item["actor_id"] == admin.id
    assert item["before"]["full_name"] == "Bruno Bianchi"
    assert item["after"]["full_name"] == "Bruno Neri"
    assert client.get(f"/api/v1/audit?actor_id={admin.id}").json["total"] == 2
    day = local_date(db.session.scalar(select(AuditEntry)))
    assert client.get(f"/api/v1/audit?from={day}&to={day}").json["total"] == 4
    assert client.get(f"/api/v1/audit?from={day + dt.timedelta(days=1)}").json["total"] == 0
    resp = client.get(f"/api/v1/audit?from={day}&to={day - dt.timedelta(days=1)}")
    assert resp.status_code == 422 and "to" in resp.json["error"]["fields"]
    resp = client.get("/api/v1/audit?from=yesterday")
    assert resp.status_code == 422 and "from" in resp.json["error"]["fields"]
    assert client.delete("/api/v1/audit").status_code == 405


def test_a_huge_actor_id_is_ignored_not_overflowed(login_as, history):
    admin, _org, _user = history
    resp = login_as(admin).get("/admin/registro-modifiche/?actor_id=25502669874884567040")
    assert resp.status_code == 200
