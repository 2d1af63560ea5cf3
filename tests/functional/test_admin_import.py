"""CSV import of users through the pages: preview first, import only a clean file."""

from __future__ import annotations

import html
import io
import re

from sqlalchemy import func, select

from lms.accounts.importing import MAX_BYTES
from lms.accounts.models import Role, User
from lms.accounts.services import get_user_by_email
from lms.audit.models import AuditEntry
from lms.db import db

CLEAN = (
    "email,full_name,roles,organisation,locale\n"
    "giulia@example.org,Giulia Esempio,trainee,{org},it\n"
    "marco@example.org,Marco Prova,trainee|referent,{org},en\n"
    "anna@example.org,Anna Docente,trainer,,\n"
)


def upload(client, content: str | bytes, name: str = "persone.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        "/admin/utenti/importa",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def payload_of(page: str) -> str:
    match = re.search(r'name="payload" type="hidden" value="([^"]+)"', page)
    assert match, page
    return html.unescape(match.group(1))


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_clean_file_imports_exactly_n_users(login_as, make):
    admin = make.user(Role.ADMIN)
    org = make.organisation(name="Sempione Retail S.p.A.")
    client = login_as(admin)
    assert "Come preparare il file" in client.get("/admin/utenti/importa").get_data(as_text=True)
    before = user_count()

    resp = upload(client, CLEAN.format(org=org.name))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Importa 3 utenti" in page
    assert page.count("Pronta") == 3
    assert user_count() == before  # the preview writes nothing

    resp = client.post("/admin/utenti/importa/conferma", data={"payload": payload_of(page)})
    assert resp.status_code == 303
    assert "access=pending" in resp.headers["Location"]
    assert user_count() == before + 3
    marco = get_user_by_email("marco@example.org")
    assert marco.roles == {Role.TRAINEE, Role.REFERENT}
    assert marco.organisation_id == org.id and marco.locale == "en"
    assert marco.password_hash is None
    created = db.session.scalar(
        select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "user.create", AuditEntry.actor_id == admin.id
        )
    )
    assert created == 3
    listing = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "3 account importati" in listing and "Marco Prova" in listing


def test_file_with_a_bad_row_imports_nothing_and_lists_reasons(login_as, make):
    admin = make.user(Role.ADMIN)
    make.user(Role.TRAINEE, email="esiste@example.org")
    client = login_as(admin)
    before = user_count()
    content = (
        "email,full_name,roles,organisation,locale\n"
        "buona@example.org,Persona Buona,trainee,,\n"
        "sbagliata,,capo,Ditta Fantasma,\n"
        "esiste@example.org,Già Presente,trainee,,\n"
    )
    resp = upload(client, content)
    page = html.unescape(resp.get_data(as_text=True))
    assert resp.status_code == 422
    assert "2 righe contengono errori. Nessuno è stato importato." in page
    assert "Riga 3" in page and "Riga 4" in page and "Riga 2" not in page
    assert 'L\'indirizzo email "sbagliata" non è valido.' in page
    assert 'Ruolo sconosciuto "capo"' in page
    assert 'Organizzazione sconosciuta "Ditta Fantasma"' in page
    assert "Manca il nome e cognome." in page
    assert "Esiste già un account con l'indirizzo email esiste@example.org." in page
    assert 'name="payload"' not in page and "/importa/conferma" not in page
    assert user_count() == before


def test_bom_and_semicolons_work(login_as, make):
    admin = make.user(Role.ADMIN)
    org = make.organisation(name="Cooperativa Il Ponte")
    client = login_as(admin)
    content = (
        "\ufeffemail;full_name;roles;organisation\r\n"
        f"uno@example.org;Uno Prova;corsista;{org.tax_code}\r\n"
        "due@example.org;Due Prova;trainee,referent;Cooperativa Il Ponte\r\n"
    ).encode()
    resp = upload(client, content)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200, page
    resp = client.post("/admin/utenti/importa/conferma", data={"payload": payload_of(page)})
    assert resp.status_code == 303
    assert get_user_by_email("uno@example.org").organisation_id == org.id
    assert get_user_by_email("due@example.org").roles == {Role.TRAINEE, Role.REFERENT}


def test_duplicate_emails_in_file_are_caught(login_as, make):
    client = login_as(make.user(Role.ADMIN))
    content = (
        "email,full_name,roles\n"
        "stessa@example.org,Prima,trainee\n"
        "altra@example.org,Altra,trainee\n"
        "Stessa@Example.org,Seconda,trainee\n"
    )
    resp = upload(client, content)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert page.count("compare più volte nel file (righe 2, 4)") >= 2
    assert get_user_by_email("stessa@example.org") is None


def test_file_errors_and_limits(login_as, make):
    client = login_as(make.user(Role.ADMIN))
    resp = upload(client, "nome;cognome\nMario;Rossi\n")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "Colonne mancanti" in page
    resp = upload(client, b"x" * (MAX_BYTES + 10))
    assert resp.status_code == 422 and "più grande di 1 MB" in resp.get_data(as_text=True)
    resp = upload(client, "email,full_name,roles\nnoè@example.org,Noè,trainee\n".encode("latin-1"))
    assert resp.status_code == 422 and "UTF-8" in resp.get_data(as_text=True)
    resp = client.post("/admin/utenti/importa", data={}, content_type="multipart/form-data")
    assert resp.status_code == 422 and "Scegli un file CSV" in resp.get_data(as_text=True)


def test_tampered_payload_is_refused(login_as, make):
    client = login_as(make.user(Role.ADMIN))
    page = upload(client, "email,full_name,roles\nok@example.org,Ok,trainee\n").get_data(
        as_text=True
    )
    payload = payload_of(page)
    forged = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    resp = client.post("/admin/utenti/importa/conferma", data={"payload": forged})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/admin/utenti/importa")
    assert get_user_by_email("ok@example.org") is None
    resp = client.post("/admin/utenti/importa/conferma", data={})
    assert resp.status_code == 303


def test_confirm_checks_the_file_again(login_as, make):
    client = login_as(make.user(Role.ADMIN))
    page = upload(client, "email,full_name,roles\nnuovo@example.org,Nuovo,trainee\n").get_data(
        as_text=True
    )
    make.user(Role.TRAINEE, email="nuovo@example.org", full_name="Arrivato Prima")
    before = user_count()
    resp = client.post("/admin/utenti/importa/conferma", data={"payload": payload_of(page)})
    assert resp.status_code == 422
    assert "Esiste già un account" in html.unescape(resp.get_data(as_text=True))
    assert user_count() == before


def test_import_is_admin_only(login_as, make):
    client = login_as(make.user(Role.COORDINATOR))
    assert upload(client, "email,full_name,roles\na@example.org,A,trainee\n").status_code == 403
    assert client.get("/admin/utenti/importa").status_code == 403
