"""Render HTML to PDF with xhtml2pdf, fetching nothing from the network.

Resources (fonts, images) resolve only to files under the app's static folder; the font is
embedded so accented Italian text prints the same everywhere. Each document is converted in a
separate process (forked from a forkserver that has xhtml2pdf loaded already, so a render
costs a fork, not an import), with a time limit and an address-space limit: a pathological
document is killed and reported as a PdfError instead of blocking or exhausting a web worker.
"""

from __future__ import annotations

import io
import multiprocessing
import resource
import threading
from pathlib import Path

from flask import current_app

FONT_DIR = "vendor/bootstrap-italia/fonts/Titillium_Web"
FONT_FACES = {
    ("normal", "normal"): "titillium-web-v10-latin-ext_latin-regular.ttf",
    ("bold", "normal"): "titillium-web-v10-latin-ext_latin-700.ttf",
    ("normal", "italic"): "titillium-web-v10-latin-ext_latin-italic.ttf",
}
DEFAULT_TIMEOUT_SECONDS = 60
DEFAULT_MEMORY_MB = 1024

_CONTEXT_LOCK = threading.Lock()
_CONTEXT = None


class PdfError(RuntimeError):
    pass


def font_css(family: str = "Body") -> str:
    """@font-face rules for the embedded font, to put at the top of a PDF stylesheet."""
    rules = []
    for (weight, style), name in FONT_FACES.items():
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
            f'font-style: {style}; src: url("static:{FONT_DIR}/{name}"); }}'
        )
    return "\n".join(rules)


def _roots() -> list[Path]:
    return [Path(current_app.static_folder).resolve()]


def resolve_resource(uri: str, roots: list[Path]) -> str:
    """Map 'static:<path>' (or a /static/ URL) to a file under one of `roots`; an inline PNG
    (a QR code the application drew) is kept as it is; refuse the rest."""
    if uri.startswith("data:image/png;base64,"):
        return uri
    if uri.startswith("static:"):
        rel_path = uri[len("static:") :]
    elif uri.startswith("/static/"):
        rel_path = uri[len("/static/") :]
    else:
        raise PdfError(f"resource not allowed in a PDF: {uri}")
    for root in roots:
        candidate = (root / rel_path).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return str(candidate)
    raise PdfError(f"resource not found for a PDF: {uri}")


def link_callback(uri: str, rel: str | None = None) -> str:
    """Resolve a resource against the app's static folder (see resolve_resource)."""
    return resolve_resource(uri, _roots())


def _convert(html: str, roots: list[Path]) -> bytes:
    """The conversion itself (in the worker process)."""
    from xhtml2pdf import pisa

    refused: list[str] = []

    def callback(uri: str, rel: str | None = None) -> str:
        try:
            return resolve_resource(uri, roots)
        except PdfError as err:
            refused.append(str(err))
            raise

    from lms.pdf_pages import page_footer

    out = io.BytesIO()
    with page_footer(html, FONT_FACES[("normal", "normal")]):
        result = pisa.CreatePDF(html, dest=out, encoding="utf-8", link_callback=callback)
    if refused:
        raise PdfError(refused[0])
    if result.err:
        raise PdfError(f"PDF rendering failed with {result.err} error(s)")
    return out.getvalue()


def _address_space() -> int:
    """This process's virtual memory size in bytes (Linux), 0 when unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _worker(conn, job, roots: list[str], memory_mb: int) -> None:
    """Entry point of the rendering process: limit memory, convert (HTML text, or a
    lms.pdf_tables.TableDocument), send bytes or an error."""
    # The process starts as a copy of the warm server: the limit is what it may add to that.
    limit = _address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        if isinstance(job, str):
            data = _convert(job, [Path(r) for r in roots])
        else:
            from lms.pdf_tables import build_table_pdf

            data = build_table_pdf(job, [Path(r) for r in roots])
    except MemoryError:
        conn.send(("error", "the document needs more memory than PDF rendering may use"))
    except Exception as err:
        conn.send(("error", f"{type(err).__name__}: {err}"))
    else:
        conn.send(("ok", data))
    finally:
        conn.close()


def _context():
    global _CONTEXT
    with _CONTEXT_LOCK:
        if _CONTEXT is None:
            ctx = multiprocessing.get_context("forkserver")
            # Only what rendering needs is loaded in the server (never the caller's __main__),
            # warmed up once (lms.pdf_worker) so that each forked render starts warm.
            ctx.set_forkserver_preload(
                ["lms.pdf", "xhtml2pdf.pisa", "lms.pdf_tables", "lms.pdf_worker"]
            )
            _CONTEXT = ctx
        return _CONTEXT


def render_pdf(html: str, *, timeout: float | None = None, memory_mb: int | None = None) -> bytes:
    """Turn an HTML document into PDF bytes, in a separate process with time and memory limits."""
    return _render(html, timeout, memory_mb)


def render_table_pdf(doc, *, timeout: float | None = None, memory_mb: int | None = None) -> bytes:
    """Draw a lms.pdf_tables.TableDocument (one long table: registers, lists) as PDF bytes,
    with ReportLab directly, in the same isolated process as render_pdf."""
    return _render(doc, timeout, memory_mb)


def _render(job, timeout: float | None, memory_mb: int | None) -> bytes:
    config = current_app.config
    timeout = timeout or config.get("PDF_TIMEOUT_SECONDS") or DEFAULT_TIMEOUT_SECONDS
    memory_mb = memory_mb or config.get("PDF_MEMORY_MB") or DEFAULT_MEMORY_MB
    roots = [str(r) for r in _roots()]
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(child, job, roots, memory_mb), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise PdfError(f"PDF rendering took longer than {timeout} seconds and was stopped")
        try:
            status, payload = parent.recv()
        except EOFError:
            raise PdfError("PDF rendering stopped unexpectedly (out of memory?)") from None
    finally:
        parent.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if status != "ok":
        raise PdfError(f"PDF rendering failed: {payload}")
    return payload
