"""The attendance report's grid cells (courses/views/reports.py grid_lines): one cell per
lesson held, in order, with the code and minutes, "—" or a muted dot; codes escaped."""

from __future__ import annotations

from types import SimpleNamespace as NS

from courses.models import AttendanceStatus
from courses.views.reports import grid_lines


def test_cells_in_lesson_order_with_code_minutes_dash_and_dot(app):
    report = NS(
        held_lessons=[NS(id=1), NS(id=2), NS(id=3), NS(id=4)],
        rows=[
            NS(
                summary=NS(
                    cells={
                        1: (AttendanceStatus.PRESENT, 240),
                        2: (None, 0),
                        4: (AttendanceStatus.ABSENT, 0),
                    }
                )
            )
        ],
    )
    codes = {AttendanceStatus.PRESENT: "P", AttendanceStatus.ABSENT: "<A&>"}
    with app.test_request_context():
        [(row, html)] = grid_lines(report, codes)
    assert row is report.rows[0]
    assert str(html) == (
        "<td>P 240</td><td>—</td>"
        '<td><span class="text-muted" title="non conteggiata">·</span></td>'
        "<td>&lt;A&amp;&gt; 0</td>"
    )
    assert hasattr(html, "__html__")  # Markup: not escaped again by the template
