"""HTML pages of the assessments package; importing this module registers the routes on bp."""

from assessments.views import authoring, gradebook, grading, rubrics, taking  # noqa: F401
