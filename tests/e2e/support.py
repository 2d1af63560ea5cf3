"""The machinery behind the browser-test fixtures of conftest.py: the live server's settings
and error log, the watched page, the axe check, and visit/submit/login."""

from __future__ import annotations

import functools
import logging
import os
import secrets
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import WSGIRequestHandler

from lms import PROJECT_ROOT
from tests.conftest import _normalise_url

AXE_PATH = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 15_000

# The demo accounts of lms/demo.py, one per role.
DEMO_ACCOUNTS = {
    "admin": "admin@demo.example",
    "coordinatore": "coordinatore@demo.example",
    "docente1": "docente1@demo.example",
    "valutatore1": "valutatore1@demo.example",
    "corsista1": "corsista1@demo.example",
    "referente1": "referente1@demo.example",
}


# --- the live server -------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # the access log would only add noise
        pass


class _ErrorCollector(logging.Handler):
    """Keeps what the app logs at ERROR level (unhandled exceptions become 500 pages)."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[str] = []
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record):
        self.records.append(self.format(record))


@dataclass
class LiveServer:
    """The running app: ``url`` without trailing slash, the ``app`` object, server errors."""

    url: str
    app: object
    password: str
    errors: _ErrorCollector

    def take_errors(self) -> list[str]:
        """Server-side errors logged since the last call."""
        found = list(self.errors.records)
        self.errors.records.clear()
        return found


def _scratch_postgres(base_url: str, suffix: str) -> tuple[str, Callable[[], None]]:
    """Create an empty database next to the test database; return its URL and a dropper."""
    url = make_url(_normalise_url(base_url))
    name = f"{url.database}_{suffix}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def live_config(database_url: str, tmp: Path) -> dict:
    """Production-like settings, except what plain HTTP and speed need."""
    return {
        "TESTING": False,
        "DEBUG": False,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "WTF_CSRF_ENABLED": True,
        "SESSION_COOKIE_SECURE": False,  # plain http on 127.0.0.1
        "REMEMBER_COOKIE_SECURE": False,
        "RATELIMIT_ENABLED": False,  # every test logs in from the same address
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "UPLOAD_FOLDER": str(tmp / "uploads"),
        "MAIL_OUTBOX": str(tmp / "outbox"),  # read back by the tests of e-mailed links
        "MAIL_URL": None,
        "REDIS_URL": None,
    }


# --- the browser -----------------------------------------------------------------------


def _chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        reason = "Debian's chromium is not installed (make system-tools installs it)"
        if os.environ.get("LMS_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + "; LMS_REQUIRE_BROWSER=1 forbids skipping browser tests")
        pytest.skip(reason)
    return path


@dataclass
class PageState:
    """What the ``page`` fixture knows about the documents its tab has shown."""

    password: str
    current: str | None = None  # URL of the document on screen
    pending: str | None = None  # that URL again, until axe has checked it
    unchecked: list[str] = field(default_factory=list)
    browser_errors: list[str] = field(default_factory=list)


def _state(page) -> PageState:
    state = getattr(page, "_lms_state", None)
    if state is None:
        raise RuntimeError("use the `page` fixture of tests/e2e/conftest.py")
    return state


def _watch(page, state: PageState) -> None:
    def on_navigated(frame):
        if frame != page.main_frame or frame.url == "about:blank":
            return
        url = frame.url
        if (
            state.current
            and url != state.current
            and urldefrag(url)[0] == urldefrag(state.current)[0]
        ):
            state.current = url  # an in-page anchor: same document
            return
        if state.pending:
            state.unchecked.append(state.pending)
        state.current = state.pending = url

    def on_console(msg):
        if msg.type == "error" and "Content Security Policy" in msg.text:
            state.browser_errors.append(f"CSP: {msg.text}")

    def on_page_error(err):
        state.browser_errors.append(f"JavaScript error: {err}")

    page.on("framenavigated", on_navigated)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)


def new_page(browser, live_server, locale: str = "it-IT"):
    """A page in a fresh context, watched by the axe convention."""
    context = browser.new_context(
        base_url=live_server.url,
        locale=locale,
        viewport={"width": 1280, "height": 900},
        accept_downloads=False,
    )
    # axe is added to every document before the page's own scripts; the DevTools protocol
    # is not subject to the page's CSP, unlike a <script> tag.
    context.add_init_script(script=_axe_source())
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    state = PageState(password=live_server.password)
    page._lms_state = state
    _watch(page, state)
    return page


# --- axe -------------------------------------------------------------------------------

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations', 'incomplete'],
  });
  const shape = (v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({
      target: n.target.join(' '), html: n.html.slice(0, 160),
      why: n.any.concat(n.all, n.none).map(c => c.message).join(' '),
    })),
  });
  return {violations: result.violations.map(shape), incomplete: result.incomplete.map(shape)};
}"""

