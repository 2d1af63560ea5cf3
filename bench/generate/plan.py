"""The sizes of each scale, and the shape of the generated programme."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    trainees: int
    courses: int  # including the two featured courses
    trainers: int
    assessors: int
    dossiers: int
    evidence_per_dossier: int
    size_range: tuple[int, int, int]  # triangular(low, high, mode) trainees per other course
    lesson_range: tuple[int, int]  # lessons per other course


SCALES = {
    # "tiny" is for the tests: the demo plus a few small courses (featured ones shrunk).
    "tiny": Scale(60, 4, 4, 3, 10, 3, (5, 20, 10), (3, 6)),
    "M": Scale(1_000, 20, 8, 4, 500, 10, (30, 300, 190), (20, 60)),
    "L": Scale(10_000, 200, 40, 20, 5_000, 10, (30, 300, 190), (20, 60)),
}

# Featured courses: (title, trainees, lessons, assessments); tiny shrinks them.
FEATURED = [("Corso bench 300x60", 300, 60, 12), ("Corso bench 100x30", 100, 30, 12)]
FEATURED_TINY = [("Corso bench 300x60", 12, 6, 12), ("Corso bench 100x30", 8, 4, 12)]

LESSON_MINUTES = 120
SLOTS = 5  # two-hour lessons from 8:00 to 18:00: a trainer teaches at most one course a slot

# Bench logins: (key, e-mail, full name, roles); the password is the bench password.
STAFF = [
    ("admin", "bench-admin@bench.example", "Amministrazione Bench", {"admin"}),
    ("coordinator", "bench-coordinatore@bench.example", "Ornella Brivio", {"coordinator"}),
    ("trainer", "bench-docente@bench.example", "Gabriele Vimercati", {"trainer"}),
    ("assessor", "bench-valutatore@bench.example", "Rosanna Tremolada", {"assessor"}),
    ("assessor2", "bench-valutatore2@bench.example", "Cesare Pogliani", {"assessor"}),
    ("referent", "bench-referente@bench.example", "Ilaria Bonacina", {"referent"}),
    ("trainee", "bench-corsista@bench.example", "Mirko Lattuada", {"trainee"}),
]

# Attendance of a held lesson: (status, minutes of a 120-minute lesson, weight)
ATTENDANCE = [
    ("present", 120, 85),
    ("late", 95, 5),
    ("left_early", 80, 3),
    ("absent", 0, 5),
    ("excused", 0, 2),
]
