"""Browser tests: Playwright (sync API) driving Debian's Chromium against a live server.

The convention every browser test follows (and later packages' tests too):

* Never call ``page.goto()`` or click something that loads a new page directly. Use the
  fixtures ``visit(page, "/path")`` to open a page, ``submit(page, locator)`` to click a
  button or link that loads a new document, and ``login(page, email)`` to log in. Each of
  them checks the HTTP status (200 unless ``status=`` says otherwise) and runs axe-core
  (WCAG 2.0/2.1 A and AA rules) on the page that was loaded; a violation fails the test
  with the rule, impact, target selectors and URL.
* The ``page`` fixture records every document the tab shows. If a test passes but a
  document was shown without an axe check (because it used ``page.goto`` or a bare
  ``click``), the test fails at teardown. An unchecked page is a failure, not a gap.
* JavaScript errors and Content-Security-Policy violations reported by the browser fail
  the check as well, and so does any exception the live server logs during a test.

axe is added with ``context.add_init_script`` (and ``page.evaluate`` as a fallback): both go
through the DevTools protocol, which the page's CSP (``script-src 'self'``) does not apply
to, whereas ``add_script_tag`` inserts an inline ``<script>`` that the CSP blocks. We keep
the CSP on (no ``bypass_csp``) so the tests also see what a real browser refuses to run:
CSP violations reported in the console fail the check.

The live server is the real app (CSRF on, real login, TESTING off) on a free 127.0.0.1
port, on its own migrated database (a SQLite file, or a scratch PostgreSQL database
``<LMS_TEST_DATABASE_URL database>_e2e`` when that variable is set), with the full demo
loaded by ``flask lms demo``. Demo accounts log in with ``config["DEMO_PASSWORD"]``.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from lms import create_app
from tests.conftest import PG_URL, migrate_to_head
from tests.e2e.support import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    LiveServer,
    _chromium_path,
    _ErrorCollector,
    _QuietHandler,
    _scratch_postgres,
    _state,
    live_config,
    log_in,
    new_page,
    submit_form,
    visit_page,
)


def pytest_collection_modifyitems(config, items):
    """Every test under tests/e2e carries the e2e marker (select with -m e2e)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures know whether the test passed."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


# --- the live server -------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real app with the demo loaded, served on a free port in a background thread."""
    tmp = tmp_path_factory.mktemp("live")
    drop = None
    if PG_URL:
        database_url, drop = _scratch_postgres(PG_URL, "e2e")
    else:
        database_url = f"sqlite:///{tmp / 'live.sqlite'}"
    migrate_to_head(database_url, tmp)

    app = create_app(live_config(database_url, tmp))
    errors = _ErrorCollector()
    app.logger.addHandler(errors)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    # Links in e-mails and in issued documents (verification URLs, QR codes), from the demo on.
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    result = app.test_cli_runner().invoke(args=["lms", "demo"])
    if result.exit_code != 0:
        server.server_close()
        raise RuntimeError(f"flask lms demo failed:\n{result.output}") from result.exception

    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(
            url=f"http://127.0.0.1:{server.server_port}",
            app=app,
            password=app.config["DEMO_PASSWORD"],
            errors=errors,
        )
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.logger.removeHandler(errors)
        with app.app_context():
            from lms.db import db

            db.engine.dispose()
        if drop is not None:
            drop()


# --- the browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module, stopped at the module's end.

    Playwright's sync API keeps its event loop running in this thread while it lives, and the
    tests that follow the browser tests (pyHanko's validator calls asyncio.run()) need it gone;
    "package" scope would not do: tests/e2e is a plain directory, so it means the session."""
    executable = _chromium_path()
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        instance = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception:
        pw.stop()
        raise
    yield instance
    instance.close()
    pw.stop()


@pytest.fixture
def page(live_server, browser, request):
    """A fresh browser context (Italian) and tab; fails if a page escaped the axe check.

    The live server (and its demo) comes first: Playwright's sync API runs an event loop in
    this thread, and the demo's PDF signing (pyHanko) calls asyncio.run()."""
    live_server.take_errors()
    pg = new_page(browser, live_server)
    yield pg
    state = _state(pg)
    pg.context.close()
    call = getattr(request.node, "rep_call", None)
    server_errors = live_server.take_errors()
    if call is None or not call.passed:
        return
    if server_errors:
        pytest.fail("The live server logged errors:\n" + "\n".join(server_errors), pytrace=False)
    unchecked = state.unchecked + ([state.pending] if state.pending else [])
    if unchecked:
        pytest.fail(
            "Pages shown without an axe check (open pages with visit()/submit(), "
            "not page.goto or a bare click):\n  " + "\n  ".join(unchecked),
            pytrace=False,
        )


@pytest.fixture
def visit():
    """visit(page, path, status=200): open a page, check status and accessibility."""
    return visit_page


@pytest.fixture
def submit():
    """submit(page, locator, status=200): click, wait for the new page, check it."""
    return submit_form


@pytest.fixture
def login():
    """login(page, email, password=None, locale="it"): log in through the form."""
    return log_in


@pytest.fixture
def artifacts() -> Path:
    """Folder for screenshots (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
