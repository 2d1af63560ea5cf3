"""Rate limits inside services (check-in attempts, ...), on the storage Flask-Limiter uses:
Redis when LMS_REDIS_URL is set (shared by every process), memory otherwise.

Route limits stay with Flask-Limiter's decorators; these are for rules that depend on who
acts on what (a trainee's wrong check-in codes), so a service can enforce them whatever the
caller (page or API)."""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


def _limiter() -> MovingWindowRateLimiter:
    ext = current_app.extensions
    if "lms_rate_limiter" not in ext:
        storage = storage_from_string(current_app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
        ext["lms_rate_limiter"] = MovingWindowRateLimiter(storage)
    return ext["lms_rate_limiter"]


def _items(rules: str) -> list[RateLimitItem]:
    return parse_many(rules)


def retry_after(rules: str, *key: str) -> int:
    """0 when another attempt is allowed now under every rule ("5 per minute; 20 per hour"),
    else the seconds to wait before the oldest counted attempt leaves its window."""
    limiter = _limiter()
    wait = 0
    for item in _items(rules):
        if not limiter.test(item, *key):
            stats = limiter.get_window_stats(item, *key)
            wait = max(wait, math.ceil(stats.reset_time - time.time()), 1)
    return wait


def count_attempt(rules: str, *key: str) -> None:
    """Count one attempt against every rule."""
    limiter = _limiter()
    for item in _items(rules):
        limiter.hit(item, *key)
