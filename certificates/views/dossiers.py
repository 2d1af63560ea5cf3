"""Dossier pages: the worklist, opening and assigning (coordinator), the dossier itself with its
transitions, the verbale, and the download of an evidence file."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from certificates import bp
from certificates.forms import AssignForm, OpenDossierForm
from certificates.models import STATE_LABELS, DossierState
from certificates.permissions import (
    can_assign_dossier,
    can_list_dossiers,
    can_open_dossier,
    can_view_decisions,
)
from certificates.services import decisions as decision_services
from certificates.services import dossiers as services
from certificates.services import reads
from certificates.services.documents import document_rows
from certificates.services.matrix import matrix as build_matrix
from certificates.services.snapshots import dossier_file, evidence_documents
from certificates.views.common import competence_groups, dossier_or_404
from courses.models import Course
from lms.accounts.models import User
from lms.db import db
from lms.errors import ValidationFailed
from lms.files.http import send_stored
from lms.permissions import require
from lms.security import allowed_if, login_required
from lms.standards.models import Framework, Profile
from lms.web import PageWindow, acting_user, apply_field_errors

PER_PAGE = 50  # dossiers per page of the worklist

CONFIRM = {DossierState.RETURNED: "comment", DossierState.WITHDRAWN: "comment"}


def _person_choices(people, empty=True):
    out = [SelectChoice("", _("— nobody yet —") if empty else _("— choose —"))]
    return out + [SelectChoice(u.id, f"{u.full_name} ({u.email})") for u in people]


@bp.get("/dossier")
@allowed_if(can_list_dossiers)
def worklist():
    state = None
    raw = request.args.get("stato", "")
    if raw:
        try:
            state = DossierState(raw)
        except ValueError:
            state = None
    me = acting_user()
    # cut in SQL: one page of the list, and the first page of what waits on the reader
    total, waiting_total = reads.worklist_counts(me, state)
    pager = PageWindow(total, PER_PAGE, request.args.get("page"))
    rows = reads.worklist(me, state, limit=pager.limit, offset=pager.offset)
    waiting = reads.worklist(me, state, waiting_only=True, limit=PER_PAGE) if waiting_total else []
    missing = reads.missing_items(me, rows)
    from certificates.services.batch_issuing import courses_waiting

    return render_template(
        "certificates/worklist.html",
        to_issue=courses_waiting(me),
        rows=rows,
        pager=pager,
        waiting=waiting,
        waiting_total=waiting_total,
        missing=missing,
        state=state,
        states=list(STATE_LABELS.items()),
    )


def _fill_assign(form, choices) -> None:
    form.accompagnatore_id.choices = _person_choices(choices.accompagnatori)
    form.method_expert_id.choices = _person_choices(choices.experts)
    form.content_expert_id.choices = _person_choices(choices.experts)


@bp.route("/dossier/nuovo", methods=["GET", "POST"])
@allowed_if(can_open_dossier)
def new_dossier():
    me = acting_user()
    choices = reads.assignment_choices(me)
    form = OpenDossierForm()
    _fill_assign(form, choices)
    form.candidate_id.choices = _person_choices(choices.candidates, empty=False)
    form.profile_id.choices = [SelectChoice("", _("— choose —"))] + [
        SelectChoice(p.id, p.title) for p in choices.profiles
    ]
    groups = [(p, reads.profile_competences_of(me, p)) for p in choices.profiles]
    form.competence_ids.choices = [
        SelectChoice(c.id, f"{p.title} · {c.code} {c.title}") for p, comps in groups for c in comps
    ]
    courses = list(db.session.scalars(select(Course).order_by(Course.start_date.desc())))
    form.course_id.choices = [SelectChoice("", _("— no course —"))] + [
        SelectChoice(c.id, c.display_title) for c in courses
    ]
    status = 200
    if form.validate_on_submit():
        profile = db.session.get(Profile, form.profile_id.data)
        candidate = db.session.get(User, form.candidate_id.data)
        course = db.session.get(Course, form.course_id.data) if form.course_id.data else None
        try:
            if profile is None:
                raise ValidationFailed(fields={"profile_id": [_("Choose a profile.")]})
            if candidate is None:
                raise ValidationFailed(fields={"candidate_id": [_("Choose the candidate.")]})
            wanted = form.competence_ids.data or [
                c.id for p, comps in groups if p.id == profile.id for c in comps
            ]
            dossier = services.open_dossier(
                me,
                candidate=candidate,
                profile=profile,
                competence_ids=wanted,
                course=course,
                accompagnatore_id=form.accompagnatore_id.data,
                method_expert_id=form.method_expert_id.data,
                content_expert_id=form.content_expert_id.data,
            )
        except ValidationFailed as err:
            db.session.rollback()
            if not apply_field_errors(form, err):
                flash(err.message, "danger")
            status = 422
        else:
            db.session.commit()
            flash(_("The dossier is open."), "success")
            return redirect(url_for("certificates.dossier", dossier_id=dossier.id), 303)
    elif request.method == "POST":
        status = 422
    return render_template("certificates/open.html", form=form), status


@bp.route("/dossier/<int:dossier_id>/assegnazione", methods=["GET", "POST"])
@login_required
def assign(dossier_id: int):
    d = dossier_or_404(dossier_id)
    me = acting_user()
    require(can_assign_dossier(me, d))
    form = AssignForm(obj=d)
    _fill_assign(form, reads.assignment_choices(me))
    status = 200
    if request.method == "POST" and form.validate():
        try:
            services.assign(
                me,
                d,
                accompagnatore_id=form.accompagnatore_id.data,
                method_expert_id=form.method_expert_id.data,
                content_expert_id=form.content_expert_id.data,
            )
        except ValidationFailed as err:
            db.session.rollback()
            if not apply_field_errors(form, err):
                flash(err.message, "danger")
            status = 422
        else:
            db.session.commit()
            flash(_("The assignment is saved."), "success")
            return redirect(url_for("certificates.dossier", dossier_id=d.id), 303)
    people = reads.dossier_people(me, d)
    return render_template("certificates/assign.html", form=form, d=d, people=people), status


@bp.get("/dossier/<int:dossier_id>")
@login_required
def dossier(dossier_id: int):
    d = dossier_or_404(dossier_id)
    me = acting_user()
    documents, snapshot_number = evidence_documents(me, d)
    matrix = build_matrix(me, d)
    statuses = decision_services.decisions_of(me, d) if can_view_decisions(me, d) else None
    names = {c.id: c for c, _items in competence_groups(d)}
    items = {i.id: i for c, its in competence_groups(d) for i in [c, *its]}
    profile = db.session.get(Profile, d.profile_id)
    return render_template(
        "certificates/dossier.html",
        d=d,
        people=reads.dossier_people(me, d),
        profile=profile,
        framework=db.session.get(Framework, profile.framework_id),
        course=db.session.get(Course, d.course_id) if d.course_id else None,
        comments=services.comments_of(me, d),
        documents=documents,
        snapshot_number=snapshot_number,
        transitions=services.available_transitions(me, d),
        confirm=CONFIRM,
        state_labels=STATE_LABELS,
        unsupported=len(matrix.unsupported_item_ids),
        statuses=statuses,
        competences=names,
        items=items,
        issued=document_rows(me, d.id),
    )


@bp.post("/dossier/<int:dossier_id>/stato")
@login_required
def move(dossier_id: int):
    d = dossier_or_404(dossier_id)
    try:
        target = DossierState(request.form.get("to", ""))
    except ValueError:
        flash(_("Choose the change of state."), "danger")
        return redirect(url_for("certificates.dossier", dossier_id=d.id), 303)
    comment = request.form.get("comment") or None
    services.transition(acting_user(), d, target, comment=comment)
    db.session.commit()
    flash(_("The dossier is now: %(state)s.", state=d.state_label), "success")
    return redirect(url_for("certificates.dossier", dossier_id=d.id), 303)


@bp.get("/dossier/<int:dossier_id>/verbale")
@login_required
def verbale(dossier_id: int):
    d = dossier_or_404(dossier_id)
    me = acting_user()
    statuses = decision_services.decisions_of(me, d) if can_view_decisions(me, d) else None
    profile = db.session.get(Profile, d.profile_id)
    return render_template(
        "certificates/verbale.html",
        d=d,
        people=reads.dossier_people(me, d),
        profile=profile,
        framework=db.session.get(Framework, profile.framework_id),
        statuses=statuses,
        competences={c.id: c for c, _items in competence_groups(d)},
    )


@bp.get("/dossier/<int:dossier_id>/file/<int:file_id>")
@login_required
def evidence_file(dossier_id: int, file_id: int):
    d = dossier_or_404(dossier_id)
    return send_stored(dossier_file(acting_user(), d, file_id))
