"""Platform pages: the dashboard, the language switch, the health check."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy import text

from lms.accounts import services as account_services
from lms.db import db
from lms.navigation import panels_for
from lms.security import login_required, public

bp = Blueprint("core", __name__)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site relative paths may be redirect targets."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.get("/")
@login_required
def dashboard():
    panels = panels_for(current_app, current_user)
    return render_template("dashboard/index.html", panels=panels)


@bp.post("/lingua")
@public
def set_language():
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            account_services.set_locale(current_user, locale)
            db.session.commit()
    return redirect(safe_next(request.form.get("next")), 303)


@bp.get("/healthz")
@public
def health():
    """200 when the database (and Redis, when configured) answer; 503 naming what failed."""
    checks = {"database": _check(lambda: db.session.execute(text("SELECT 1")))}
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        checks["redis"] = _check(lambda: _ping_redis(redis_url))
    if current_app.config.get("STORAGE_URL"):  # a shared store (the default folder is local)
        from lms.storage import storage

        checks["storage"] = _check(storage().ping)
    ok = all(v == "ok" for v in checks.values())
    body = {"status": "ok" if ok else "unavailable", "checks": checks}
    if ok:
        return body
    try:
        db.session.rollback()
    except Exception:
        db.session.invalidate()
    return body, 503, {"Retry-After": "15"}


def _check(probe) -> str:
    try:
        probe()
    except Exception:
        current_app.logger.warning("health check failed", exc_info=True)
        return "unavailable"
    return "ok"


def _ping_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
