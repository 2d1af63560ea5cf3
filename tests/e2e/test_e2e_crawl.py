"""Every page a demo user can reach has no axe violation and no server error.

For each demo role (and an anonymous visitor), in Italian and in English, the crawler logs
in, starts from the dashboard and follows every same-origin GET link breadth-first, running
axe on each page. Pages that later packages add are covered as soon as a link leads there.
The English pass runs on a phone-sized screen; the Italian one on a desktop screen, and
check_page measures each of its pages again at 390 px: in both languages no page may be
wider than a 390 px phone (a wide table scrolls inside its own focusable, named region).
"""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.support import (
    DEMO_ACCOUNTS,
    audit_current_page,
    log_in,
    mark_checked,
    same_origin,
    switch_language,
    visit_page,
)

MAX_PAGES = 80  # per role and language
VIEWPORTS = {"it": {"width": 1280, "height": 900}, "en": {"width": 390, "height": 844}}
# Pages of one kind (/x/1, /x/2 ...) checked per language; the data differ, the labels do not.
PER_PATTERN = {"it": 2, "en": 1}
SKIP_PATHS = ("/static/", "/api/", "/esci")
SKIP_SUFFIXES = (
    ".pdf",
    ".csv",
    ".xlsx",
    ".xls",
    ".zip",
    ".json",
    ".ics",
    ".png",
    ".jpg",
    ".svg",
    ".txt",
    ".xml",
)
SKIP_WORDS = ("download", "scarica", "export", "esporta")
LINKS_JS = """() => [...document.querySelectorAll('a[href]')]
  .filter(a => !a.hasAttribute('download'))
  .map(a => a.href)"""


def pattern_of(url: str) -> str:
    """The kind of page: numbers in the path become {id}, the query string is ignored."""
    path = urlsplit(url).path
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


def should_follow(url: str, base: str) -> bool:
    """Same-origin HTML pages only: no logout, static files, API or downloads."""
    if not same_origin(url, base):
        return False
    parts = urlsplit(url)
    path = parts.path.lower()
    if any(path.startswith(p) for p in SKIP_PATHS):
        return False
    if path.endswith(SKIP_SUFFIXES):
        return False
    return not any(w in path for w in SKIP_WORDS) and "format=" not in parts.query


def crawl(page, base: str, start: str, locale: str) -> tuple[list[str], list[str]]:
    """Visit pages reachable from start; return (visited URLs, problems found)."""
    queue = deque([urldefrag(base + start)[0]])
    seen = set(queue)
    per_pattern: Counter[str] = Counter()
    visited: list[str] = []
    problems: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        pattern = pattern_of(url)
        if per_pattern[pattern] >= PER_PATTERN[locale]:
            continue
        per_pattern[pattern] += 1
        try:
            response = page.goto(url, wait_until="load")
        except PlaywrightError as err:
            if "Download is starting" in str(err):
                continue  # an attachment: not a page
            problems.append(f"{url}\n  - could not load: {err}")
            continue
        visited.append(url)
        status = response.status if response is not None else 0
        found: list[str] = []
        if status >= 500:
            found.append(f"HTTP {status}")
        elif status in (403, 404):
            found.append(f"HTTP {status}: a link shown to this user leads nowhere")
        content_type = (response.headers.get("content-type", "") if response else "").lower()
        if "text/html" not in content_type:
            mark_checked(page)  # e.g. JSON: nothing for axe to check
            problems += [f"{url}\n  - {p}" for p in found]
            continue
        audit = audit_current_page(page)
        found += audit.problems
        lang = page.locator("html").get_attribute("lang")
        if lang != locale:
            found.append(f'<html lang="{lang}">, expected "{locale}"')
        if found:
            problems.append(f"{page.url}\n" + "\n".join(f"  - {p}" for p in found))
        if status >= 400:
            continue
        for href in page.evaluate(LINKS_JS):
            link = urldefrag(href)[0]
            if link not in seen and should_follow(link, base):
                seen.add(link)
                queue.append(link)
    return visited, problems


ROLES = [None, *DEMO_ACCOUNTS]


@pytest.mark.parametrize("locale", ["it", "en"])
@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_every_reachable_page_is_accessible(page, live_server, role, locale):
    base = live_server.url
    page.set_viewport_size(VIEWPORTS[locale])
    if role is None:
        visit_page(page, "/accesso")
        switch_language(page, locale)
        start = "/accesso"
    else:
        log_in(page, DEMO_ACCOUNTS[role], locale=locale)
        start = "/"
    try:
        visited, problems = crawl(page, base, start, locale)
    finally:
        if role is not None and locale != "it":
            # The choice is saved on the account: put the demo user back to Italian.
            visit_page(page, "/")
            switch_language(page, "it")
    print(f"{role or 'anonymous'} ({locale}): {len(visited)} pages", *visited, sep="\n  ")
    server_errors = live_server.take_errors()
    assert visited, "the crawler visited nothing"
    report = problems + [f"server error: {e}" for e in server_errors]
    assert not report, (
        f"{len(report)} problem(s) on {len(visited)} page(s) visited as "
        f"{role or 'anonymous'} ({locale}):\n" + "\n".join(report)
    )
