"""Background jobs: a batch of items processed outside the web request, with visible progress.

The feature packages register their kinds (lms.jobs.registry.register_job_kind) from their
init_app and start jobs with lms.jobs.services.enqueue; lms.jobs.runner runs them.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("jobs", __name__)


def init_app(app: Flask) -> None:
    """Register the tables, the start-after-commit action, the pages, the API routes, the
    predicates, the navigation entry, `flask lms worker` and `flask lms jobs`."""
    from flask_babel import lazy_gettext as _l

    from lms.cli import lms_cli
    from lms.db import register_after_commit
    from lms.jobs import api as _api  # noqa: F401 - routes on the API blueprint
    from lms.jobs import models as _models  # noqa: F401 - the tables in the metadata
    from lms.jobs import permissions, services, views  # noqa: F401 - views: routes on bp
    from lms.jobs.cli import jobs_group, worker_command
    from lms.jobs.runner import dispatch
    from lms.jobs.services import DISPATCH_KEY
    from lms.navigation import NavItem, add_nav
    from lms.permissions import expose

    register_after_commit(DISPATCH_KEY, dispatch)
    app.register_blueprint(bp)
    expose(app, permissions)
    app.jinja_env.globals.update(
        job_title=services.title_of,
        job_progress_text=services.progress_text,
        job_state_label=services.state_label,
    )
    add_nav(
        app,
        NavItem(
            "jobs.index",
            label=lambda: str(_l("Background jobs")),
            visible=permissions.sees_jobs_link,
            order=950,
        ),
    )
    lms_cli.add_command(worker_command)
    lms_cli.add_command(jobs_group)
