"""The experts' pages: the evidence matrix and each expert's decision on a target competence
(StaleEdit answered with a page that keeps the input, as the grading pages do)."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from certificates import bp
from certificates.models import (
    METHOD_LABELS,
    OUTCOME_LABELS,
    AssessmentMethod,
    DecisionOutcome,
    DossierState,
)
from certificates.permissions import can_record_decision, can_view_decisions
from certificates.services import decisions as services
from certificates.services import reads
from certificates.services.decisions import DecisionInput
from certificates.services.matrix import matrix as build_matrix
from certificates.views.common import competence_groups, dossier_or_404
from lms.db import db
from lms.errors import StaleEdit, ValidationFailed
from lms.permissions import require
from lms.security import login_required
from lms.validation import ascii_number
from lms.web import acting_user, require_visible


@bp.get("/dossier/<int:dossier_id>/matrice")
@login_required
def matrix(dossier_id: int):
    d = dossier_or_404(dossier_id)
    m = build_matrix(acting_user(), d)
    evidence = {e.id: e for e in m.evidence}
    first_only = {
        c.competence.item_id
        for c in m.competences
        if c.evidence_ids and all(evidence[i].value == "first" for i in c.evidence_ids)
    }
    return render_template(
        "certificates/matrix.html", d=d, m=m, evidence=evidence, first_only=first_only
    )


def _values(decision) -> dict:
    if decision is None:
        return {
            "outcome": "",
            "method": "documentary",
            "test_date": "",
            "test_result": "",
            "reasons": "",
            "version": 0,
        }
    return {
        "outcome": decision.outcome.value,
        "method": decision.method.value,
        "test_date": decision.test_date.isoformat() if decision.test_date else "",
        "test_result": decision.test_result,
        "reasons": decision.reasons,
        "version": decision.version_id,
    }


def _status(d, competence_id: int):
    statuses = services.decisions_of(acting_user(), d)
    status = next((s for s in statuses if s.competence_id == competence_id), None)
    require_visible(status is not None)
    return status


def _render(d, competence_id, *, values=None, errors=None, conflict=None, status=200):
    me = acting_user()
    st = _status(d, competence_id)
    mine = st.decisions.get(me.id)
    competence = next(c for c, _items in competence_groups(d) if c.id == competence_id)
    # Each expert decides blind; both records show once both signed (agreeing or not).
    show_both = st.both_signed or d.state != DossierState.UNDER_ASSESSMENT
    visible = [x for x in st.decisions.values() if show_both or x.expert_id == me.id]
    if not can_record_decision(me, d):
        visible = list(st.decisions.values())
    history = {x.id: services.history_of(me, x) for x in visible}
    return render_template(
        "certificates/decision.html",
        d=d,
        st=st,
        competence=competence,
        mine=mine,
        visible=visible,
        history=history,
        people=reads.dossier_people(me, d),
        values=values or _values(mine),
        errors=errors or {},
        conflict=conflict,
        outcomes=list(OUTCOME_LABELS.items()),
        methods=list(METHOD_LABELS.items()),
        may_record=can_record_decision(me, d) and d.state == DossierState.UNDER_ASSESSMENT,
    ), status


@bp.get("/dossier/<int:dossier_id>/valutazione/<int:competence_id>")
@login_required
def decision(dossier_id: int, competence_id: int):
    d = dossier_or_404(dossier_id)
    require(can_view_decisions(acting_user(), d))
    return _render(d, competence_id)


def _parse(form) -> tuple[dict, DecisionInput | None, dict]:
    values = {
        k: form.get(k, "")
        for k in ("outcome", "method", "test_date", "test_result", "reasons", "version")
    }
    errors: dict[str, list[str]] = {}
    try:
        outcome = DecisionOutcome(values["outcome"])
    except ValueError:
        outcome = None
        errors["outcome"] = [_("Choose the outcome.")]
    try:
        method = AssessmentMethod(values["method"])
    except ValueError:
        method = None
        errors["method"] = [_("Choose the method.")]
    test_date = None
    if values["test_date"]:
        try:
            test_date = dt.date.fromisoformat(values["test_date"])
        except ValueError:
            errors["test_date"] = [_("Enter a date.")]
    values["version"] = ascii_number(values["version"], 0)
    if errors:
        return values, None, errors
    data = DecisionInput(outcome, method, values["reasons"], test_date, values["test_result"])
    return values, data, {}


@bp.post("/dossier/<int:dossier_id>/valutazione/<int:competence_id>")
@login_required
def save_decision(dossier_id: int, competence_id: int):
    d = dossier_or_404(dossier_id)
    me = acting_user()
    require(can_record_decision(me, d))
    _status(d, competence_id)
    values, data, errors = _parse(request.form)
    try:
        if data is None:
            raise ValidationFailed(next(iter(errors.values()))[0], errors)
        services.record_decision(me, d, competence_id, data, seen_version=values["version"])
    except ValidationFailed as err:
        db.session.rollback()
        flash(err.message, "danger")
        return _render(d, competence_id, values=values, errors=err.fields, status=422)
    except StaleEdit as err:
        db.session.rollback()
        flash(err.message, "danger")
        current = _status(d, competence_id).decisions.get(me.id)
        # Keep what the expert typed; saving again now replaces the version shown.
        values["version"] = current.version_id if current else 0
        return _render(d, competence_id, values=values, conflict=current, status=409)
    db.session.commit()
    flash(_("Your decision is recorded and signed."), "success")
    return redirect(
        url_for("certificates.decision", dossier_id=d.id, competence_id=competence_id), 303
    )
