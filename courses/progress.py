"""Attendance progress in words, against the course's thresholds.

The rules themselves (what counts, eligibility over the planned hours) are courses.attendance;
this module only says them: attended hours over the planned ones AND over the ones held so far,
which of the two the thresholds use (the planned ones), and what is still missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_percent
from flask_babel import gettext as _

from courses.attendance import AttendanceSummary, Eligibility, Threshold


def duration_words(minutes: int) -> str:
    """Minutes as hours and minutes in words: 200 -> '3 h 20 min', 45 -> '45 min', 120 -> '2 h'."""
    minutes = max(0, int(minutes))
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if hours:
        return f"{hours} h"
    return f"{rest} min"


def percent(value: float | None) -> str:
    """A percentage in the user's locale, one decimal at most: 92.3 -> '92,3%'."""
    if value is None:
        return "—"
    return format_percent(value / 100, "#,##0.#%")


@dataclass(frozen=True)
class Progress:
    """What the page says about one enrolment's attendance."""

    summary: AttendanceSummary
    eligibility: Eligibility
    overview: str  # attended over planned and over held
    basis: str  # which hours the thresholds count
    admission: str  # the final assessment threshold, in words
    certification: str
    admitted: bool

    @property
    def bar_value(self) -> float:
        """The progress bar: attended share of the planned hours (what the thresholds use)."""
        return min(100.0, self.summary.planned_percentage)


def _threshold_sentence(t: Threshold, own: bool, what: str) -> str:
    if t.met:
        if own:
            return _("You have reached the threshold %(what)s.", what=what)
        return _("The threshold %(what)s has been reached.", what=what)
    missing = duration_words(t.missing_minutes)
    if not t.reachable:
        return _(
            "The threshold %(what)s can no longer be reached: %(m)s would be missing even "
            "attending every remaining lesson.",
            what=what,
            m=missing,
        )
    if own:
        return _("You need %(m)s more %(what)s.", m=missing, what=what)
    return _("%(m)s still needed %(what)s.", m=missing, what=what)


def progress_of(summary: AttendanceSummary, eligibility: Eligibility, *, own: bool) -> Progress:
    """The sentences of a trainee's progress; own: addressed to the trainee ('you')."""
    a, c = eligibility.assessment, eligibility.certification
    args = dict(
        a=duration_words(summary.attended_minutes),
        p=duration_words(summary.planned_minutes),
        pp=percent(summary.planned_percentage),
        h=duration_words(summary.held_minutes),
        hp=percent(summary.percentage),
    )
    if own:
        overview = _(
            "You attended %(a)s of the %(p)s planned (%(pp)s) and of the %(h)s held so far "
            "(%(hp)s).",
            **args,
        )
    else:
        overview = _(
            "Attended %(a)s of the %(p)s planned (%(pp)s) and of the %(h)s held so far (%(hp)s).",
            **args,
        )
    basis = _(
        "The thresholds count the planned hours: %(apct)d%% of them (%(ar)s) for admission to "
        "the final exam, %(cpct)d%% (%(cr)s) for certification.",
        apct=a.pct,
        ar=duration_words(a.required_minutes),
        cpct=c.pct,
        cr=duration_words(c.required_minutes),
    )
    return Progress(
        summary=summary,
        eligibility=eligibility,
        overview=overview,
        basis=basis,
        admission=_threshold_sentence(a, own, _("for admission to the final exam")),
        certification=_threshold_sentence(c, own, _("for certification")),
        admitted=a.met,
    )
