"""Background jobs for the access sweep: one of each role user's own and one of an outsider,
each finished with a failed item (so that its retry reaches the service)."""

from __future__ import annotations

from flask import current_app

from lms.db import db
from tests import jobs_kind
from tests.access.world import Obj, missing


def job_kinds(users: dict, outsider) -> dict:
    """The "job" kind: every role user's own job and someone else's; they run on commit."""
    from lms.jobs.services import enqueue

    jobs_kind.register(current_app)
    owners = [(f"{role}'s own", user) for role, user in users.items()]
    variants = []
    for name, owner in [*owners, ("someone else's", outsider)]:
        job = enqueue(owner, jobs_kind.KIND, [("item:1", "Uno")], {"broken": ["item:1"]})
        db.session.commit()
        variants.append((name, Obj({"job_id": job.id}, person=owner.id, org=owner.organisation_id)))
    return {"job": [*variants, missing("job_id")]}
