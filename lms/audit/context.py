"""Where an audited change comes from, set by the web layer or the CLI.

Services read this instead of flask.request so they stay free of request state.
"""

from __future__ import annotations

from contextvars import ContextVar

client_address: ContextVar[str | None] = ContextVar("audit_client_address", default=None)
