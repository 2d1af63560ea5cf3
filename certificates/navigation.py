"""Navigation entry and template helpers of the certificates package (through lms.navigation)."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from certificates.models import (
    KIND_LABELS,
    OUTCOME_LABELS,
    TYPE_LABELS,
    VALUE_LABELS,
    DecisionOutcome,
    DossierState,
    EvidenceKind,
    EvidenceType,
    EvidenceValue,
)
from certificates.permissions import can_list_dossiers, sees_my_documents
from lms.navigation import NavItem, Panel, add_nav, add_panel
from lms.standards.models import ITEM_KIND_LABELS, ItemKind

TRANSITION_LABELS = {
    DossierState.IDENTIFICATION: _l("Start the identification"),
    DossierState.SUBMITTED: _l("Submit the dossier"),
    DossierState.UNDER_ASSESSMENT: _l("Start the assessment"),
    DossierState.RETURNED: _l("Return to identification"),
    DossierState.DECIDED: _l("Close the assessment: dossier decided"),
    DossierState.WITHDRAWN: _l("Withdraw the dossier"),
}


def _label(labels, enum):
    """A template helper naming an enum's value in the reader's language; each name is
    translated once per language and kept (a matrix asks hundreds of times per page)."""
    names: dict = {}

    def label(value) -> str:
        if value is None:
            return ""
        key = (str(get_locale()), value if isinstance(value, enum) else enum(value))
        name = names.get(key)
        if name is None:
            name = names[key] = str(labels[key[1]])
        return name

    return label


PANEL_ROWS = 5  # dossiers waiting on the reader shown on the home page


def _waiting_context(user) -> dict:
    """The dossiers waiting on the reader (the first few) and how many they take part in."""
    from certificates.services import reads

    total, waiting = reads.worklist_counts(user)
    rows = reads.worklist(user, waiting_only=True, limit=PANEL_ROWS) if waiting else []
    return {"total": total, "waiting_total": waiting, "rows": rows}


def register(app: Flask) -> None:
    g = app.jinja_env.globals
    g["kind_label"] = _label(KIND_LABELS, EvidenceKind)
    g["type_label"] = _label(TYPE_LABELS, EvidenceType)
    g["value_label"] = _label(VALUE_LABELS, EvidenceValue)
    g["outcome_label"] = _label(OUTCOME_LABELS, DecisionOutcome)
    g["item_kind_label"] = _label(ITEM_KIND_LABELS, ItemKind)
    g["transition_label"] = lambda s: str(TRANSITION_LABELS.get(s, s))
    app.jinja_env.filters["dossier_state"] = DossierState
    app.jinja_env.filters["decision_outcome"] = DecisionOutcome
    add_nav(
        app,
        NavItem("certificates.worklist", lambda: str(_l("Dossiers")), can_list_dossiers, order=40),
    )
    add_nav(
        app,
        NavItem(
            "certificates.my_documents",
            lambda: str(_l("My documents")),
            sees_my_documents,
            order=41,
        ),
    )
    add_panel(
        app,
        Panel("certificates/panels/waiting.html", can_list_dossiers, _waiting_context, order=30),
    )
