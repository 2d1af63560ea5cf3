"""Enrolment: one by one, by organisation, by CSV (dry run first); withdrawal; waiting list."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, insert, select, text

from courses.models import Course, Enrolment, EnrolmentStatus
from courses.permissions import can_manage_course, can_view_enrolments, report_scope
from courses.services.common import ensure_not_closed
from lms.accounts.models import Role, User, UserRole
from lms.accounts.permissions import is_trainee
from lms.audit.services import record, record_many, snapshot
from lms.db import db, domain_errors, flush_versioned
from lms.errors import Conflict, ValidationFailed
from lms.permissions import require, require_actor
from lms.timezone import LOCAL_TZ
from lms.validation import required_reason, text_problem

FIELDS = ["course_id", "user_id", "status", "enrolled_on", "withdrawn_on", "withdraw_reason"]
MAX_CSV_ROWS = 2000


def today() -> dt.date:
    """Today's local date (Europe/Rome)."""
    return dt.datetime.now(LOCAL_TZ).date()


def active_count(course: Course) -> int:
    return db.session.scalar(
        select(func.count(Enrolment.id)).where(
            Enrolment.course_id == course.id, Enrolment.status == EnrolmentStatus.ACTIVE
        )
    )


def enrolments_query(actor: User, course: Course):
    """A select of the course's enrolments the actor may see (a referent: their employees')."""
    require_actor(actor)
    require(can_view_enrolments(actor, course), private=True)
    q = select(Enrolment).where(Enrolment.course_id == course.id).order_by(Enrolment.id)
    scope = report_scope(actor, course)
    if scope is not None:
        q = q.join(User, User.id == Enrolment.user_id).where(User.organisation_id == scope)
    return q


def trainee_candidates() -> list[User]:
    """Active people with the trainee role, by name: who may be enrolled."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.TRAINEE, User.active.is_(True))
            .order_by(User.full_name)
        )
    )


def _lock_places(course: Course) -> None:
    """Hold the course's places until the transaction ends, before counting them.

    Capacity is counted and then written, so no two transactions may count the same course
    at once, or both would take the last place. PostgreSQL: the course row is locked
    (SELECT ... FOR NO KEY UPDATE: like FOR UPDATE between enrolments, without blocking the
    foreign-key checks of rows that merely refer to the course); a second enrolment waits
    here until the first commits, and its count (READ COMMITTED: each statement sees what
    committed before it) includes the first one's place. SQLite has no row locks but a
    single writer: a no-op UPDATE of the course takes the write lock now, before the count,
    so the count and the insert happen with no other writer in between. A counter column
    with a CHECK would also be safe, but every path that changes a status would have to
    keep it; the lock guards the one place where places are given.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            select(Course.id).where(Course.id == course.id).with_for_update(key_share=True)
        )
    else:
        db.session.execute(text("UPDATE courses SET id = id WHERE id = :id"), {"id": course.id})


def _check_trainee(user: User) -> None:
    if not user.active or not is_trainee(user):
        msg = _("%(name)s is not an active trainee.", name=user.full_name)
        raise ValidationFailed(msg, {"user_id": [msg]})


def _existing_of(course: Course, user_ids: list[int]) -> dict[int, Enrolment]:
    """The course's enrolments of these people (withdrawn ones too), in one query."""
    if not user_ids:
        return {}
    rows = db.session.scalars(
        select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id.in_(user_ids))
    )
    return {e.user_id: e for e in rows}