# axe "incomplete" results it could not decide. Colour contrast is one it cannot compute over
# images, gradients, pseudo-elements or overlapping boxes: a page may have low contrast there
# and pass, so an undecided contrast fails like a violation, unless the element is listed
# here, keyed by its axe selector, with the ratio measured by hand (at least 4.5:1).
CONTRAST_MEASURED_BY_HAND: dict[str, str] = {}
# axe leaves contrast undecided for most text in a table that scrolls inside its region
# ("partially obscured"), a select's arrow icon, a checkbox's drawn box, a lone digit, an empty
# field: the check then measures it itself from the computed colours, compositing the
# element's text over its ancestors' backgrounds (WCAG 2.1 relative luminance). Text over a gradient or a repeated
# image, or covered by another element, stays undecided, and fails.
_CONTRAST_MEASURE = """(targets) => targets.map((target) => {
  const el = document.querySelector(target);
  if (!el) return {undecided: 'element not found'};
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const v = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1};
  };
  const over = (top, below) => ({
    r: top.r * top.a + below.r * (1 - top.a), g: top.g * top.a + below.g * (1 - top.a),
    b: top.b * top.a + below.b * (1 - top.a), a: 1,
  });
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const style = getComputedStyle(el);
  const fg = parse(style.color);
  if (!fg) return {undecided: 'colour ' + style.color};
  let layers = [], opacity = 1;
  for (let p = el; p; p = p.parentElement) {
    const s = getComputedStyle(p);
    opacity *= Number(s.opacity);
    const image = s.backgroundImage;
    if (image !== 'none' && (image.includes('gradient') || !s.backgroundRepeat.includes('no-repeat'))) {
      return {undecided: 'text over a background image or gradient'};
    }
    const bg = parse(s.backgroundColor);
    if (bg && bg.a > 0) layers.push(bg);
    if (bg && bg.a >= 1) break;
  }
  let back = {r: 255, g: 255, b: 255, a: 1};
  for (const layer of layers.reverse()) back = over(layer, back);
  const text = over({...fg, a: fg.a * opacity}, back);
  const [hi, lo] = [lum(text), lum(back)].sort((a, b) => b - a);
  const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
  const large = size >= 24 || (bold && size >= 18.66);
  return {ratio: (hi + 0.05) / (lo + 0.05), needed: large ? 3 : 4.5};
})"""
# axe's reasons that the measure above may settle; "overlapped by another element" is not
# one: what covers the text decides its background.
_MEASURABLE = (
    "partially obscured",
    "background image",
    "pseudo element",
    "too short",
    "non-text characters",
    "has no value",  # an empty field: what is measured is the colour its value will have
)
# Other rules whose "incomplete" results are real problems rather than "a person should
# look": undecided aria attributes or names mean the page is wrong, not axe.
INCOMPLETE_FAILS = {"color-contrast", "aria-valid-attr-value", "aria-allowed-attr", "label"}

