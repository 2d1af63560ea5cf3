"""Domain errors and the one place that turns them into pages or JSON problems."""

from __future__ import annotations

from flask import Flask, Response, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, SecurityError


class DomainError(Exception):
    """A rule of the domain was broken; the message is shown to the user."""

    status = 400
    code = "domain_error"
    default_message = _l("The operation is not allowed.")

    def __init__(self, message: str | None = None, fields: dict[str, list[str]] | None = None):
        super().__init__(message or str(self.default_message))
        self.message = message or str(self.default_message)
        self.fields = fields or {}


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    default_message = _l("Some fields are not valid.")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _l("The page or object you asked for does not exist.")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = _l("You are not allowed to do this.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _l("The operation conflicts with the current state.")


class StaleEdit(Conflict):
    code = "stale_edit"
    default_message = _l(
        "Someone else changed this record while you were editing it. "
        "Reload the page to see their changes, then apply yours again."
    )


class NotEligible(DomainError):
    status = 403
    code = "not_eligible"
    default_message = _l("The requirements for this operation are not met.")


class RateLimited(DomainError):
    """Too many attempts: the message says how long to wait (`retry_after` seconds)."""

    status = 429
    code = "too_many_requests"
    default_message = _l("Too many attempts. Wait a minute and try again.")

    def __init__(self, message=None, fields=None, retry_after: int = 60):
        super().__init__(message, fields)
        self.retry_after = retry_after


class AlreadyIssued(Conflict):
    code = "already_issued"
    default_message = _l("This document has already been issued.")


def is_api_request() -> bool:
    """True when the request is for the JSON API."""
    return request.path.startswith("/api/")


def problem(status: int, code: str, message: str, fields: dict | None = None):
    """A JSON problem response in the project's one error format."""
    resp = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    resp.status_code = status
    return resp


HTTP_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("You need to log in to continue."),
    403: _l("You are not allowed to see this page."),
    404: _l("The page you asked for does not exist."),
    405: _l("This action is not allowed here."),
    409: _l("The operation conflicts with the current state."),
    413: _l("The file or form you sent is too large."),
    429: _l("Too many attempts. Wait a minute and try again."),
    500: _l("Something went wrong on our side. The error has been recorded."),
}
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "too_many_requests",
    500: "server_error",
}


# SQLSTATE classes of a lost race (serialization failure, deadlock): the client may retry.
_RACE_SQLSTATE = ("40",)
RETRY_AFTER_SECONDS = 15


def database_down(err: BaseException) -> bool:
    """True when an error means the database cannot be reached (refused, dropped, shut down,
    pool exhausted), as opposed to a constraint or a lost race."""
    from sqlalchemy.exc import DBAPIError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(err, PoolTimeout):
        return True
    if isinstance(err, DBAPIError) and err.connection_invalidated:
        return True
    if isinstance(err, OperationalError):
        sqlstate = getattr(err.orig, "sqlstate", None) or ""
        return not sqlstate.startswith(_RACE_SQLSTATE)
    return False


def _safe_rollback() -> None:
    from lms.db import db

    try:
        db.session.rollback()
    except Exception:
        db.session.invalidate()


def service_unavailable():
    """503 while the database is unreachable: a JSON problem or a page that queries nothing
    (no account, no navigation, no counters), with Retry-After."""
    from flask import g

    g.lms_database_down = True  # select_locale then reads no account
    _safe_rollback()
    message = _("The service is temporarily unavailable. Try again in a few moments.")
    if is_api_request():
        resp = problem(503, "service_unavailable", message)
    else:
        # Rendered without the context processors: they read the account and the navigation.
        from flask import current_app
        from flask_babel import get_locale

        page = current_app.jinja_env.get_template("errors/unavailable.html").render(
            message=message, request=request, current_locale=str(get_locale())
        )
        resp = Response(page, status=503)
    resp.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return resp


def register_error_handlers(app: Flask) -> None:
    """Turn domain errors and HTTP errors into pages or JSON problems."""
    from sqlalchemy.exc import SQLAlchemyError

    from lms.db import db

    @app.errorhandler(SQLAlchemyError)
    def handle_database_error(err: SQLAlchemyError):
        if database_down(err):
            app.logger.error("Database unavailable: %s", err.__class__.__name__)
            return service_unavailable()
        return handle_unexpected(err)

    @app.errorhandler(DomainError)
    def handle_domain_error(err: DomainError):
        db.session.rollback()
        if is_api_request():
            resp = problem(err.status, err.code, err.message, err.fields)
            if isinstance(err, RateLimited):
                resp.headers["Retry-After"] = str(err.retry_after)
            return resp
        if err.status in (403, 404):
            return render_error_page(err.status, err.message)
        flash(err.message, "danger")
        target = request.referrer or request.full_path
        if request.method == "GET":
            return render_error_page(err.status, err.message)
        return redirect(target), 303

    @app.errorhandler(SecurityError)
    def handle_untrusted_host(err: SecurityError):
        # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page is rendered.
        return Response(
            "400 Bad Request: this address is not served here.\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )

    @app.errorhandler(HTTPException)
    def handle_http_error(err: HTTPException):
        status = err.code or 500
        if status >= 500:
            _safe_rollback()
        message = str(HTTP_MESSAGES.get(status, err.description))
        if is_api_request():
            resp = problem(status, HTTP_CODES.get(status, "http_error"), message)
            if status == 405 and hasattr(err, "valid_methods") and err.valid_methods:
                resp.headers["Allow"] = ", ".join(err.valid_methods)
            return resp
        return render_error_page(status, message)

    @app.errorhandler(Exception)
    def handle_unexpected(err: Exception):
        if app.testing and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise err
        app.logger.exception("Unhandled error")
        _safe_rollback()
        message = str(HTTP_MESSAGES[500])
        if is_api_request():
            return problem(500, "server_error", message)
        try:
            return render_error_page(500, message)
        except SQLAlchemyError as again:  # the page itself needs the database
            if database_down(again):
                return service_unavailable()
            raise


def render_error_page(status: int, message: str):
    """Render the error page for an HTTP status."""
    titles = {
        400: _("Invalid request"),
        401: _("Login required"),
        403: _("Access denied"),
        404: _("Page not found"),
        405: _("Action not allowed"),
        409: _("Conflict"),
        413: _("Too large"),
        422: _("Invalid data"),
        429: _("Too many attempts"),
        500: _("Server error"),
    }
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=titles.get(status, _("Error")),
            message=message,
        ),
        status,
    )
