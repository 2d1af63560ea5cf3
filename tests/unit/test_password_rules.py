"""The rules for a password a person chooses (issue 11: weak passwords were accepted)."""

import pytest
from flask_babel import force_locale

from lms.accounts.passwords import hash_password, password_problems


@pytest.mark.parametrize(
    "weak",
    [
        "1234567890",
        "password12",
        "short-pw",
        "123456789012",
        "password1234",
        "qwertyuiop12",
        "aaaaaaaaaaaa",
        "iloveyou1234",
    ],
)
def test_common_short_or_guessable_passwords_are_refused(app, weak):
    with app.test_request_context():
        assert password_problems(weak)


@pytest.mark.parametrize(
    "good", ["correct horse battery", "scelta-da-me-1", "Navigli tram 19 giallo", "v8#Kq2!mZp4w"]
)
def test_strong_passwords_pass(app, good):
    with app.test_request_context():
        assert password_problems(good, name="Giulia Ferri", email="g.ferri@example.org") == []


def test_the_name_or_email_in_the_password_is_refused(app):
    with app.test_request_context(), force_locale("en"):
        problems = password_problems("ferri-navigli-tram-19", name="Giulia Ferri")
        assert any("name" in p for p in problems)
        problems = password_problems("g.ferri.tram-19-giallo", email="g.ferri@example.org")
        assert any("email" in p for p in problems)


def test_the_current_password_is_refused(app):
    with app.test_request_context(), force_locale("en"):
        current = hash_password("Navigli tram 19 giallo")
        problems = password_problems("Navigli tram 19 giallo", current_hash=current)
        assert any("different" in p for p in problems)
        assert password_problems("Navigli tram 21 verde", current_hash=current) == []


def test_italian_messages(app):
    with app.test_request_context(), force_locale("it"):
        assert password_problems("abc") == ["La password deve avere almeno 12 caratteri."]
