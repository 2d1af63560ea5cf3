"""The users CSV import service: parsing, checking every row, importing only clean files."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.accounts import importing
from lms.accounts.importing import decode_upload, import_users, parse_users_csv
from lms.accounts.models import Role, User
from lms.accounts.services import system_actor
from lms.audit.models import AuditEntry
from lms.db import db
from lms.errors import ValidationFailed
from lms.organisations.services import update_organisation

HEADER = "email,full_name,roles,organisation,locale\n"


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def errors_of(report, line: int) -> list[str]:
    return next(r.errors for r in report.rows if r.line == line)


def test_clean_file_is_ok_and_normalised(app, make):
    org = make.organisation(name="Navigli Logistica S.r.l.")
    text = HEADER + (
        "Giulia.Esempio@Example.org, Giulia  Esempio ,trainee,Navigli Logistica S.r.l.,it\n"
        f'marco@example.org,Marco Prova,"trainee,referent",{org.tax_code},EN\n'
        "anna@example.org,Anna Docente,docente|valutatore,,\n"
    )
    report = parse_users_csv(text)
    assert report.ok, [r.errors for r in report.rows] + report.file_errors
    assert [r.line for r in report.rows] == [2, 3, 4]
    first, second, third = (r.data for r in report.rows)
    assert first["email"] == "giulia.esempio@example.org"
    assert first["full_name"] == "Giulia Esempio"
    assert first["organisation_id"] == str(org.id)
    assert second["roles"] == "referent|trainee" and second["locale"] == "en"
    assert second["organisation"] == "Navigli Logistica S.r.l."
    assert third["roles"] == "assessor|trainer" and third["locale"] == "it"
    assert third["organisation_id"] == ""


def test_bom_and_semicolons(app, make):
    org = make.organisation(name="Lambro Meccanica S.r.l.")
    data = (
        "\ufeffemail;full_name;roles;organisation\r\n"
        "uno@example.org;Uno Prova;corsista;Lambro Meccanica S.r.l.\r\n"
        "due@example.org;Due Prova;trainee,referent;lambro meccanica s.r.l.\r\n"
    ).encode()
    report = parse_users_csv(decode_upload(data))
    assert report.ok, [r.errors for r in report.rows] + report.file_errors
    assert len(report.rows) == 2
    assert {r.data["organisation_id"] for r in report.rows} == {str(org.id)}


def test_header_aliases_in_italian(app):
    text = "E-mail;Nome;Ruoli;Lingua\nx@example.org;X Prova;corsista;it\n"
    report = parse_users_csv(text)
    assert report.ok, report.file_errors


def test_every_reason_of_a_bad_row_is_listed(app, make):
    make.user(Role.TRAINEE, email="esiste@example.org")
    text = HEADER + (
        "ok@example.org,Persona Giusta,trainee,,\n"
        "not-an-email,,wizard|trainee,Ditta Inesistente,fr\n"
        "esiste@example.org,Già Presente,trainee,,\n"
        "\n"
        "referente@example.org,Referente Senza Azienda,referent,,\n"
        "ok@example.org,Doppione,trainee,,\n"
    )
    report = parse_users_csv(text)
    assert not report.ok
    assert errors_of(report, 2) == [
        "L'indirizzo email ok@example.org compare più volte nel file (righe 2, 7)."
    ]
    bad = " ".join(errors_of(report, 3))
    assert 'L\'indirizzo email "not-an-email" non è valido.' in bad
    assert "Manca il nome e cognome." in bad
    assert 'Ruolo sconosciuto "wizard"' in bad
    assert 'Organizzazione sconosciuta "Ditta Inesistente"' in bad
    assert 'Lingua sconosciuta "fr"' in bad
    assert len(errors_of(report, 3)) == 5
    assert errors_of(report, 4) == [
        "Esiste già un account con l'indirizzo email esiste@example.org."
    ]
    # The blank line 5 is skipped but still counted.
    assert "deve appartenere a un'organizzazione" in errors_of(report, 6)[0]
    assert "compare più volte" in errors_of(report, 7)[0]
    assert [r.line for r in report.bad_rows] == [2, 3, 4, 6, 7]


def test_missing_and_unknown_columns_are_file_errors(app):
    report = parse_users_csv("email,nome_azienda\nx@example.org,ACME\n")
    assert not report.ok and not report.rows
    text = " ".join(report.file_errors)
    assert "nome_azienda" in text and "full_name" in text and "roles" in text


def test_empty_and_header_only_files(app):
    assert parse_users_csv("").file_errors == ["Il file è vuoto."]
    report = parse_users_csv(HEADER)
    assert len(report.file_errors) == 1 and "nessuna riga" in report.file_errors[0]


def test_wrong_number_of_fields(app):
    report = parse_users_csv(HEADER + "a@example.org,A Prova,trainee,,it,extra\n")
    assert "6 campi" in errors_of(report, 2)[0]


def test_quoted_field_over_two_lines_keeps_line_numbers(app):
    text = HEADER + 'a@example.org,"A\nProva",trainee,,\nb@example.org,B,wizard,,\n'
    report = parse_users_csv(text)
    assert [r.line for r in report.rows] == [2, 4]
    assert report.rows[0].data["full_name"] == "A Prova"
    assert report.bad_rows[0].line == 4


def test_deactivated_organisation_is_refused(app, make):
    org = make.organisation(name="Chiusa S.r.l.")
    update_organisation(
        system_actor(),
        org,
        name=org.name,
        tax_code=org.tax_code,
        sector=org.sector,
        size_band=org.size_band,
        active=False,
    )
    db.session.commit()
    report = parse_users_csv(HEADER + "a@example.org,A Prova,trainee,Chiusa S.r.l.,\n")
    assert "è disattivata" in errors_of(report, 2)[0]


def test_row_limit(app, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    rows = "".join(f"p{i}@example.org,P {i},trainee,,\n" for i in range(4))
    report = parse_users_csv(HEADER + rows)
    assert not report.ok and not report.rows
    assert "più di 3 righe" in report.file_errors[0]
    assert parse_users_csv(HEADER + rows.split("\n", 1)[1]).ok


def test_decode_upload_refuses_large_and_non_utf8(app):
    with pytest.raises(ValidationFailed) as big:
        decode_upload(b"x" * (importing.MAX_BYTES + 1))
    assert "1 MB" in big.value.fields["file"][0]
    with pytest.raises(ValidationFailed) as latin:
        decode_upload("email\nnoè@example.org".encode("latin-1"))
    assert "UTF-8" in latin.value.message
    assert decode_upload("\ufeffemail".encode()) == "email"


def test_import_creates_exactly_the_rows_with_audit(app, make):
    admin = make.user(Role.ADMIN)
    org = make.organisation()
    before = user_count()
    report = parse_users_csv(
        HEADER
        + f"a@example.org,A Prova,referent,{org.name},en\n"
        + "b@example.org,B Prova,trainee,,\n"
    )
    created = import_users(admin, report)
    db.session.commit()
    assert user_count() == before + 2
    a = next(u for u in created if u.email == "a@example.org")
    assert a.roles == {Role.REFERENT} and a.organisation_id == org.id and a.locale == "en"
    assert all(u.password_hash is None for u in created)
    audited = db.session.scalars(
        select(AuditEntry.object_id).where(
            AuditEntry.action == "user.create", AuditEntry.actor_id == admin.id
        )
    ).all()
    assert sorted(audited) == sorted(str(u.id) for u in created)


def test_import_refuses_a_report_with_errors(app, make):
    admin = make.user(Role.ADMIN)
    before = user_count()
    report = parse_users_csv(HEADER + "a@example.org,A,trainee,,\nb@example.org,B,wizard,,\n")
    with pytest.raises(ValidationFailed):
        import_users(admin, report)
    db.session.rollback()
    assert user_count() == before