def _enrol_many(
    actor, course: Course, people: list[tuple[User, dt.date | None]]
) -> list[Enrolment]:
    """Enrol people in a fixed number of queries: lock, load, count, insert, update, audit.

    Places go in the order given; once the course is full the rest join the waiting list.
    """
    _lock_places(course)
    existing = _existing_of(course, [u.id for u, _ in people])
    free = None if course.capacity is None else course.capacity - active_count(course)
    planned: list[tuple[int, Enrolment | None]] = []
    rows, reinstated = [], []
    for user, enrolled_on in people:
        enrolled_on = enrolled_on or today()
        found = existing.get(user.id)
        if found is not None and found.status != EnrolmentStatus.WITHDRAWN:
            msg = _("%(name)s is already enrolled in this course.", name=user.full_name)
            raise ValidationFailed(msg, {"user_id": [msg]})
        full = free is not None and free <= 0
        status = EnrolmentStatus.WAITING if full else EnrolmentStatus.ACTIVE
        if free is not None and not full:
            free -= 1
        planned.append((user.id, found))
        if found is not None:
            # Coming back after a withdrawal: the earlier record stays in the audit trail, and
            # lessons between withdrawal and return do not count.
            before = snapshot(found, FIELDS)
            found.status, found.enrolled_on = status, max(enrolled_on, found.enrolled_on)
            found.withdrawn_on = found.withdraw_reason = None
            reinstated.append((found, before))
            continue
        rows.append(
            {
                "course_id": course.id,
                "user_id": user.id,
                "status": status,
                "enrolled_on": enrolled_on,
                "withdrawn_on": None,
                "withdraw_reason": None,
            }
        )
    flush_versioned()
    created: dict[int, Enrolment] = {}
    if rows:
        # One executemany INSERT, then one SELECT for the new rows with their ids (SQLite
        # cannot return the ids of a multi-row insert in order, PostgreSQL could).
        with domain_errors():
            db.session.execute(insert(Enrolment), rows)
        created = _existing_of(course, [r["user_id"] for r in rows])
    record_many(
        actor,
        "enrolment.reinstate",
        "enrolment",
        [(e.id, before, snapshot(e, FIELDS)) for e, before in reinstated],
    )
    record_many(
        actor,
        "enrolment.create",
        "enrolment",
        [(created[r["user_id"]].id, None, snapshot(created[r["user_id"]], FIELDS)) for r in rows],
    )
    return [found if found is not None else created[uid] for uid, found in planned]


def enrol(
    actor: User, course: Course, user: User, *, enrolled_on: dt.date | None = None
) -> Enrolment:
    """Enrol a trainee; when the course is full the trainee goes on the waiting list."""
    require_actor(actor)
    require(can_manage_course(actor, course))
    ensure_not_closed(course)
    _check_trainee(user)
    return _enrol_many(actor, course, [(user, enrolled_on)])[0]


def enrol_organisation(
    actor: User, course: Course, organisation_id: int, *, enrolled_on: dt.date | None = None
) -> tuple[list[Enrolment], int]:
    """Enrol every active trainee of an organisation not yet enrolled; returns (new, skipped)."""
    require_actor(actor)
    require(can_manage_course(actor, course))
    ensure_not_closed(course)
    users = db.session.scalars(
        select(User)
        .where(User.organisation_id == organisation_id, User.active.is_(True))
        .order_by(User.full_name)
    ).all()
    enrolled_ids = set(
        db.session.scalars(
            select(Enrolment.user_id).where(
                Enrolment.course_id == course.id, Enrolment.status != EnrolmentStatus.WITHDRAWN
            )
        )
    )
    trainees = [u for u in users if is_trainee(u)]
    todo = [(u, enrolled_on) for u in trainees if u.id not in enrolled_ids]
    skipped = len(trainees) - len(todo)
    return (_enrol_many(actor, course, todo) if todo else []), skipped


def withdraw(
    actor: User, enrolment: Enrolment, course: Course, reason: str, *, on: dt.date | None = None
) -> Enrolment:
    """Withdraw a trainee with a reason; the enrolment is kept, the waiting list moves up."""
    require_actor(actor)
    require(can_manage_course(actor, course))
    ensure_not_closed(course)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise Conflict(_("This trainee has already withdrawn."))
    reason = required_reason(reason)
    on = on or today()
    was_active = enrolment.status == EnrolmentStatus.ACTIVE
    before = snapshot(enrolment, FIELDS)
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_on = max(on, enrolment.enrolled_on)
    enrolment.withdraw_reason = reason
    flush_versioned()
    record(
        actor,
        "enrolment.withdraw",
        "enrolment",
        enrolment.id,
        before,
        snapshot(enrolment, FIELDS),
        reason,
    )
    if was_active:
        promote_waiting(actor, course)
    return enrolment


