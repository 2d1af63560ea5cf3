"""Automatic scoring of quiz answers and rubric totals: pure functions, no database."""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


class QuestionType(enum.Enum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    SHORT_TEXT = "short_text"
    NUMERIC = "numeric"


class PartialCredit(enum.Enum):
    """How a multiple-choice question gives points when the answer is partly right."""

    ALL_OR_NOTHING = "all_or_nothing"
    # (right choices ticked - wrong choices ticked) / right choices, never below zero.
    RIGHT_MINUS_WRONG = "right_minus_wrong"


TWO_PLACES = Decimal("0.01")


def q2(value: Decimal) -> Decimal:
    """Round points to two decimals, half up."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def normalise_text(text: str) -> str:
    """Compare short answers ignoring case, accents' composition, and extra spaces."""
    text = unicodedata.normalize("NFC", text or "").casefold().strip()
    return re.sub(r"\s+", " ", text)


def parse_number(text: str) -> Decimal | None:
    """Read a number written the Italian (1.234,5) or English (1,234.5) way."""
    raw = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not raw:
        return None
    if "," in raw and "." in raw:
        raw = (
            raw.replace(".", "").replace(",", ".")
            if raw.rfind(",") > raw.rfind(".")
            else raw.replace(",", "")
        )
    else:
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass(frozen=True)
class ChoiceKey:
    id: int
    correct: bool


def score_choices(
    kind: QuestionType,
    points: Decimal,
    choices: list[ChoiceKey],
    selected: set[int],
    rule: PartialCredit = PartialCredit.ALL_OR_NOTHING,
) -> Decimal:
    """Points for a single-choice, true/false or multiple-choice answer."""
    valid = {c.id for c in choices}
    selected = {s for s in selected if s in valid}
    right = {c.id for c in choices if c.correct}
    if kind in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        return q2(points) if len(selected) == 1 and selected <= right else Decimal("0.00")
    if kind is not QuestionType.MULTIPLE:
        raise ValueError(f"not a choice question: {kind}")
    if not right:
        return Decimal("0.00")
    if rule is PartialCredit.ALL_OR_NOTHING:
        return q2(points) if selected == right else Decimal("0.00")
    good = len(selected & right)
    bad = len(selected - right)
    share = max(Decimal(0), Decimal(good - bad) / Decimal(len(right)))
    return q2(points * share)


def score_text(points: Decimal, accepted: list[str], answer: str) -> Decimal:
    """Points for a short answer matched exactly (after normalising) to an accepted answer."""
    given = normalise_text(answer)
    return (
        q2(points)
        if given and any(given == normalise_text(a) for a in accepted)
        else Decimal("0.00")
    )


def score_numeric(points: Decimal, expected: Decimal, tolerance: Decimal, answer: str) -> Decimal:
    """Points for a numeric answer within an absolute tolerance of the expected value."""
    value = parse_number(answer)
    if value is None:
        return Decimal("0.00")
    return q2(points) if abs(value - expected) <= abs(tolerance) else Decimal("0.00")


def rubric_score(levels_chosen: list[Decimal]) -> Decimal:
    """A rubric's score is the sum of the points of the level chosen for each criterion."""
    return q2(sum(levels_chosen, Decimal(0)))


def weighted_result(parts: list[tuple[Decimal, Decimal, Decimal]]) -> Decimal | None:
    """Course result in percent from (score, max points, weight) triples; None with no weight."""
    total_weight = sum((w for _s, m, w in parts if m > 0), Decimal(0))
    if total_weight == 0:
        return None
    value = sum((s / m * 100 * w for s, m, w in parts if m > 0), Decimal(0)) / total_weight
    return q2(value)


def scale(score: Decimal, from_max: Decimal, to_max: Decimal) -> Decimal:
    """A score out of from_max expressed out of to_max (a rubric total on the assessment's
    scale); unchanged when both maxima are equal."""
    if from_max == to_max or from_max <= 0:
        return q2(score)
    return q2(score * to_max / from_max)


def passed(score: Decimal | None, pass_mark: Decimal) -> bool | None:
    """Whether a score reaches the pass mark; None without a score."""
    if score is None:
        return None
    return score >= pass_mark
