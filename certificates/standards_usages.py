"""The evidence that points at framework items, for the standards pages
(lms.standards.usages): one query; titles and links only for who may open the dossier."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import select

from certificates.models import Dossier, Evidence, EvidenceLink
from certificates.permissions import can_view_dossier
from lms.db import db
from lms.standards.usages import Usage


def evidence_usages(actor, item_ids: list[int]) -> list[Usage]:
    rows = db.session.execute(
        select(EvidenceLink.framework_item_id, Evidence, Dossier)
        .join(Evidence, Evidence.id == EvidenceLink.evidence_id)
        .join(Dossier, Dossier.id == Evidence.dossier_id)
        .where(EvidenceLink.framework_item_id.in_(item_ids))
        .order_by(Dossier.id, Evidence.id)
    ).all()
    out = []
    for item_id, evidence, dossier in rows:
        if can_view_dossier(actor, dossier):
            link = ("certificates.dossier", {"dossier_id": dossier.id})
            title = _("Dossier %(n)d: %(title)s", n=dossier.id, title=evidence.title)
            out.append(Usage(item_id, pgettext("one piece", "Evidence"), title, link))
        else:
            out.append(Usage(item_id, pgettext("one piece", "Evidence"), "", None))
    return out


def register(app) -> None:
    from lms.standards.usages import register_usage_provider

    register_usage_provider(app, evidence_usages)
