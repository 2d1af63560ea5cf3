"""`flask lms create-admin` creates an administrator who sets a password through the link."""

from lms.accounts.models import Role
from lms.accounts.services import get_user_by_email


def test_create_admin_prints_working_link(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lms", "create-admin", "Capo@Example.org", "Anna Capo"])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    path = link.split("127.0.0.1:5000", 1)[1]
    user = get_user_by_email("capo@example.org")
    assert user.has_role(Role.ADMIN) and user.password_hash is None
    resp = client.post(
        path, data={"new_password": "una-password-sicura", "confirm": "una-password-sicura"}
    )
    assert resp.status_code == 303
    assert (
        client.post(
            "/accesso", data={"email": "capo@example.org", "password": "una-password-sicura"}
        ).status_code
        == 303
    )


def test_create_admin_refuses_bad_email_and_non_admin(app, make):
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["lms", "create-admin", "not-an-email", "X"])
    assert bad.exit_code == 1
    trainee = make.user(Role.TRAINEE)
    other = runner.invoke(args=["lms", "create-admin", trainee.email, "X"])
    assert other.exit_code == 1


def test_cli_acts_as_the_system_account(app, make):
    """create-admin and token create write audit entries naming the built-in account."""
    from sqlalchemy import select

    from lms.accounts.models import SYSTEM_EMAIL
    from lms.audit.models import AuditEntry
    from lms.db import db

    runner = app.test_cli_runner()
    assert runner.invoke(args=["lms", "create-admin", "capo@example.org", "Anna"]).exit_code == 0
    trainee = make.user(Role.TRAINEE)
    result = runner.invoke(args=["lms", "token", "create", trainee.email])
    assert result.exit_code == 0 and result.output.strip().startswith("lms_")
    system = get_user_by_email(SYSTEM_EMAIL)
    entries = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action.in_(["user.create", "user.password_link", "api_token.create"])
        )
    ).all()
    by_action = {(e.action, e.actor_id) for e in entries if e.client_address == "cli"}
    assert by_action == {
        ("user.create", system.id),
        ("user.password_link", system.id),
        ("api_token.create", system.id),
    }
    # The system account itself is no login and gets no token.
    assert runner.invoke(args=["lms", "token", "create", SYSTEM_EMAIL]).exit_code == 1
    assert runner.invoke(args=["lms", "create-admin", SYSTEM_EMAIL, "X"]).exit_code == 1