def promote_waiting(actor: User, course: Course) -> list[Enrolment]:
    """Move trainees from the waiting list into free places, first come first served."""
    require_actor(actor)
    require(can_manage_course(actor, course))
    _lock_places(course)
    q = (
        select(Enrolment)
        .where(Enrolment.course_id == course.id, Enrolment.status == EnrolmentStatus.WAITING)
        .order_by(Enrolment.created_at, Enrolment.id)
    )
    if course.capacity is not None:
        free = course.capacity - active_count(course)
        if free <= 0:
            return []
        q = q.limit(free)
    promoted = list(db.session.scalars(q))
    for e in promoted:
        e.status = EnrolmentStatus.ACTIVE
        e.enrolled_on = max(today(), e.enrolled_on)
    flush_versioned()
    record_many(
        actor,
        "enrolment.promote",
        "enrolment",
        [
            (e.id, {"status": "waiting"}, {"status": "active", "enrolled_on": e.enrolled_on})
            for e in promoted
        ],
    )
    return promoted


@dataclass
class CsvRow:
    line: int
    email: str
    enrolled_on: dt.date | None
    user: User | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class CsvResult:
    rows: list[CsvRow]
    applied: bool = False
    errors: list[str] = field(default_factory=list)  # problems with the file itself

    @property
    def row_errors(self) -> list[CsvRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.row_errors


def _parse_date(raw: str) -> dt.date:
    raw = raw.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)


def parse_enrolment_csv(data: bytes) -> CsvResult:
    """Read a CSV of trainees to enrol: column email, optional enrolment date."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return CsvResult([], errors=[_("The file is not UTF-8 text. Save it as CSV UTF-8.")])
    sample = text[:2048]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        return CsvResult([], errors=[_("The file is empty.")])
    header = [h.strip().lower() for h in rows[0]]
    email_keys = ("email", "e-mail", "mail")
    date_keys = ("enrolled_on", "data_iscrizione", "data iscrizione", "date")
    if not any(k in header for k in email_keys):
        return CsvResult(
            [], errors=[_("The first line must name the columns, with one called 'email'.")]
        )
    ei = next(header.index(k) for k in email_keys if k in header)
    di = next((header.index(k) for k in date_keys if k in header), None)
    if len(rows) - 1 > MAX_CSV_ROWS:
        return CsvResult([], errors=[_("At most %(n)d rows per file.", n=MAX_CSV_ROWS)])
    out: list[CsvRow] = []
    for n, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        email = cells[ei].strip().lower() if ei < len(cells) else ""
        problem = text_problem(email, multiline=False) or (
            _("At most %(n)d characters.", n=254) if len(email) > 254 else None
        )
        row = CsvRow(line=n, email="" if problem else email, enrolled_on=None)
        if problem:
            row.errors.append(problem)
        if di is not None and di < len(cells) and cells[di].strip():
            try:
                row.enrolled_on = _parse_date(cells[di])
            except ValueError:
                row.errors.append(
                    _(
                        "The date '%(value)s' is not valid (use 2025-03-31 or 31/03/2025).",
                        value=cells[di].strip(),
                    )
                )
        out.append(row)
    return CsvResult(out)


def check_csv(course: Course, result: CsvResult) -> CsvResult:
    """Check every row against the accounts and the course, changing nothing."""
    emails = [r.email for r in result.rows if r.email]
    users = {
        u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails or [""])))
    }
    enrolled = set(
        db.session.scalars(
            select(Enrolment.user_id).where(
                Enrolment.course_id == course.id, Enrolment.status != EnrolmentStatus.WITHDRAWN
            )
        )
    )
    seen: set[str] = set()
    for r in result.rows:
        if not r.email:
            if not r.errors:  # an email refused while reading has its message already
                r.errors.append(_("The email is missing."))
            continue
        if r.email in seen:
            r.errors.append(_("This email appears twice in the file."))
            continue
        seen.add(r.email)
        r.user = users.get(r.email)
        if r.user is None:
            r.errors.append(_("No account has this email."))
        elif not r.user.active or not is_trainee(r.user):
            r.errors.append(_("This account is not an active trainee."))
        elif r.user.id in enrolled:
            r.errors.append(_("Already enrolled in this course."))
    return result


def import_csv(actor: User, course: Course, data: bytes, *, dry_run: bool = True) -> CsvResult:
    """Enrol the trainees of a CSV file; a dry run only reports, and errors block the import."""
    require_actor(actor)
    require(can_manage_course(actor, course))
    ensure_not_closed(course)
    result = check_csv(course, parse_enrolment_csv(data))
    if dry_run or not result.ok:
        return result
    if result.rows:
        _enrol_many(actor, course, [(r.user, r.enrolled_on) for r in result.rows])
    result.applied = True
    return result
