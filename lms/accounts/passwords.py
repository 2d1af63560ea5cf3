"""Argon2id password hashing with parameters from the configuration, and the rules a password
a person chooses must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

MIN_LENGTH = 12
MAX_LENGTH = 200
# zxcvbn's score (0-4) below which a password is too easy to guess (under about 10^8 guesses).
MIN_SCORE = 3
_ESTIMATE_CHARS = 100  # zxcvbn slows down on long inputs; the first 100 characters decide


def password_problems(
    password: str, *, name: str = "", email: str = "", current_hash: str | None = None
) -> list[str]:
    """What is wrong with a password a person chooses (empty when it is acceptable): at least
    MIN_LENGTH characters; not in the common-password list bundled with zxcvbn (30,000 most
    used passwords) nor easy to guess by its estimate; without the person's name or the
    local part of their email; not the current password."""
    from flask_babel import gettext as _
    from zxcvbn import zxcvbn
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    password = password or ""
    if len(password) < MIN_LENGTH:
        return [_("The password must be at least %(n)d characters long.", n=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_("The password must be at most %(n)d characters long.", n=MAX_LENGTH)]
    problems = []
    lowered = password.casefold()
    personal = [w for w in (name or "").casefold().split() if len(w) >= 3]
    local = (email or "").casefold().split("@")[0]
    if len(local) >= 3:
        personal.append(local)
    if any(word in lowered for word in personal):
        problems.append(_("The password must not contain your name or your email address."))
    if lowered in _common_passwords(FREQUENCY_LISTS) or (
        zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=personal)["score"] < MIN_SCORE
    ):
        problems.append(
            _(
                "This password is too common or too easy to guess: use a longer phrase of "
                "unrelated words, or mix words, numbers and symbols."
            )
        )
    if current_hash and verify_password(current_hash, password):
        problems.append(_("The new password must be different from the current one."))
    return problems


_COMMON: frozenset[str] | None = None


def _common_passwords(lists) -> frozenset[str]:
    global _COMMON
    if _COMMON is None:
        _COMMON = frozenset(lists["passwords"])
    return _COMMON


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_COST"])


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return _hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when the password matches the stored hash."""
    if not stored:
        # Spend about the same time as a real check so timing does not reveal the account.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when the stored hash uses older parameters."""
    return _hasher().check_needs_rehash(stored)
