"""Exports: the printable register (PDF) and the course attendance (CSV, XLSX)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import gettext as _

from courses.attendance import CourseReport, format_minutes
from courses.models import ATTENDANCE_CODES, ATTENDANCE_LABELS, Course, Lesson, Module
from courses.services.registers import get_register, register_rows
from lms.accounts.models import User
from lms.db import db
from lms.exports import csv_bytes, date_text, xlsx_bytes
from lms.organisations.models import Organisation
from lms.pdf import font_css, render_pdf

# A long single table is slow in xhtml2pdf: the register is split into sections.
PDF_CHUNK = 20


@dataclass
class Chunk:
    first: int
    last: int
    rows: list


def register_pdf(lesson: Lesson, course: Course) -> bytes:
    """The printable attendance register of one lesson (registro presenze)."""
    rows = register_rows(lesson)
    reg = get_register(lesson)
    chunks = [
        Chunk(i + 1, min(i + PDF_CHUNK, len(rows)), rows[i : i + PDF_CHUNK])
        for i in range(0, len(rows), PDF_CHUNK)
    ]
    html = render_template(
        "courses/pdf/register.html",
        lesson=lesson,
        course=course,
        module=db.session.get(Module, lesson.module_id),
        trainer=db.session.get(User, lesson.trainer_id),
        register=reg,
        signer=db.session.get(User, reg.signed_by_id) if reg.signed_by_id else None,
        on_behalf_of=db.session.get(User, reg.on_behalf_of_id) if reg.on_behalf_of_id else None,
        chunks=chunks,
        total=len(rows),
        labels=ATTENDANCE_LABELS,
        font_css=font_css(),
        training_body=current_app.config["TRAINING_BODY_NAME"],
        accreditation=current_app.config["TRAINING_BODY_ACCREDITATION"],
    )
    return render_pdf(html)


def report_table(report: CourseReport) -> tuple[list[str], list[list]]:
    """Header and rows of the attendance export: one line per trainee, one column per lesson."""
    orgs = {o.id: o.name for o in db.session.query(Organisation).all()}
    lessons = report.held_lessons
    header = [_("Trainee"), _("Email"), _("Organisation"), _("Enrolment date"), _("State")]
    header += [
        f"{date_text(s.date)} {s.start_time:%H:%M} ({s.length_minutes} min)" for s in lessons
    ]
    header += [
        _("Attended (h:mm)"),
        _("Attended (minutes)"),
        _("Held (h:mm)"),
        _("Held (minutes)"),
        _("Excused (h:mm)"),
        _("Excused (minutes)"),
        _("Planned (minutes)"),
        _("Attendance %"),
        _("Final assessment threshold %"),
        _("Final assessment reached"),
        _("Missing for the final assessment (h:mm)"),
        _("Certification reached"),
    ]
    out = []
    for row in report.rows:
        s, el = row.summary, row.eligibility
        line = [
            row.user.full_name,
            row.user.email,
            orgs.get(row.user.organisation_id, ""),
            row.enrolment.enrolled_on,
            row.enrolment.status_label,
        ]
        for lesson in lessons:
            cell = s.cells.get(lesson.id)
            if cell is None:
                line.append("")
            elif cell[0] is None:
                line.append("-")
            else:
                line.append(f"{ATTENDANCE_CODES[cell[0]]} {cell[1]}")
        line += [
            format_minutes(s.attended_minutes),
            s.attended_minutes,
            format_minutes(s.held_minutes),
            s.held_minutes,
            format_minutes(s.excused_minutes),
            s.excused_minutes,
            s.planned_minutes,
            s.percentage if s.percentage is not None else "",
            el.assessment.pct,
            _("yes") if el.assessment.met else _("no"),
            format_minutes(el.assessment.missing_minutes),
            _("yes") if el.certification.met else _("no"),
        ]
        out.append(line)
    totals = [_("Total"), "", "", "", ""]
    totals += [f"{report.totals[s.id].present} / {report.totals[s.id].minutes}" for s in lessons]
    attended = sum(r.summary.attended_minutes for r in report.rows)
    totals += [format_minutes(attended), attended]
    out.append(totals)
    return header, out


def report_csv(report: CourseReport) -> bytes:
    """CSV for Italian Excel: UTF-8 with BOM, semicolons, decimal comma."""
    header, rows = report_table(report)
    return csv_bytes(header, rows)


def report_xlsx(report: CourseReport) -> bytes:
    """The same table as an Excel workbook, with a legend sheet."""
    header, rows = report_table(report)
    legend = [
        [str(code), str(ATTENDANCE_LABELS[status])] for status, code in ATTENDANCE_CODES.items()
    ]
    legend += [[], [_("Rows highlighted: below the threshold for the final assessment.")]]
    return xlsx_bytes(
        report.course.display_title,
        _("Attendance"),
        header,
        rows,
        label_columns=3,
        highlight=lambda i: i < len(report.rows) and report.rows[i].below_threshold,
        extra_sheets={_("Legend"): legend},
    )
