"""In-app notifications: services, the owner-only rule, the e-mail copy, the dossier notices."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certificates.models import DossierState
from certificates.services import dossiers
from certificates.services.notify import after_transition
from lms.accounts.models import Role, User
from lms.db import db
from lms.errors import NotFound
from lms.mail.models import OutgoingMail
from lms.notifications import services
from lms.notifications.models import Notification
from tests.mailbox import outbox_messages, text_of

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def _notice(user, n=1, **kw):
    rows = [
        services.notify_in_app(
            user,
            "test.notice",
            _l("Dossier %(number)d submitted for assessment", number=i),
            email=kw.get("email", False),
            now=NOW + dt.timedelta(minutes=i),
        )
        for i in range(1, n + 1)
    ]
    db.session.commit()
    return rows


def test_unread_count_list_and_mark_read_are_the_owners(app, make):
    me, other = make.user(Role.TRAINEE), make.user(Role.TRAINEE)
    mine = _notice(me, 3)
    theirs = _notice(other, 1)[0]
    assert services.unread_count(me) == 3
    listed = db.session.scalars(services.list_for(me)).all()
    assert [n.id for n in listed] == [n.id for n in reversed(mine)]  # newest first
    services.mark_read(me, mine[0], now=NOW)
    db.session.commit()
    assert services.unread_count(me) == 2
    assert len(db.session.scalars(services.list_for(me, unread_only=True)).all()) == 2
    with pytest.raises(NotFound):
        services.mark_read(me, theirs)
    assert theirs.read_at is None
    assert services.mark_all_read(me, now=NOW) == 2
    db.session.commit()
    assert services.unread_count(me) == 0
    assert services.unread_count(other) == 1


def test_the_text_is_stored_as_msgid_and_shown_in_the_readers_language(app, make):
    reader = make.user(Role.ASSESSOR)
    row = _notice(reader)[0]
    assert row.title == "Dossier %(number)d submitted for assessment"
    assert row.params == {"number": 1}
    with force_locale("it"):
        assert services.title_of(row) == "Dossier 1 inviato per la valutazione"
    with force_locale("en"):
        assert services.title_of(row) == "Dossier 1 submitted for assessment"


def test_an_email_copy_leaves_through_the_outbox_after_the_commit(app, make):
    reader = make.user(Role.ASSESSOR, locale="it")
    services.notify_in_app(
        reader,
        "test.notice",
        _l("Dossier %(number)d submitted for assessment", number=7),
        _l("Comments: %(comment)s", comment="manca un documento"),
        now=NOW,
    )
    assert outbox_messages(app.config["MAIL_OUTBOX"]) == []  # nothing before the commit
    db.session.commit()
    sent = outbox_messages(app.config["MAIL_OUTBOX"])
    assert len(sent) == 1
    assert sent[0]["To"] == reader.email
    assert sent[0]["Subject"] == "Dossier 7 inviato per la valutazione"
    body = text_of(sent[0])
    assert "Osservazioni: manca un documento" in body
    assert "/notifiche" in body  # no dossier link given: the notifications page


def test_no_email_copy_when_asked_not_to(app, make):
    reader = make.user(Role.ASSESSOR)
    _notice(reader, email=False)
    assert db.session.scalars(select(OutgoingMail)).all() == []


def _by_kind(user) -> list[str]:
    return [n.kind for n in db.session.scalars(services.list_for(user))]


def test_the_experts_are_told_of_a_submission_and_the_candidate_of_a_return(app, make):
    dossier = make.dossier(state=DossierState.SUBMITTED)  # submitted through the service
    db.session.commit()
    candidate = db.session.get(User, dossier.candidate_id)
    method = db.session.get(User, dossier.method_expert_id)
    content = db.session.get(User, dossier.content_expert_id)
    assert _by_kind(method) == ["dossier.submitted"]
    assert _by_kind(content) == ["dossier.submitted"]
    assert _by_kind(candidate) == []
    dossiers.return_to_identification(method, dossier, "Aggiungi la lettera del datore.")
    db.session.commit()
    assert _by_kind(candidate) == ["dossier.returned"]
    row = db.session.scalars(services.list_for(candidate)).first()
    assert row.params["comment"] == "Aggiungi la lettera del datore."
    assert row.link_args == {"dossier_id": dossier.id}
    assert len(_by_kind(method)) == 1  # the expert who returned it is not told again


def test_the_candidate_is_told_of_the_decision(app, make):
    dossier = make.dossier(state=DossierState.SUBMITTED)
    db.session.commit()
    candidate = db.session.get(User, dossier.candidate_id)
    method = db.session.get(User, dossier.method_expert_id)
    after_transition(method, dossier, DossierState.DECIDED)  # the hook's rule for "decided"
    assert _by_kind(candidate) == ["dossier.decided"]
    after_transition(method, dossier, DossierState.UNDER_ASSESSMENT)  # nobody is told of it
    assert _by_kind(candidate) == ["dossier.decided"]


def _dossier_kinds(user) -> list[str]:
    """The dossiers' notices only (a released grade notifies its trainee too)."""
    return [k for k in _by_kind(user) if k.startswith("dossier.")]


def test_the_demo_notifies_through_the_transition_hook(app):
    """Every transition calls the hook, so the demo's transitions notify people."""
    from lms.accounts.services import get_user_by_email

    result = app.test_cli_runner().invoke(args=["lms", "demo"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    corsista1 = get_user_by_email("corsista1@demo.example")
    corsista7 = get_user_by_email("corsista7@demo.example")
    valutatore2 = get_user_by_email("valutatore2@demo.example")
    assert sorted(_dossier_kinds(corsista1)) == ["dossier.decided", "dossier.issued"]  # issue 9
    assert _dossier_kinds(corsista7) == ["dossier.returned"]
    # corsista1, 5, 6, 7, 9 and 10 submitted, and corsista4 and 11 (the revocation and reissue
    # demo, certificates/demo_documents.py): each expert is told eight times
    assert _dossier_kinds(valutatore2) == ["dossier.submitted"] * 8
    assert db.session.scalar(select(Notification.id).limit(1)) is not None
