"""The kinds of background job the feature packages register from their init_app.

lms knows no feature package: issuing (certificates), exports or mail batches each register
a kind with its handler, its label and who besides the creator and the admins may follow it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import LazyString

EXTENSION = "lms_jobs"

# handler(actor, item_key, **params) -> a JSON-able result (ids of what it created) or None
Handler = Callable[..., dict | None]


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Handler
    label: str  # English msgid with %(name)s placeholders filled from the job's title_params
    can_view: Callable[[object, object], bool]


def _never(user, job) -> bool:
    return False


def register_job_kind(
    app: Flask,
    name: str,
    handler: Handler,
    *,
    label: str | LazyString,
    can_view: Callable[[object, object], bool] | None = None,
) -> JobKind:
    """Register a kind of job: its handler processes ONE item inside the runner's
    transaction (flush, never commit); can_view(user, job) lets more people follow it."""
    msgid = str(label._args[0]) if isinstance(label, LazyString) else str(label)
    kind = JobKind(name, handler, msgid, can_view or _never)
    app.extensions.setdefault(EXTENSION, {})[name] = kind
    return kind


def job_kind(name: str) -> JobKind | None:
    """The registered kind of this app, or None (a worker started without its package)."""
    return current_app.extensions.get(EXTENSION, {}).get(name)
