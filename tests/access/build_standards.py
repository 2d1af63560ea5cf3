"""The framework objects of the access sweep for the standards pages, the editing API and the
public CASE URIs (see world.py): a published and a draft framework with their profiles and
items, and fresh frameworks for the calls that publish, retire, version or remove."""

from __future__ import annotations

from lms.db import db
from tests.access.world import Obj, missing


def standards_kinds(make, admin) -> tuple[dict, dict]:
    """(kinds, fresh kinds); drafts are marked unpublished (only admins read them)."""
    from sqlalchemy import select

    from lms.standards import lifecycle, services
    from lms.standards.exchange.case import document_identifier, export_case
    from lms.standards.models import Framework, FrameworkItem, ItemKind

    def tree(profile):
        fw = db.session.get(Framework, profile.framework_id)
        items = list(
            db.session.scalars(
                select(FrameworkItem)
                .where(FrameworkItem.framework_id == fw.id)
                .order_by(FrameworkItem.id)
            )
        )
        comp = next(i for i in items if i.kind == ItemKind.COMPETENCE)
        child = next(i for i in items if i.competence_id == comp.id)
        return fw, comp, child

    published_profile = make.profile(competences=1, abilities=1, knowledge=1)
    draft_profile = make.profile(competences=1, abilities=1, knowledge=1, publish=False)
    pub, pub_comp, pub_child = tree(published_profile)
    draft, draft_comp, draft_child = tree(draft_profile)
    package = export_case(admin, pub)
    draft_package = export_case(admin, draft)
    unknown = "00000000-0000-0000-0000-000000000000"

    def both(name, published_id, draft_id, draft_visible=True):
        return [
            ("published", Obj({name: published_id})),
            ("draft", Obj({name: draft_id}, published=False) if draft_visible else None),
            missing(name),
        ]

    def case(identifier, draft_identifier):
        return [
            ("published", Obj({"identifier": identifier})),
            ("draft", Obj({"identifier": draft_identifier}, invalid=True)),
            ("unknown", Obj({"identifier": unknown}, invalid=True)),
        ]

    kinds = {
        # Browsing: everyone reads published ones, admins drafts too.
        "framework_view": both("framework_id", pub.id, draft.id),
        "profile_view": both("profile_id", published_profile.id, draft_profile.id),
        "competence_view": [
            *both("competence_id", pub_comp.id, draft_comp.id),
            ("an ability", Obj({"competence_id": pub_child.id}, invalid=True)),
        ],
        # Editing pages (admins): a published one answers with a message, a draft the form.
        "profile_any": both("profile_id", published_profile.id, draft_profile.id),
        "item_any": both("item_id", pub_child.id, draft_child.id),
        "framework_fresh": [missing("framework_id")],
        "profile_fresh": [missing("profile_id")],
        "item_fresh": [missing("item_id")],
        # CASE URIs: public for published frameworks only.
        "case_document": case(document_identifier(pub), document_identifier(draft)),
        "case_item": case(pub_comp.uuid, draft_comp.uuid),
        "case_association": case(
            package["CFAssociations"][0]["identifier"],
            draft_package["CFAssociations"][0]["identifier"],
        ),
    }
    for name in ("framework_view", "profile_view", "competence_view", "profile_any", "item_any"):
        kinds[name] = [(n, o) for n, o in kinds[name] if o is not None]

    n = iter(range(1, 10**6))

    def new_framework(publish: bool):
        def build(_user):
            fw = services.create_framework(
                admin, code=f"SWP-Q{next(n)}", title="Quadro dello sweep", issuer="Regione"
            )
            profile = services.create_profile(admin, fw, code="P", title="Profilo")
            comp = services.create_competence(admin, fw, code="C1", title="C", profile=profile)
            child = services.create_ability(admin, comp, code="C1.A1", title="A")
            if publish:
                lifecycle.publish(admin, fw)
            db.session.commit()
            return fw, profile, comp, child

        return build

    def fresh(pick, publish: bool):
        make_one = new_framework(publish)

        def build(user):
            values = pick(*make_one(user))
            return Obj(values, published=publish)

        return build

    fresh_kinds = {
        "framework_fresh": [
            ("draft", fresh(lambda f, p, c, a: {"framework_id": f.id}, False)),
            ("published", fresh(lambda f, p, c, a: {"framework_id": f.id}, True)),
        ],
        "profile_fresh": [
            ("draft", fresh(lambda f, p, c, a: {"profile_id": p.id}, False)),
        ],
        "item_fresh": [
            ("draft competence", fresh(lambda f, p, c, a: {"item_id": c.id}, False)),
            ("draft ability", fresh(lambda f, p, c, a: {"item_id": a.id}, False)),
            ("published ability", fresh(lambda f, p, c, a: {"item_id": a.id}, True)),
        ],
    }
    return kinds, fresh_kinds
