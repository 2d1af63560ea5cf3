"""Verification codes: format, alphabet, and the check symbol catching typing mistakes."""

import pytest

from certificates import codes


def test_a_new_code_is_four_groups_of_four_unambiguous_symbols():
    code = codes.new_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4, 4]
    assert set(code.replace("-", "")) <= set(codes.ALPHABET)
    assert not set("01ILO") & set(code)
    assert codes.normalise(code) == code


def test_codes_differ():
    assert len({codes.new_code() for _ in range(500)}) == 500


def test_typing_variants_are_accepted():
    code = codes.new_code()
    assert codes.normalise(" " + code.lower().replace("-", " ") + " ") == code
    assert codes.normalise(code.replace("-", "")) == code


def test_every_single_substitution_and_neighbour_swap_is_caught():
    compact = codes.new_code().replace("-", "")
    for i, original in enumerate(compact):
        for symbol in codes.ALPHABET:
            if symbol != original:
                typo = compact[:i] + symbol + compact[i + 1 :]
                with pytest.raises(codes.CodeError) as err:
                    codes.normalise(typo)
                assert err.value.reason == "check"
    for i in range(len(compact) - 1):
        if compact[i] != compact[i + 1]:
            swapped = compact[:i] + compact[i + 1] + compact[i] + compact[i + 2 :]
            assert not codes.is_valid(swapped)


@pytest.mark.parametrize(
    ("typed", "reason", "position"),
    [
        ("", "empty", None),
        ("  - ", "empty", None),
        ("ABCD-EFGH", "length", None),
        ("ABCD-EFGH-JKMN-PQ0S", "symbol", 15),
        ("1BCD", "symbol", 1),
    ],
)
def test_what_is_wrong_is_said(typed, reason, position):
    with pytest.raises(codes.CodeError) as err:
        codes.normalise(typed)
    assert (err.value.reason, err.value.position) == (reason, position)
