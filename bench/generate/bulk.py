"""Bulk loading for the generator: PostgreSQL `COPY ... FROM STDIN` (psycopg 3) or, on SQLite,
an executemany of SQLAlchemy Core inserts; the database constraints stay on either way."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from decimal import Decimal

from sqlalchemy import func, select, text

from lms.db import db

CHUNK = 10_000


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.time):  # datetimes too: ISO 8601, with their offset
        return value.isoformat()
    return str(value).translate(_ESCAPES)


class Loader:
    """Writes rows into tables of the open session's connection, allocating ids itself (so
    that child rows can name their parents before anything is written)."""

    def __init__(self):
        self.conn = db.session.connection()
        self.pg = self.conn.dialect.name == "postgresql"
        self._next: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    def ids(self, table: str, n: int) -> range:
        """n fresh ids of table (after the largest id already there)."""
        if table not in self._next:
            t = db.metadata.tables[table]
            self._next[table] = (self.conn.scalar(select(func.max(t.c.id))) or 0) + 1
        start = self._next[table]
        self._next[table] += n
        return range(start, start + n)

    def load(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        """Insert rows (tuples in the order of columns; enums as their stored strings)."""
        started = time.perf_counter()
        n = self._copy(table, columns, rows) if self.pg else self._insert(table, columns, rows)
        self.counts[table] = self.counts.get(table, 0) + n
        self.seconds[table] = self.seconds.get(table, 0.0) + time.perf_counter() - started
        return n

    def _copy(self, table, columns, rows) -> int:
        """COPY in PostgreSQL's text format, written by chunks of lines (much faster than
        adapting each value with write_row)."""
        raw = self.conn.connection.driver_connection
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        n = 0
        lines: list[str] = []
        with raw.cursor() as cur, cur.copy(sql) as copy:
            for row in rows:
                lines.append("\t".join(map(_text, row)))
                if len(lines) >= CHUNK:
                    copy.write("\n".join(lines) + "\n")
                    n += len(lines)
                    lines = []
            if lines:
                copy.write("\n".join(lines) + "\n")
                n += len(lines)
        return n

    def _insert(self, table, columns, rows) -> int:
        stmt = db.metadata.tables[table].insert()
        batch: list[dict] = []
        n = 0
        for row in rows:
            batch.append(dict(zip(columns, row, strict=True)))
            if len(batch) >= CHUNK:
                self.conn.execute(stmt, batch)
                n += len(batch)
                batch = []
        if batch:
            self.conn.execute(stmt, batch)
            n += len(batch)
        return n

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids given out here; refresh statistics
        (SQLite; on PostgreSQL vacuum() does it after the commit)."""
        if not self.pg:
            self.conn.execute(text("ANALYZE"))
            return
        for table in self._next:
            self.conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"  # metadata's table names
                )
            )


def vacuum(engine) -> None:
    """PostgreSQL, after the load is committed: VACUUM ANALYZE, as autovacuum would do in a
    running deployment (it is off on some machines, and late on all). Without statistics the
    planner takes the bulk-loaded tables for empty ones and picks nested loops over thousands
    of rows; without the visibility map index-only scans read the table too."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
