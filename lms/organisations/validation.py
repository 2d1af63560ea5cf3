"""Italian tax identifiers: partita IVA (11 digits) and codice fiscale (16 characters)."""

from __future__ import annotations

import re

_ODD = {
    **dict(zip("0123456789", [1, 0, 5, 7, 9, 13, 15, 17, 19, 21], strict=True)),
    **dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            [
                1,
                0,
                5,
                7,
                9,
                13,
                15,
                17,
                19,
                21,
                2,
                4,
                18,
                20,
                11,
                3,
                6,
                8,
                12,
                14,
                16,
                10,
                22,
                25,
                24,
                23,
            ],
            strict=True,
        )
    ),
}
_EVEN = {**{str(d): d for d in range(10)}, **{chr(65 + i): i for i in range(26)}}


def normalise(code: str) -> str:
    """Upper case, no spaces, no 'IT' country prefix on a partita IVA."""
    code = re.sub(r"\s+", "", code or "").upper()
    if len(code) == 13 and code.startswith("IT") and code[2:].isdigit():
        code = code[2:]
    return code


def is_valid_partita_iva(code: str) -> bool:
    """Check an 11-digit partita IVA with its Luhn-style check digit."""
    if not re.fullmatch(r"[0-9]{11}", code) or code == "0" * 11:
        return False
    total = 0
    for i, ch in enumerate(code[:10]):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10 == int(code[10])


def is_valid_codice_fiscale(code: str) -> bool:
    """Check a 16-character personal codice fiscale with its control letter."""
    if not re.fullmatch(
        r"[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]", code
    ):
        return False
    total = sum(_ODD[c] if i % 2 == 0 else _EVEN[c] for i, c in enumerate(code[:15]))
    return chr(65 + total % 26) == code[15]


def is_valid_tax_code(code: str) -> bool:
    """A company's partita IVA / numeric codice fiscale, or a sole trader's codice fiscale."""
    return is_valid_partita_iva(code) or is_valid_codice_fiscale(code)


def make_partita_iva(first_ten: str) -> str:
    """Complete ten digits with their check digit (used by the demo and tests)."""
    total = 0
    for i, ch in enumerate(first_ten):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return first_ten + str((10 - total % 10) % 10)
