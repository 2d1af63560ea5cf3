"""HTML pages of the courses package; importing this module registers the routes on bp."""

from courses.views import (  # noqa: F401
    catalogue,
    courses,
    enrolments,
    lessons,
    materials,
    registers,
    reports,
    signing,
    trainee,
)
