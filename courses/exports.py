"""Exports: the printable register (PDF) and the course attendance (CSV, XLSX)."""

from __future__ import annotations

from flask import current_app
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from courses.attendance import CourseReport, format_minutes
from courses.models import ATTENDANCE_CODES, ATTENDANCE_LABELS, Course, Lesson, Module
from courses.services.registers import get_register, register_rows
from lms.accounts.models import User
from lms.db import db
from lms.exports import csv_bytes, date_text, xlsx_bytes
from lms.organisations.models import Organisation
from lms.pdf import render_table_pdf
from lms.pdf_tables import TableDocument


def register_pdf(lesson: Lesson, course: Course) -> bytes:
    """The printable attendance register of one lesson (registro presenze), drawn as one
    table with ReportLab (lms.pdf_tables): under a second for hundreds of trainees."""
    rows = register_rows(lesson)
    reg = get_register(lesson)
    module = db.session.get(Module, lesson.module_id)
    trainer = db.session.get(User, lesson.trainer_id)
    signer = db.session.get(User, reg.signed_by_id) if reg.signed_by_id else None
    on_behalf = db.session.get(User, reg.on_behalf_of_id) if reg.on_behalf_of_id else None
    labels = {k: str(v) for k, v in ATTENDANCE_LABELS.items()}
    day = format_date(lesson.date, "short")
    meta = [
        [_("Course"), course.display_title],
        [_("Module"), f"{module.code} · {module.title} ({module.topic_label})"],
        [
            _("Date"),
            format_date(lesson.date, "full"),
            _("Time"),
            f"{lesson.start_time:%H:%M} – {lesson.end_time:%H:%M} "
            f"({lesson.length_minutes} {_('minutes')})",
        ],
        [
            _("Trainer"),
            trainer.full_name,
            _("Mode"),
            f"{lesson.mode_label}, {lesson.place}" if lesson.place else str(lesson.mode_label),
        ],
    ]
    if lesson.is_cancelled:
        meta.append([_("Cancelled"), lesson.cancel_reason or ""])
    signed = f"{_('Trainer signature')} ({trainer.full_name})"
    if reg.is_signed:
        when = format_datetime(reg.signed_at, "short")
        name = signer.full_name if signer else "—"
        if on_behalf:
            signed += "\n" + _(
                "Signed electronically by %(name)s on %(when)s, on behalf of %(trainer)s",
                name=name,
                when=when,
                trainer=on_behalf.full_name,
            )
        else:
            signed += "\n" + _(
                "Signed electronically by %(name)s on %(when)s", name=name, when=when
            )
    doc = TableDocument(
        title=f"{_('Attendance register')} - {course.display_title} - {day}",
        heading=_("Attendance register"),
        before=[
            ("strong", current_app.config["TRAINING_BODY_NAME"]),
            ("small", current_app.config["TRAINING_BODY_ACCREDITATION"]),
        ],
        meta=meta,
        header=["#", _("Trainee"), _("Status"), _("Minutes"), _("Note"), _("Trainee signature")],
        rows=[
            [
                str(i),
                r.user.full_name,
                labels[r.record.status] if r.record else "",
                str(r.record.minutes) if r.record else "",
                r.record.note if r.record else "",
                "",
            ]
            for i, r in enumerate(rows, start=1)
        ],
        widths=[0.05, 0.31, 0.16, 0.10, 0.16, 0.22],
        right=[0, 3],
        wrap=[1, 4],
        empty=_("No trainee was enrolled in the course on this date."),
        closing=[[signed, _("Stamp and signature of the training body")]],
        footer=f"{_('Attendance register')} · {course.display_title} · {day} · "
        f"{_('page')} {{page}} / {{pages}}",
    )
    return render_table_pdf(doc)


def report_table(report: CourseReport) -> tuple[list[str], list[list]]:
    """Header and rows of the attendance export: one line per trainee, one column per lesson."""
    org_ids = {r.user.organisation_id for r in report.rows} - {None}
    orgs = dict(
        db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids))
        ).all()
        if org_ids
        else []
    )
    codes = {k: str(v) for k, v in ATTENDANCE_CODES.items()}  # translated once, not per cell
    yes, no = _("yes"), _("no")
    lessons = report.held_lessons
    ids = [s.id for s in lessons]
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
        cells = s.cells
        for lid in ids:
            cell = cells.get(lid)
            if cell is None:
                line.append("")
            elif cell[0] is None:
                line.append("-")
            else:
                line.append(f"{codes[cell[0]]} {cell[1]}")
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
            yes if el.assessment.met else no,
            format_minutes(el.assessment.missing_minutes),
            yes if el.certification.met else no,
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
