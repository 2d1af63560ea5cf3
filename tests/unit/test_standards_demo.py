"""The demo holds the published illustrative framework and the admin's draft of its next
version; every demo step keeps resting on the published one, also when run again."""

from __future__ import annotations

from sqlalchemy import select

from courses.models import module_framework_items as links
from lms.db import db
from lms.standards.demo import DRAFT_NOTE, ILLUSTRATIVE_CODE, illustrative_framework
from lms.standards.models import Framework, FrameworkItem, FrameworkStatus


def _frameworks():
    return list(
        db.session.scalars(
            select(Framework).where(Framework.code == ILLUSTRATIVE_CODE).order_by(Framework.id)
        )
    )


def test_the_demo_has_a_draft_of_the_next_version_and_rests_on_the_published_one(app):
    runner = app.test_cli_runner()
    for _run in range(2):  # the demo can be loaded again: still one draft
        result = runner.invoke(args=["lms", "demo"])
        assert result.exit_code == 0, result.output
        db.session.remove()
    published, draft = _frameworks()
    assert published.status == FrameworkStatus.PUBLISHED and published.version == "demo-1"
    assert draft.status == FrameworkStatus.DRAFT and draft.version == "demo-2"
    assert draft.based_on_id == published.id and draft.description.startswith(DRAFT_NOTE)
    assert illustrative_framework().id == published.id
    # the draft has the same items; the modules point at the published framework's only
    count = select(FrameworkItem.id).where(FrameworkItem.framework_id == draft.id)
    assert len(db.session.scalars(count).all()) == 42
    linked = db.session.scalars(
        select(FrameworkItem.framework_id).join(
            links, links.c.framework_item_id == FrameworkItem.id
        )
    ).all()
    assert linked and set(linked) == {published.id}
