"""JSON API of the assessments package, under /api/v1/: importing this package registers the
routes on lms's api blueprint (assessments.py, attempts.py, submissions.py, grades.py).

Same rules as the pages: objects are loaded through loaders built on the predicates (404 where
existence is private), the services check again with the acting user, inputs and outputs go
through the schemas of assessments/schemas/ (lms.api.io.endpoint), every list is paginated.
"""

from assessments.api import assessments, attempts, grades, submissions  # noqa: F401
