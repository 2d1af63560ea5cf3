"""Verification codes of issued documents: easy to read aloud and to type, hard to guess.

A code is 15 random symbols and one check symbol, shown in four groups of four
(``K7QM-3XRT-9HWC-P4NE``). The alphabet has 31 symbols: the digits 2-9 and the capital
letters without I, L and O, so no two symbols look alike (no 0/O, 1/I/L). 31^15 is about
2.3 * 10^22 (74 bits): a code cannot be guessed. The check symbol is a weighted sum modulo 31
(a prime), with weights 1, 2, ... n: it catches every single mistyped symbol and every swap
of two neighbouring symbols.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# 31 symbols: a prime modulus is what makes the check symbol catch every single mistake.
BODY_LENGTH = 15
GROUP = 4


class CodeError(ValueError):
    """A typed code that cannot be one of ours; `reason` is one of the REASONS keys."""

    def __init__(self, reason: str, position: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.position = position  # 1-based, for "character 7 is not used in codes"


REASONS = ("empty", "length", "symbol", "check")


def _check_symbol(body: str) -> str:
    total = sum((i + 1) * ALPHABET.index(ch) for i, ch in enumerate(body))
    return ALPHABET[(-total) % 31]


def new_code() -> str:
    """A fresh random code, grouped for display."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return group(body + _check_symbol(body))


def group(compact: str) -> str:
    return "-".join(compact[i : i + GROUP] for i in range(0, len(compact), GROUP))


def normalise(typed: str) -> str:
    """The grouped code a person meant, or CodeError saying what is wrong with what they typed.

    Spaces, dashes and dots are ignored and lower case is accepted; a symbol that codes never
    use (0, 1, I, L, O) is reported with its position rather than guessed."""
    compact = "".join(ch for ch in (typed or "").upper() if ch not in " -.\t\u00a0")
    if not compact:
        raise CodeError("empty")
    for pos, ch in enumerate(compact, start=1):
        if ch not in ALPHABET:
            raise CodeError("symbol", pos)
    if len(compact) != BODY_LENGTH + 1:
        raise CodeError("length")
    if _check_symbol(compact[:-1]) != compact[-1]:
        raise CodeError("check")
    return group(compact)


def is_valid(typed: str) -> bool:
    try:
        normalise(typed)
    except CodeError:
        return False
    return True
