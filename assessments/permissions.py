"""Who may do what with assessments, submissions and grades (pure predicates)."""

from __future__ import annotations

from assessments.models import Assessment, Grade, GradeStatus, Mark
from courses.models import Course
from courses.permissions import is_course_trainer, is_staff
from lms.accounts.models import Role


def can_manage_assessments(user, course: Course) -> bool:
    """Create and edit a course's assessments, questions and rubrics."""
    if course.is_closed:
        return False
    return is_staff(user) or is_course_trainer(user, course)


def can_view_assessments(user, course: Course) -> bool:
    """See every assessment of a course, with its questions, answers and everyone's grades."""
    return is_staff(user) or is_course_trainer(user, course)


def can_grade(user, course: Course) -> bool:
    """Record marks, observations and agreements, and release grades: the course's trainers
    and staff, never a trainer of another course."""
    return is_staff(user) or is_course_trainer(user, course)


def can_manage_templates(user) -> bool:
    """Rubric templates are shared by everyone who builds assessments."""
    return is_staff(user) or user.has_role(Role.TRAINER)


def sees_others_marks(user, grade: Grade, marks: list[Mark], assessment: Assessment) -> bool:
    """With double marking, a marker sees the other mark only once both are complete, so the
    second marker grades blind."""
    if not assessment.double_marking:
        return True
    done = [m for m in marks if m.completed]
    return len(done) >= 2


def trainee_sees_grade(user, grade: Grade) -> bool:
    """A trainee sees their own grade once released, and nobody else's."""
    return grade.trainee_id == user.id and grade.status == GradeStatus.RELEASED
