"""Browsing frameworks: the list, a framework, a profile, a competence with what points at
each of its items. Everyone logged in; drafts are shown to admins only."""

from __future__ import annotations

from flask import render_template

from lms.db import db
from lms.security import allowed_if
from lms.standards import reads
from lms.standards.models import ItemKind
from lms.standards.permissions import can_view_standards
from lms.standards.usages import counts_by_kind
from lms.standards.views import bp
from lms.standards.views.common import crumbs, framework_or_404, item_or_404, profile_or_404
from lms.web import acting_user, require_visible


@bp.get("/")
@allowed_if(can_view_standards)
def index():
    frameworks = list(db.session.scalars(reads.frameworks_query(acting_user())))
    return render_template("standards/index.html", frameworks=frameworks, breadcrumbs=crumbs())


@bp.get("/<int:framework_id>")
@allowed_if(can_view_standards)
def framework(framework_id: int):
    fw = framework_or_404(framework_id)
    page = reads.framework_page(acting_user(), fw)
    return render_template("standards/framework.html", page=page, fw=fw, breadcrumbs=crumbs(fw))


@bp.get("/profili/<int:profile_id>")
@allowed_if(can_view_standards)
def profile(profile_id: int):
    prof, fw = profile_or_404(profile_id)
    _fw, rows = reads.profile_page(acting_user(), prof)
    return render_template(
        "standards/profile.html",
        fw=fw,
        profile=prof,
        rows=rows,
        breadcrumbs=crumbs(fw, (prof.title, None)),
    )


@bp.get("/competenze/<int:competence_id>")
@allowed_if(can_view_standards)
def competence(competence_id: int):
    comp, fw = item_or_404(competence_id)
    require_visible(comp.kind == ItemKind.COMPETENCE)
    page = reads.competence_page(acting_user(), comp)
    return render_template(
        "standards/competence.html",
        fw=fw,
        page=page,
        comp=comp,
        counts_by_kind=counts_by_kind,
        breadcrumbs=crumbs(fw, (f"{comp.code} {comp.title}", None)),
    )
