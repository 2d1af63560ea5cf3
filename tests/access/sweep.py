"""The access sweep: every route, every method, every role and the anonymous visitor, on
objects inside and outside the role's scope, compared with the written table.

Used by tests/access/test_sweep.py; kept apart so that the tests of the test can run it on
an app with a deliberate hole in it.
"""

from __future__ import annotations

import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import event

from tests.access.table import ANONYMOUS, ROLES, TABLE, Entry
from tests.access.world import Obj, World
from tests.conftest import login

SKIPPED_METHODS = {"HEAD", "OPTIONS"}
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE")
# Bookkeeping every authenticated request may save, refused or not ("last seen" of a login
# session, "last used" of a token): not a write the refused request made.
BOOKKEEPING = {"UPDATE user_sessions", "UPDATE api_tokens"}

REACH = "to reach the view"
REFUSED = "403 or 404"
HIDDEN = "404 (existence is private)"
LOGIN_HTML = "a redirect to the login page"
LOGIN_API = "401 unauthorized"


def routes_of(app) -> list[tuple[str, str, object]]:
    """(endpoint, method, rule) for every route of the app."""
    out = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS):
            out.append((rule.endpoint, method, rule))
    return sorted(out, key=lambda r: (r[0], r[1]))


def coverage_problems(
    app, table: dict[str, Entry] = TABLE, world: World | None = None
) -> list[str]:
    """Routes the table misses, entries the app no longer has, kinds that do not fit the URL."""
    problems = []
    seen: dict[str, set[str]] = {}
    for endpoint, method, rule in routes_of(app):
        seen.setdefault(endpoint, set()).add(method)
        entry = table.get(endpoint)
        if entry is None:
            problems.append(f"{endpoint} {method} {rule.rule}: not in the access table")
            continue
        if method not in entry.methods:
            problems.append(f"{endpoint} {method} {rule.rule}: method not in the access table")
        names = set(rule.arguments)
        if names and entry.kind is None:
            problems.append(f"{endpoint} {rule.rule}: the table names no kind of object")
        if world is not None and entry.kind is not None:
            if entry.kind not in (world.fresh if entry.fresh else world.kinds):
                problems.append(f"{endpoint}: the world has no objects of kind {entry.kind}")
            for variant, obj in world.kinds.get(entry.kind, []):
                if set(obj.values) != names:
                    problems.append(
                        f"{endpoint} {rule.rule}: kind {entry.kind} ({variant}) fills "
                        f"{sorted(obj.values)}, the URL needs {sorted(names)}"
                    )
    for endpoint, entry in table.items():
        if endpoint not in seen:
            problems.append(f"{endpoint}: in the access table but not a route of the app")
        else:
            for method in sorted(entry.methods - seen[endpoint]):
                problems.append(f"{endpoint} {method}: in the access table but not a route")
    return problems


class WriteMonitor:
    """Records the INSERT/UPDATE/DELETE statements that get committed."""

    def __init__(self, engine):
        self.pending: dict[int, list[str]] = {}
        self.committed: list[str] = []
        event.listen(engine, "before_cursor_execute", self._execute)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._rollback)

    def _execute(self, conn, cursor, statement, parameters, context, executemany):
        words = statement.lstrip().split(None, 3)
        if words and words[0].upper() in WRITE_VERBS:
            target = words[2] if words[0].upper() != "UPDATE" else words[1]
            self.pending.setdefault(id(conn), []).append(f"{words[0].upper()} {target}")

    def _commit(self, conn):
        self.committed.extend(w for w in self.pending.pop(id(conn), []) if w not in BOOKKEEPING)

    def _rollback(self, conn):
        self.pending.pop(id(conn), None)

    def reset(self) -> None:
        self.pending.clear()
        self.committed = []


class RoleClients:
    """One logged-in client per role; the session cookie is put back before each call, so a
    call that logs out or changes the language does not change the next one."""

    def __init__(self, app, world: World):
        self.app, self.world = app, world
        self.clients, self.cookies = {}, {}
        for role in ROLES:
            self.log_in(role)

    def log_in(self, role: str) -> None:
        """(Again) a fresh login: a call that signs out ends the server-side session, so
        putting its cookie back would no longer log in."""
        client = self.app.test_client()
        login(client, self.world.users[role])
        self.clients[role] = client
        self.cookies[role] = client.get_cookie("session").value

    def client(self, role: str):
        if role == ANONYMOUS:
            return self.app.test_client()
        client = self.clients[role]
        client.set_cookie("session", self.cookies[role])
        return client


