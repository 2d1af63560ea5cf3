"""JSON routes of the courses package under /api/v1/, one module per aggregate; importing
this package registers them on the api blueprint (courses.init_app does)."""

from courses.api import attendance, catalogue, courses, enrolments, lessons, materials  # noqa: F401
