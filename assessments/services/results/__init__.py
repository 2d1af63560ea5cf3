"""Read models: an assessment's grading list, a trainer's worklist and a trainee's results
(lists.py), the course gradebook (gradebook.py), results by framework item (items.py). The
names are re-exported here, so callers write ``from assessments.services import results``."""

from assessments.services.results.gradebook import (
    Gradebook,
    GradebookRow,
    gradebook,
    gradebook_courses,
)
from assessments.services.results.items import ItemResult, results_for_items
from assessments.services.results.lists import (
    GradingRow,
    MyAssessment,
    WorkItem,
    grading_rows,
    my_assessments,
    my_results,
    worklist,
    worklist_count,
)

__all__ = [
    "Gradebook",
    "GradebookRow",
    "GradingRow",
    "ItemResult",
    "MyAssessment",
    "WorkItem",
    "gradebook",
    "gradebook_courses",
    "grading_rows",
    "my_assessments",
    "my_results",
    "results_for_items",
    "worklist",
    "worklist_count",
]