@dataclass(frozen=True)
class Violation:
    endpoint: str
    method: str
    path: str
    role: str
    variant: str
    expected: str
    got: str

    def __str__(self) -> str:
        return (
            f"{self.endpoint} {self.method} {self.path} as {self.role} on {self.variant}: "
            f"expected {self.expected}, got {self.got}"
        )


@dataclass
class Result:
    violations: list[Violation]
    requests: int
    seconds: float
    expected: Counter = field(default_factory=Counter)  # requests by expected answer

    def report(self) -> str:
        lines = [str(v) for v in self.violations]
        lines.append(f"{len(self.violations)} violations in {self.requests} requests")
        return "\n".join(lines)


Selector = Callable[[str, str, str], bool]  # (endpoint, method, role) -> sweep it?


class Sweep:
    def __init__(self, app, world: World, table: dict[str, Entry] = TABLE):
        self.app, self.world, self.table = app, world, table
        self.clients = RoleClients(app, world)
        from lms.db import db

        self.monitor = WriteMonitor(db.engine)

    def expected(self, entry: Entry, role: str, obj: Obj, is_api: bool) -> str:
        if role == ANONYMOUS and not entry.public:
            return LOGIN_API if is_api else LOGIN_HTML
        scopes = entry.scopes(role)
        if not scopes:
            return REFUSED
        if obj.invalid:
            return HIDDEN
        if entry.public or scopes & self.world.relations(role, obj):
            return REACH
        return HIDDEN

    def run(self, select: Selector = lambda e, m, r: True) -> Result:
        started = time.perf_counter()
        violations: list[Violation] = []
        requests = 0
        counts: Counter = Counter()
        calls = [
            (endpoint, method, rule)
            for endpoint, method, rule in routes_of(self.app)
            if endpoint in self.table
        ]
        calls.sort(key=lambda c: (self.table[c[0]].last, c[0], c[1]))
        for endpoint, method, rule in calls:
            entry = self.table[endpoint]
            for role in (*ROLES, ANONYMOUS):
                if not select(endpoint, method, role):
                    continue
                if entry.kind is None:
                    variants = [("no object", Obj({}))]
                else:
                    variants = self.world.variants(entry.kind, fresh=entry.fresh, role=role)
                for variant, obj in variants:
                    requests += 1
                    counts[self.expected(entry, role, obj, rule.rule.startswith("/api/"))] += 1
                    v = self.call(endpoint, method, rule, entry, role, variant, obj)
                    if v is not None:
                        violations.append(v)
        return Result(violations, requests, time.perf_counter() - started, counts)

    def call(self, endpoint, method, rule, entry, role, variant, obj) -> Violation | None:
        _domain, path = rule.build(obj.values, append_unknown=False)
        is_api = path.startswith("/api/")
        expected = self.expected(entry, role, obj, is_api)
        kwargs = {}
        if method not in ("GET", "DELETE"):
            body = self.world.body(entry.body, obj) if entry.body else {}
            kwargs = {"json": body} if is_api else {"data": body}
        self.monitor.reset()
        try:
            resp = self.clients.client(role).open(path, method=method, **kwargs)
        except Exception as err:  # TESTING lets the view's exception through
            where = traceback.extract_tb(err.__traceback__)[-1]
            got = f"{type(err).__name__}: {err} ({where.filename}:{where.lineno})"
            return Violation(endpoint, method, path, role, variant, expected, got)
        if entry.signs_out and role != ANONYMOUS:
            self.clients.log_in(role)
        status = resp.status_code
        location = resp.headers.get("Location", "")
        to_login = status in (301, 302, 303, 307) and urlsplit(location).path == "/accesso"
        got = f"{status}" + (f" -> {urlsplit(location).path}" if location else "")
        writes = sorted(set(self.monitor.committed))
        if status >= 500:
            ok = False
        elif expected == REACH:
            ok = status not in (401, 403, 404) and (entry.signs_out or not to_login)
        elif expected == REFUSED:
            ok = status in (403, 404)
        elif expected == HIDDEN:
            ok = status == 404
        elif expected == LOGIN_API:
            ok = status == 401 and resp.is_json and resp.json["error"]["code"] == "unauthorized"
        else:
            ok = to_login
        if expected != REACH and writes:
            ok = False
            got += " and wrote " + ", ".join(writes)
        if ok:
            return None
        return Violation(endpoint, method, path, role, variant, expected, got)
