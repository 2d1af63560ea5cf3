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
