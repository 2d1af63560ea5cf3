"""Automatic scoring, including partial credit, numeric tolerance and rubric totals."""

from decimal import Decimal as D

import pytest

from assessments.scoring import (
    ChoiceKey,
    PartialCredit,
    QuestionType,
    parse_number,
    rubric_score,
    score_choices,
    score_numeric,
    score_text,
    weighted_result,
)

CHOICES = [ChoiceKey(1, True), ChoiceKey(2, True), ChoiceKey(3, False), ChoiceKey(4, True)]


def test_single_choice():
    keys = [ChoiceKey(1, False), ChoiceKey(2, True)]
    assert score_choices(QuestionType.SINGLE, D(2), keys, {2}) == D("2.00")
    assert score_choices(QuestionType.SINGLE, D(2), keys, {1}) == D("0.00")
    assert score_choices(QuestionType.SINGLE, D(2), keys, {1, 2}) == D("0.00")
    assert score_choices(QuestionType.SINGLE, D(2), keys, set()) == D("0.00")


def test_true_false_ignores_unknown_ids():
    keys = [ChoiceKey(10, True), ChoiceKey(11, False)]
    assert score_choices(QuestionType.TRUE_FALSE, D(1), keys, {10, 99}) == D("1.00")


def test_multiple_all_or_nothing():
    rule = PartialCredit.ALL_OR_NOTHING
    assert score_choices(QuestionType.MULTIPLE, D(3), CHOICES, {1, 2, 4}, rule) == D("3.00")
    assert score_choices(QuestionType.MULTIPLE, D(3), CHOICES, {1, 2}, rule) == D("0.00")


@pytest.mark.parametrize(
    ("selected", "expected"),
    [
        ({1, 2, 4}, "3.00"),  # all right
        ({1, 2}, "2.00"),  # two of three right
        ({1}, "1.00"),
        ({1, 3}, "0.00"),  # one right, one wrong
        ({1, 2, 3}, "1.00"),  # two right, one wrong
        ({3}, "0.00"),  # never below zero
        (set(), "0.00"),
        ({1, 2, 3, 4}, "2.00"),  # ticking everything is not full marks
    ],
)
def test_multiple_right_minus_wrong(selected, expected):
    got = score_choices(
        QuestionType.MULTIPLE, D(3), CHOICES, selected, PartialCredit.RIGHT_MINUS_WRONG
    )
    assert got == D(expected)


def test_partial_credit_rounds_to_cents():
    keys = [ChoiceKey(1, True), ChoiceKey(2, True), ChoiceKey(3, True)]
    got = score_choices(QuestionType.MULTIPLE, D(1), keys, {1}, PartialCredit.RIGHT_MINUS_WRONG)
    assert got == D("0.33")


def test_short_text_normalised():
    accepted = ["collocamento mirato", "Collocamento  Mirato dei disabili"]
    assert score_text(D(1), accepted, "  COLLOCAMENTO mirato ") == D("1.00")
    assert score_text(D(1), accepted, "collocamento") == D("0.00")
    assert score_text(D(1), accepted, "") == D("0.00")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("15", D(15)),
        ("7,5", D("7.5")),
        ("1.234,5", D("1234.5")),
        ("1,234.5", D("1234.5")),
        ("abc", None),
        ("", None),
        ("NaN", None),
        ("inf", None),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_numeric_tolerance():
    assert score_numeric(D(2), D(7), D("0.5"), "7,4") == D("2.00")
    assert score_numeric(D(2), D(7), D("0.5"), "7.5") == D("2.00")
    assert score_numeric(D(2), D(7), D("0.5"), "7.51") == D("0.00")
    assert score_numeric(D(2), D(7), D(0), "sette") == D("0.00")


def test_rubric_and_weighted_result():
    assert rubric_score([D(4), D("2.5"), D(0)]) == D("6.50")
    # 80% with weight 1 and 50% with weight 3 -> 57.5%
    assert weighted_result([(D(8), D(10), D(1)), (D(5), D(10), D(3))]) == D("57.50")
    assert weighted_result([]) is None
