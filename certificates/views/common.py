"""Scoped loaders and form helpers shared by the dossier pages and the API (404 outside the
user's scope)."""

from __future__ import annotations

from certificates.models import Dossier, Evidence
from certificates.permissions import can_view_dossier
from certificates.services.common import target_items
from lms.standards.models import FrameworkItem, ItemKind
from lms.validation import ascii_number
from lms.web import get_or_404, require_visible


def dossier_or_404(dossier_id: int) -> Dossier:
    """A dossier the user may see; 404 otherwise."""
    return get_or_404(Dossier, dossier_id, visible=can_view_dossier)


def evidence_or_404(dossier: Dossier, evidence_id: int) -> Evidence:
    """A piece of evidence of this dossier; 404 for any other id."""
    evidence = get_or_404(Evidence, evidence_id)
    require_visible(evidence.dossier_id == dossier.id)
    return evidence


def competence_groups(dossier: Dossier) -> list[tuple[FrameworkItem, list[FrameworkItem]]]:
    """The target competences, each with its abilities and knowledge items (one query)."""
    items = target_items(dossier)
    groups = {i.id: (i, []) for i in items if i.kind == ItemKind.COMPETENCE}
    order = {ItemKind.ABILITY: 0, ItemKind.KNOWLEDGE: 1}
    for i in sorted(
        (i for i in items if i.kind != ItemKind.COMPETENCE),
        key=lambda i: (order[i.kind], i.position, i.id),
    ):
        if i.competence_id in groups:
            groups[i.competence_id][1].append(i)
    return list(groups.values())


def links_from_form(form) -> list[tuple[int, str]]:
    """Ticked items (`link` values) with their notes (`note_<item id>`)."""
    out = []
    for value in form.getlist("link"):
        item_id = ascii_number(value)
        if item_id is not None:
            out.append((item_id, (form.get(f"note_{value}") or "").strip()))
    return out