# The narrowest screen every page must fit (WCAG 2.1 1.4.10 Reflow asks for 320 CSS px; a
# current phone is 390). A wide table may scroll inside its own region (.table-responsive,
# keyboard-focusable with tabindex="0" and named by aria-label), never the whole page.
PHONE_WIDTH = 390
_WIDTH_CHECK = """(regions) => {
  const root = document.documentElement, width = root.clientWidth, found = [];
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].slice(0, 3).map(c => '.' + c).join('');
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) &&
    el.scrollWidth > el.clientWidth + 1;
  if (root.scrollWidth > width) {
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      // Its box, or text running out of it (a long word or code in a narrow box).
      const box = el.getBoundingClientRect();
      const overflow = getComputedStyle(el).overflowX === 'visible' ? el.scrollWidth - el.clientWidth : 0;
      if (Math.max(box.right, box.left + el.clientWidth + overflow) <= width + 1) continue;
      let p = el.parentElement, clipped = false;
      for (; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') { clipped = true; break; }
      }
      if (!clipped) wide.push(describe(el));
    }
    found.push(`the page is ${root.scrollWidth} px wide at ${width} px, it scrolls sideways: ` +
               wide.slice(-4).join(', '));
  }
  for (const el of regions ? document.body.querySelectorAll('*') : []) {
    if (!scrolls(el)) continue;
    const named = el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
    if (el.tabIndex < 0 || !named) {
      found.push(`${describe(el)} scrolls sideways but is not a focusable, named region ` +
                 '(tabindex="0", role="region", aria-label)');
    }
  }
  return found;
}"""


@dataclass
class Audit:
    """What one check of the current page found."""

    url: str
    problems: list[str]

    def report(self) -> str:
        return f"{self.url}\n" + "\n".join(f"  - {p}" for p in self.problems)


@functools.cache
def _axe_source() -> str:
    if not AXE_PATH.is_file():
        pytest.fail(f"{AXE_PATH} is missing: run `make assets` (npm ci)", pytrace=False)
    return AXE_PATH.read_text(encoding="utf-8")


def _axe_problem(result: dict, nodes: list[dict], kind: str) -> str:
    targets = "; ".join(f"{n['target']} ({n['why'][:120]})" for n in nodes[:6])
    more = f" (+{len(nodes) - 6} more)" if len(nodes) > 6 else ""
    return f"{kind} {result['id']} [{result['impact']}] {result['help']} -> {targets}{more}"


def _undecided_contrast(page, nodes: list[dict]) -> list[dict]:
    """The nodes of an undecided colour-contrast result that stay problems: not listed by
    hand, and below the ratio or not measurable by _CONTRAST_MEASURE."""
    nodes = [n for n in nodes if n["target"] not in CONTRAST_MEASURED_BY_HAND]
    measurable = [n for n in nodes if any(m in n["why"] for m in _MEASURABLE)]
    left = [n for n in nodes if n not in measurable]
    measured = page.evaluate(_CONTRAST_MEASURE, [n["target"] for n in measurable])
    for node, got in zip(measurable, measured, strict=True):
        if "undecided" in got:
            left.append({**node, "why": f"{node['why']} {got['undecided']}"})
        elif got["ratio"] < got["needed"]:
            why = f"measured {got['ratio']:.2f}:1, needs {got['needed']}:1"
            left.append({**node, "why": why})
    return left


def width_problems(page) -> list[str]:
    """Sideways scrolling at the page's width and at PHONE_WIDTH (the viewport is narrowed for
    the check and put back), and scroll regions a keyboard cannot reach.

    Regions are checked at the page's own width only: app.js makes a box that scrolls
    focusable and named after a resize settles, which the narrowed check does not wait for."""
    size = page.viewport_size
    problems = page.evaluate(_WIDTH_CHECK, True)
    if size and size["width"] > PHONE_WIDTH:
        page.set_viewport_size({"width": PHONE_WIDTH, "height": size["height"]})
        try:
            found = page.evaluate(_WIDTH_CHECK, False)
            problems += [f"at {PHONE_WIDTH} px: {p}" for p in found]
        finally:
            page.set_viewport_size(size)
    return problems


def audit_current_page(page) -> Audit:
    """Run axe, the width checks (and collect browser errors) on the document on screen; never
    raises."""
    state = _state(page)
    url = page.url
    problems: list[str] = []
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    found = page.evaluate(_AXE_RUN, AXE_TAGS)
    for v in found["violations"]:
        problems.append(_axe_problem(v, v["nodes"], "axe"))
    for v in found["incomplete"]:
        nodes = v["nodes"]
        if v["id"] == "color-contrast":
            nodes = _undecided_contrast(page, nodes)
        if v["id"] in INCOMPLETE_FAILS and nodes:
            problems.append(_axe_problem(v, nodes, "axe could not decide"))
    problems += width_problems(page)
    problems += state.browser_errors
    state.browser_errors.clear()
    if state.pending == url or urldefrag(state.pending or "")[0] == urldefrag(url)[0]:
        state.pending = None
    return Audit(url=url, problems=problems)


