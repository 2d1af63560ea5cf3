"""Grading: marks (with rubric levels or observations), double marking and the agreed mark,
release, and the history every change leaves. Reads are in reads.py, marking in marks.py, the
agreed mark in agreement.py, release in release.py; the names are re-exported here, so
callers write ``from assessments.services import grading``."""

from assessments.services.grading.agreement import needs_agreement, record_agreement
from assessments.services.grading.marks import MARK_FIELDS, MarkInput, save_mark
from assessments.services.grading.reads import (
    assessment_rubric,
    check_final_eligibility,
    course_of,
    grade_for_marking,
    history_of,
    marks_of,
    my_role,
    require_grader,
    submission_for,
    visible_history,
    visible_marks,
)
from assessments.services.grading.release import release

__all__ = [
    "MARK_FIELDS",
    "MarkInput",
    "assessment_rubric",
    "check_final_eligibility",
    "course_of",
    "grade_for_marking",
    "history_of",
    "marks_of",
    "my_role",
    "needs_agreement",
    "record_agreement",
    "release",
    "require_grader",
    "save_mark",
    "submission_for",
    "visible_history",
    "visible_marks",
]
