"""A local HTTP server that records every path asked of it: documents must fetch nothing."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Spy:
    base: str  # http://127.0.0.1:<port>
    hits: list[str] = field(default_factory=list)


@contextmanager
def spy_server() -> Iterator[Spy]:
    spy = Spy("")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            spy.hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    spy.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield spy
    finally:
        server.shutdown()
        server.server_close()
