"""Database base: one metadata with a naming convention, typed declarative base, helpers."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    DateTime,
    Enum,
    MetaData,
    TypeDecorator,
    UniqueConstraint,
    event,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.orm.exc import StaleDataError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Ids are 32-bit integer columns on PostgreSQL: a larger number can name no row.
MAX_ID = 2**31 - 1


def utcnow() -> dt.datetime:
    """Current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


def db_enum(enum_cls, name: str, length: int = 30) -> Enum:
    """An enum stored as its string values, with a CHECK constraint in the database."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=length,
        name=name,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


# --- constraint violations as domain errors ------------------------------------------------

# Constraint (or unique index) name -> a callable returning the domain error it means. The
# model packages register their own constraints next to the models that declare them.
_VIOLATIONS: dict[str, Callable[[], Exception]] = {}

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$")
_SQLITE_INDEX = re.compile(r"index '([^']+)'")
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (\w+)$")


def on_violation(name: str, error: Callable[[], Exception]) -> None:
    """Register the domain error that a violation of the named constraint becomes."""
    _VIOLATIONS[name] = error


def _unique_named(table: str, columns: list[str]) -> str | None:
    """The name of the unique constraint or index of `table` on exactly these columns."""
    tbl = db.metadata.tables.get(table)
    if tbl is None:
        return None
    wanted = set(columns)
    pk = tbl.primary_key
    if pk is not None and pk.name and {col.name for col in pk.columns} == wanted:
        return str(pk.name)
    for c in tbl.constraints:
        if isinstance(c, UniqueConstraint) and {col.name for col in c.columns} == wanted:
            return str(c.name)
    for ix in tbl.indexes:
        if ix.unique and {col.name for col in ix.columns} == wanted:
            return str(ix.name)
    return None


def violated_constraint(exc: IntegrityError) -> str | None:
    """The name of the constraint an IntegrityError broke, when the database tells it."""
    name = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)  # psycopg
    if name:
        return name
    message = str(exc.orig).strip()
    if m := _SQLITE_UNIQUE.match(message):
        target = m.group(1)
        if ix := _SQLITE_INDEX.match(target):  # an expression index is named by SQLite
            return ix.group(1)
        qualified = [c.strip().split(".", 1) for c in target.split(",")]
        if all(len(q) == 2 for q in qualified) and len({q[0] for q in qualified}) == 1:
            return _unique_named(qualified[0][0], [q[1] for q in qualified])
        return None
    if m := _SQLITE_CHECK.match(message):
        return m.group(1)
    return None


def domain_error_for(exc: IntegrityError) -> Exception | None:
    """The registered domain error for this violation, or None when nothing is registered."""
    name = violated_constraint(exc)
    factory = _VIOLATIONS.get(name) if name else None
    return factory() if factory is not None else None


@contextmanager
def domain_errors() -> Iterator[None]:
    """Around a write: a version conflict becomes StaleEdit, a registered constraint
    violation its domain error; any other IntegrityError goes up as a server error."""
    from lms.errors import StaleEdit

    try:
        yield
    except StaleDataError as exc:
        raise StaleEdit() from exc
    except IntegrityError as exc:
        error = domain_error_for(exc)
        if error is None:
            raise
        raise error from exc


def flush_versioned() -> None:
    """Flush the session, with the errors of `domain_errors`."""
    with domain_errors():
        db.session.flush()


class AppendOnly(RuntimeError):
    """A row of an append-only table (audit, snapshots, histories) was to be changed."""


def append_only(model, what: str) -> None:
    """Refuse in the ORM every UPDATE and DELETE of a model's rows; the database refuses them
    too, with triggers written in the model's migration."""

    @event.listens_for(model, "before_update")
    def _refuse_update(mapper, connection, target):
        raise AppendOnly(f"{what} are never changed")

    @event.listens_for(model, "before_delete")
    def _refuse_delete(mapper, connection, target):
        raise AppendOnly(f"{what} are never deleted")


def execute_aside(statement) -> None:
    """Run one small write in a transaction of its own, outside the request's session: for
    bookkeeping a read request must save ("last used", "last seen") and a failing request
    must not lose."""
    with db.engine.begin() as conn:
        conn.execute(statement)


def next_position(column, *where) -> int:
    """The position after the last one of the rows matching where (1 for the first row)."""
    return db.session.scalar(select(func.coalesce(func.max(column), 0)).where(*where)) + 1


# --- work that runs once the transaction has committed -------------------------------------

# Key in Session.info: {action key: [values queued in the current transaction]}.
_AFTER_COMMIT_KEY = "lms_after_commit"
# Action key -> what to do with the values once their transaction has committed.
_AFTER_COMMIT: dict[str, Callable[[list], None]] = {}

_log = logging.getLogger(__name__)


def register_after_commit(key: str, action: Callable[[list], None]) -> None:
    """Declare what runs after a commit for the values queued under key (action(values),
    once per commit, values in the order they were queued); installs the session hooks."""
    _AFTER_COMMIT[key] = action
    if not event.contains(Session, "after_commit", _run_after_commit):
        event.listen(Session, "after_commit", _run_after_commit)
        event.listen(Session, "after_rollback", _forget_after_rollback)


def after_commit(key: str, value) -> None:
    """Queue value for key's action, to run once the current transaction commits (never
    inside it, never after a rollback)."""
    if key not in _AFTER_COMMIT:
        raise KeyError(f"no after-commit action registered for {key!r}")
    db.session.info.setdefault(_AFTER_COMMIT_KEY, {}).setdefault(key, []).append(value)


def _run_after_commit(session: Session) -> None:
    pending = session.info.pop(_AFTER_COMMIT_KEY, None)
    for key, values in (pending or {}).items():
        try:
            _AFTER_COMMIT[key](values)
        except Exception:  # the change is committed; each action has its own way to retry
            _log.exception("after-commit action %s failed", key)


def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT_KEY, None)
