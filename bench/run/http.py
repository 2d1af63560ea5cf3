"""Logging in, reading forms and single probe requests, with the standard library only."""

from __future__ import annotations

import http.cookiejar
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

QUERIES_HEADER = "X-Bench-Queries"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class FormFields(HTMLParser):
    """The fields a browser would send for the first <form> whose action ends with `action`."""

    def __init__(self, action: str | None):
        super().__init__()
        self.action, self.inside, self.done = action, False, False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        target = a.get("action") or ""
        wanted = target.endswith(self.action) if self.action else (a.get("method") == "post")
        if tag == "form" and not self.done and wanted:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "image", "file"):
                self.fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))

    def handle_data(self, data):
        if self._textarea and self.fields and self.fields[-1][0] == self._textarea:
            self.fields[-1] = (self._textarea, self.fields[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_fields(html: str, action: str | None) -> list[tuple[str, str]]:
    parser = FormFields(action)
    parser.feed(html)
    return parser.fields


class Client:
    """A cookie-keeping client of one base URL (no redirects followed)."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path: str, data: bytes | None = None, timeout: float = 120):
        """(status, headers, body, seconds) of one request."""
        req = urllib.request.Request(self.base + path, data=data)  # noqa: S310 - http on loopback
        if data is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                body = resp.read()
                status, headers = resp.status, resp.headers
        except urllib.error.HTTPError as err:
            body, status, headers = err.read(), err.code, err.headers
        return status, headers, body, time.perf_counter() - started

    def login(self, email: str, password: str) -> None:
        _s, _h, body, _t = self.request("/accesso")
        fields = dict(form_fields(body.decode("utf-8", "replace"), None))
        fields.update({"email": email, "password": password})
        status, _h, _b, _t = self.request("/accesso", urllib.parse.urlencode(fields).encode())
        if status not in (302, 303):
            raise RuntimeError(f"login of {email} failed (HTTP {status})")

    @property
    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)