def mark_checked(page) -> None:
    """Record that the document on screen needs no axe check (it is not HTML)."""
    _state(page).pending = None


def check_page(page) -> None:
    """Fail the test when the document on screen has accessibility or browser errors."""
    audit = audit_current_page(page)
    if audit.problems:
        pytest.fail("Accessibility check failed on " + audit.report(), pytrace=False)


def _expect_status(response, status, url: str) -> None:
    got = response.status if response is not None else None
    if status is None:
        ok = got is not None and got < 500
    elif isinstance(status, int):
        ok = got == status
    else:
        ok = got in status
    if not ok:
        pytest.fail(f"{url}: HTTP status {got}, expected {status}", pytrace=False)


def visit_page(page, path: str, status: int | Iterable[int] | None = 200):
    """Open a page, check its HTTP status and run axe on it; returns the response."""
    response = page.goto(path, wait_until="load")
    _expect_status(response, status, page.url)
    check_page(page)
    return response


def submit_form(page, locator, status: int | Iterable[int] | None = 200):
    """Click a button or link that loads a new document, then check it like visit()."""
    with page.expect_navigation(wait_until="load") as navigation:
        locator.click()
    response = navigation.value
    _expect_status(response, status, page.url)
    check_page(page)
    return response


def switch_language(page, locale: str) -> None:
    """Use the language buttons in the header."""
    if page.locator("html").get_attribute("lang") == locale:
        return
    submit_form(page, page.locator(f"header form button[name=locale][value={locale}]"))
    assert page.locator("html").get_attribute("lang") == locale


def log_in(page, email: str, password: str | None = None, locale: str | None = "it") -> None:
    """Log in through the login form (as a demo account by default), then pick the language."""
    visit_page(page, "/accesso")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password or _state(page).password)
    submit_form(page, page.locator("main form button[type=submit]"))
    if page.locator("header form[action$='/esci']").count() != 1:
        pytest.fail(f"login as {email} failed: still on {page.url}", pytrace=False)
    if locale:
        switch_language(page, locale)


def same_origin(url: str, base: str) -> bool:
    """True when url is on the live server."""
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


@dataclass
class DemoDossier:
    """A dossier in identification opened by open_demo_dossier, with the people around it."""

    dossier: object
    competence_id: int
    holder: object
    coordinator: object
    method: object
    content: object


def open_demo_dossier(email: str, full_name: str, password: str) -> DemoDossier:
    """Inside an app context: a dossier in identification for the trainee `email` (created if
    new) on the first competence of the first published profile of the demo, opened by the
    demo coordinator; docente1 accompanies, valutatore1 (method) and valutatore2 (content)
    assess. The caller goes on through the services, then commits."""
    from sqlalchemy import select

    from certificates.services import dossiers
    from lms.accounts.models import Role, User
    from lms.accounts.services import create_user, system_actor
    from lms.db import db
    from lms.standards.models import Framework, FrameworkStatus, Profile, profile_competences

    by_email = {u.email: u for u in db.session.scalars(select(User))}
    holder = by_email.get(email) or create_user(
        system_actor(),
        email=email,
        full_name=full_name,
        roles={Role.TRAINEE},
        password=password,
        locale="it",
    )
    coordinator = by_email[DEMO_ACCOUNTS["coordinatore"]]
    method, content = by_email["valutatore1@demo.example"], by_email["valutatore2@demo.example"]
    profile = db.session.scalar(
        select(Profile)
        .join(Framework, Framework.id == Profile.framework_id)
        .where(Framework.status == FrameworkStatus.PUBLISHED)
        .order_by(Profile.id)
        .limit(1)
    )
    competence = db.session.scalar(
        select(profile_competences.c.competence_id)
        .where(profile_competences.c.profile_id == profile.id)
        .limit(1)
    )
    d = dossiers.open_dossier(
        coordinator,
        candidate=holder,
        profile=profile,
        competence_ids=[competence],
        accompagnatore_id=by_email[DEMO_ACCOUNTS["docente1"]].id,
        method_expert_id=method.id,
        content_expert_id=content.id,
    )
    dossiers.start_identification(coordinator, d)
    return DemoDossier(d, competence, holder, coordinator, method, content)
