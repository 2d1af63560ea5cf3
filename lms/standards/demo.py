"""The standards part of the demo: the illustrative framework every demo step rests on, and a
draft of its next version that the admin is editing (so the demo shows a draft, its edit pages
and "publish" as well as the published framework)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from lms.accounts.services import get_user_by_email
from lms.db import db
from lms.standards.editing import edit_framework
from lms.standards.lifecycle import new_version
from lms.standards.models import FRAMEWORK_FIELDS, Framework, FrameworkStatus

ILLUSTRATIVE_CODE = "DM-ILLUSTRATIVO"
ILLUSTRATIVE_FILE = Path(__file__).parent / "data" / "disability-manager-illustrativo.json"
DRAFT_NOTE = (
    "Bozza della prossima versione, in revisione dopo la prima edizione del percorso: "
    "non ancora pubblicata, quindi non usata da moduli, valutazioni o dossier."
)


def illustrative_framework() -> Framework | None:
    """The published illustrative framework (its newest published version), or None."""
    return db.session.scalar(
        select(Framework)
        .where(Framework.code == ILLUSTRATIVE_CODE, Framework.status == FrameworkStatus.PUBLISHED)
        .order_by(Framework.id.desc())
        .limit(1)
    )


def load_draft_version() -> None:
    """Demo step: the admin's draft of the illustrative framework's next version (once)."""
    published = illustrative_framework()
    admin = get_user_by_email("admin@demo.example")
    if published is None or admin is None:
        return
    draft = db.session.scalar(
        select(Framework.id).where(
            Framework.code == ILLUSTRATIVE_CODE, Framework.status == FrameworkStatus.DRAFT
        )
    )
    if draft is not None:
        return
    copy = new_version(admin, published)
    fields = {f: getattr(copy, f) for f in FRAMEWORK_FIELDS}
    fields["description"] = f"{DRAFT_NOTE}\n\n{copy.description}".strip()
    edit_framework(admin, copy, **fields)
