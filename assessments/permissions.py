"""Who may do what with assessments, questions, rubrics, attempts, submissions, grades, marks,
the gradebook and results: the only place where the package decides roles and scopes.

Pure predicates ``can_<verb>_<thing>(user, obj) -> bool`` built on lms.accounts.permissions
and courses.permissions; services call them with lms.permissions.require, templates call them
as Jinja globals (lms.permissions.expose in assessments.init_app).
"""

from __future__ import annotations

from sqlalchemy import select

from assessments.models import (
    Assessment,
    Attempt,
    Grade,
    GradeStatus,
    Mark,
    Rubric,
    Submission,
)
from courses.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from courses.permissions import is_course_trainer
from lms.accounts.permissions import is_staff, is_trainee, is_trainer
from lms.db import db

# --- helpers (not predicates: no can_/is_/sees_ prefix, so not exposed to templates) ---------


def _course(course_or_id) -> Course | None:
    if isinstance(course_or_id, Course):
        return course_or_id
    return db.session.get(Course, course_or_id)


def _assessment(assessment_or_id) -> Assessment | None:
    if isinstance(assessment_or_id, Assessment):
        return assessment_or_id
    return db.session.get(Assessment, assessment_or_id)


def _enrolled(user, course_id: int) -> bool:
    """The user has an active enrolment in the course, and the course is not a draft."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            select(Enrolment.id)
            .join(Course, Course.id == Enrolment.course_id)
            .where(
                Enrolment.course_id == course_id,
                Enrolment.user_id == user.id,
                Enrolment.status == EnrolmentStatus.ACTIVE,
                Course.status != CourseStatus.DRAFT,
            )
        )
        is not None
    )


def _runs(user, course: Course | None) -> bool:
    """Staff, or a trainer of this course (never a trainer of another course)."""
    if course is None or not getattr(user, "is_authenticated", False):
        return False
    return is_staff(user) or is_course_trainer(user, course)


# --- what kind of work the user does (route-level) -------------------------------------------


def can_author_assessments(user) -> bool:
    """Build assessments, questions and rubrics in general: staff and trainers."""
    return is_staff(user) or is_trainer(user)


def can_take_assessments(user) -> bool:
    """Trainees take quizzes, submit work and read their results."""
    return is_trainee(user)


def is_grader(user) -> bool:
    """Grades work in general (which courses: can_grade): staff and trainers."""
    return is_staff(user) or is_trainer(user)


def can_view_worklist(user) -> bool:
    """The 'to grade' list: graders (staff see every course's work through it)."""
    return is_grader(user)


def can_view_gradebooks(user) -> bool:
    """The list of gradebooks: staff (every course) and trainers (their courses)."""
    return is_grader(user)


def sees_all_assessment_work(user) -> bool:
    """Lists of courses and work are not narrowed to the user's own courses."""
    return is_staff(user)


# --- assessments of a course ----------------------------------------------------------------


def can_view_assessments(user, course: Course) -> bool:
    """See every assessment of a course, with its questions, answers and everyone's grades."""
    return _runs(user, course)


def can_manage_assessments(user, course: Course) -> bool:
    """Create and edit a course's assessments, questions and rubrics (not once closed)."""
    return course is not None and not course.is_closed and _runs(user, course)


def can_list_assessments(user, course: Course) -> bool:
    """List a course's assessments: its trainers and staff (all), enrolled trainees
    (the published ones)."""
    return _runs(user, course) or (course is not None and _enrolled(user, course.id))


def can_view_assessment(user, assessment: Assessment) -> bool:
    """Open one assessment: its course's trainers and staff, or an enrolled trainee once it
    is published."""
    if assessment is None:
        return False
    if _runs(user, _course(assessment.course_id)):
        return True
    return can_take_assessment(user, assessment)


def can_take_assessment(user, assessment: Assessment) -> bool:
    """Work on an assessment as a trainee: published, and enrolled in its course (dates,
    attempts and eligibility are rules of taking, checked by the service)."""
    return assessment is not None and assessment.published and _enrolled(user, assessment.course_id)


def can_edit_assessment(user, assessment: Assessment) -> bool:
    """Change or delete an assessment and its questions and rubric."""
    return assessment is not None and can_manage_assessments(user, _course(assessment.course_id))


def can_view_questions(user, assessment: Assessment) -> bool:
    """Read a quiz's questions with their key: the course's trainers and staff."""
    return assessment is not None and _runs(user, _course(assessment.course_id))


# --- rubrics and rubric templates --------------------------------------------------------------


def can_manage_templates(user) -> bool:
    """Rubric templates are shared by everyone who builds assessments."""
    return can_author_assessments(user)


def can_view_rubric(user, rubric: Rubric) -> bool:
    """A template: whoever builds assessments; an assessment's own rubric: its graders."""
    if rubric is None:
        return False
    if rubric.assessment_id is None:
        return can_manage_templates(user)
    return can_view_questions(user, _assessment(rubric.assessment_id))


def can_edit_rubric(user, rubric: Rubric) -> bool:
    """A template: whoever builds assessments; an assessment's rubric: who edits it."""
    if rubric is None:
        return False
    if rubric.assessment_id is None:
        return can_manage_templates(user)
    return can_edit_assessment(user, _assessment(rubric.assessment_id))


# --- attempts and submissions --------------------------------------------------------------------


def can_work_on_attempt(user, attempt: Attempt) -> bool:
    """Answer and submit a quiz attempt: only the trainee who started it."""
    return (
        attempt is not None
        and getattr(user, "is_authenticated", False)
        and attempt.trainee_id == user.id
    )


def can_view_attempt(user, attempt: Attempt) -> bool:
    """Read an attempt's answers: the trainee, and the course's graders."""
    if attempt is None:
        return False
    return can_work_on_attempt(user, attempt) or can_grade_assessment(
        user, _assessment(attempt.assessment_id)
    )


def can_view_submission(user, submission: Submission) -> bool:
    """A submission and its files: the trainee's own, or a grader of the course."""
    if submission is None or not getattr(user, "is_authenticated", False):
        return False
    if submission.trainee_id == user.id:
        return True
    return can_grade_assessment(user, _assessment(submission.assessment_id))


# --- grades, marks, agreement, release --------------------------------------------------------


def can_grade(user, course: Course) -> bool:
    """Record marks, observations and agreements, and release grades: the course's trainers
    and staff, never a trainer of another course."""
    return _runs(user, course)


def can_grade_assessment(user, assessment: Assessment) -> bool:
    """Grade one assessment: can_grade on its course."""
    return assessment is not None and can_grade(user, _course(assessment.course_id))


def can_mark_grade(user, grade: Grade) -> bool:
    """Write a mark on a grade (second-marker blindness is can_view_mark's concern)."""
    return grade is not None and can_grade_assessment(user, _assessment(grade.assessment_id))


def can_record_agreement(user, grade: Grade) -> bool:
    """Record the agreed mark of a double-marked grade: a grader of the course (whether both
    marks are complete is a rule of the service, not a permission)."""
    return can_mark_grade(user, grade)


def can_release_grades(user, assessment: Assessment) -> bool:
    """Release an assessment's graded work to the trainees."""
    return can_grade_assessment(user, assessment)


def can_view_grade(user, grade: Grade) -> bool:
    """A grade: the course's graders (drafts too); the trainee their own, once released."""
    if grade is None or not getattr(user, "is_authenticated", False):
        return False
    if can_grade_assessment(user, _assessment(grade.assessment_id)):
        return True
    return sees_own_grade(user, grade)


def sees_own_grade(user, grade: Grade) -> bool:
    """A trainee sees their own grade once released, and nobody else's."""
    return (
        grade is not None
        and getattr(user, "is_authenticated", False)
        and grade.trainee_id == user.id
        and grade.status == GradeStatus.RELEASED
    )


def can_view_mark(user, mark: Mark, assessment: Assessment, marks: list[Mark]) -> bool:
    """With double marking, a marker sees the other marker's mark only once both are
    complete, so the second marker grades blind; single marks are shared by the graders."""
    if not assessment.double_marking:
        return True
    if mark.marker_id == user.id:
        return True
    return sum(1 for m in marks if m.completed) >= 2


# --- gradebook and results ----------------------------------------------------------------------


def can_view_gradebook(user, course: Course) -> bool:
    """A course's gradebook (page and exports): its trainers and staff."""
    return _runs(user, course)


def can_view_results_of(user, trainee) -> bool:
    """A trainee's released results: the trainee, and staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    return getattr(trainee, "id", trainee) == user.id or is_staff(user)


def can_open_attempt_page(user, attempt) -> bool:
    """The attempt page (/tentativi/<id>) is the trainee's own working page."""
    return can_take_assessments(user) and can_work_on_attempt(user, attempt)
