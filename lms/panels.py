"""Navigation entries and dashboard panels of the platform's own pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the platform's navigation entries and dashboard panels."""
