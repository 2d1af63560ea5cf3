"""Who may follow and retry a background job: its creator, the admins, and whom its kind lets."""

from __future__ import annotations

from lms.accounts.permissions import is_admin, is_staff
from lms.jobs.models import Job
from lms.jobs.registry import job_kind


def is_job_creator(user, job: Job) -> bool:
    return bool(user.is_authenticated) and job.created_by_id == user.id


def can_view_job(user, job: Job) -> bool:
    """The creator, the admins, and whom the job's kind allows (e.g. the course's staff)."""
    if not user.is_authenticated:
        return False
    if is_job_creator(user, job) or is_admin(user):
        return True
    kind = job_kind(job.kind)
    return bool(kind is not None and kind.can_view(user, job))


def can_manage_job(user, job: Job) -> bool:
    """The creator or an admin act on a job (retry its failed items)."""
    return is_job_creator(user, job) or is_admin(user)


def can_retry_job(user, job: Job) -> bool:
    """The creator or an admin, once the job has finished with failed items."""
    return can_manage_job(user, job) and job.is_finished and job.failed > 0


def can_operate_jobs(user) -> bool:
    """Admins (and the CLI's system account) list every unfinished job and resume them."""
    return is_admin(user)


def can_list_jobs(user) -> bool:
    """Everyone logged in has a list of their own background jobs."""
    return bool(user.is_authenticated)


def sees_jobs_link(user) -> bool:
    """Staff start batch actions (issuing, exports): the navigation links their jobs."""
    return is_staff(user)
