"""The HTML of the gradebook's rows after the trainee's name, built in one pass per page (a
300-trainee course with 12 assessments has 3,600 grade cells; a template loop per cell cost
most of the page)."""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from assessments.models import GradeStatus

SHOWN = (GradeStatus.GRADED, GradeStatus.RELEASED)


def _row_cells(row, texts: dict, points, percent) -> str:
    """The outcome, attendance and weighted result of a row."""
    if row.passed is None:
        outcome = texts["incomplete"]
    else:
        outcome = texts["passed"] if row.passed else texts["not_passed"]
    # as in a template: the catalogue's text is trusted markup, the values are escaped
    planned = texts["planned"] % {"p": percent[row.planned_pct], "t": row.threshold_pct}
    held = texts["held"] % {"h": percent[row.attendance_pct]}
    admitted = texts["admitted"] if row.eligible else texts["not_admitted"]
    result = f"{escape(points[row.result])}%" if row.result is not None else "—"
    return (
        f'<td>{outcome}</td><td class="gb-attendance">{planned} · {admitted}'
        f"<br><small>{held}</small></td><td>{result}</td>"
    )


def gradebook_lines(book, grade_links: dict, points, status_text: dict, percent) -> list[tuple]:
    """Each gradebook row with the HTML of its cells after the trainee's name: outcome,
    attendance, weighted result, then one per assessment: the points (a "draft" badge while
    not released, an arrow below the pass mark) or the grade's state, "—" when there is no
    grade; a link to the grading page where the reader grades, named after the trainee for
    screen readers. Texts are translated and escaped once per page, points and percentages
    formatted once per value (points, percent: dicts that compute a missing value), names
    escaped once per row."""
    texts = {
        "incomplete": f'<span class="text-muted">{escape(_("incomplete"))}</span>',
        "passed": f'<span class="badge bg-success">{escape(_("passed"))}</span>',
        "not_passed": f'<span class="badge bg-danger">{escape(_("not passed"))}</span>',
        # formatted per row below: gettext without arguments leaves the placeholders
        "planned": Markup(_("%(p)s of the planned hours (admission needs %(t)d%%)")),  # noqa: S704
        "held": Markup(_("%(h)s of the hours held so far")),  # noqa: S704
        "admitted": escape(_("admitted to the final assessment")),
        "not_admitted": f"<strong>{escape(_('not admitted yet'))}</strong>",
    }
    draft = f' <span class="badge bg-info text-dark">{escape(_("draft"))}</span>'
    below = (
        f' <span class="visually-hidden">{escape(_("below the pass mark"))}</span>'
        '<span aria-hidden="true">↓</span>'
    )
    nothing = (
        '<span class="text-muted"><span aria-hidden="true">—</span>'
        f'<span class="visually-hidden">{escape(_("nothing yet"))}</span></span>'
    )
    state = {s: f'<span class="text-muted">{escape(t)}</span>' for s, t in status_text.items()}
    columns = [(a.id, a.pass_mark, grade_links.get(a.id)) for a in book.assessments]
    out = []
    for row in book.rows:
        cells = row.cells
        label = None
        parts = [_row_cells(row, texts, points, percent)]
        for assessment_id, pass_mark, link in columns:
            g = cells.get(assessment_id)
            if g is None:
                content = nothing
            elif g.score is not None and g.status in SHOWN:
                content = str(escape(points[g.score]))
                if g.status is GradeStatus.GRADED:
                    content += draft
                if g.score < pass_mark:
                    content += below
            else:
                content = state[g.status]
            if link is None:
                parts.append(f"<td>{content}</td>")
                continue
            if label is None:
                label = escape(_("grade %(name)s", name=row.trainee.full_name))
            parts.append(
                f'<td><a href="{escape(link[0])}{int(row.trainee.id)}{escape(link[1])}">'
                f'{content}<span class="visually-hidden">: {label}</span></a></td>'
            )
        # every part is a constant, an escaped text or an integer
        out.append((row, Markup("".join(parts))))  # noqa: S704
    return out
