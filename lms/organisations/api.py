"""Organisation routes of the JSON API."""

from __future__ import annotations
