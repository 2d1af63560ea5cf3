"""The public verification pages: /verify (type a code) and /verify/<code> (what the document
certifies, its status, and the upload check). No login; rate-limited per address."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from certificates.codes import CodeError
from certificates.verification import services
from certificates.verification.forms import CodeForm, UploadForm
from lms.errors import ValidationFailed
from lms.extensions import limiter
from lms.security import public
from lms.web import apply_field_errors

bp = Blueprint("verification", __name__)

DEFAULT_LIMIT = "30 per minute"


def _limit() -> str:
    return current_app.config.get("RATELIMIT_VERIFY") or DEFAULT_LIMIT


def _limits_disabled() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED", True)


# One budget per address for the pages and the API together.
limited = limiter.shared_limit(_limit, scope="verify", exempt_when=_limits_disabled)


def document_or_404(typed: str):
    """The document behind a code typed in a URL (any case, dashes or not); 404 otherwise."""
    try:
        code = services.canonical(typed)
    except CodeError:
        abort(404)
    document = services.find_document(code)
    if document is None:
        abort(404)
    return code, document


@bp.get("/verify")
@public
@limited
def verify():
    form = CodeForm(request.args)
    typed = request.args.get("code")
    if typed is None:
        return render_template("certificates/verification/verify.html", form=form)
    try:
        code = services.canonical(typed)
    except CodeError as err:
        form.code.errors = [services.code_problem(typed, err)]
        return render_template("certificates/verification/verify.html", form=form), 422
    return redirect(url_for(".document", code=code), 303)


@bp.route("/verify/<code>", methods=["GET", "POST"])
@public
@limited
def document(code: str):
    canonical, doc = document_or_404(code)
    if canonical != code:
        return redirect(
            url_for(".document", code=canonical), 301 if request.method == "GET" else 308
        )
    v = services.verification_of(doc)
    form = UploadForm()
    result, status = None, 200
    if request.method == "POST":
        if form.validate_on_submit() and form.file.data:
            try:
                sha = services.hash_upload(form.file.data.stream)
                result = {"matches": services.matches(doc, sha), "sha256": sha}
            except ValidationFailed as err:
                apply_field_errors(form, err)
                status = 422
        else:
            if not form.errors:
                form.file.errors = [services.missing_file_message()]
            status = 422
    return (
        render_template("certificates/verification/document.html", v=v, form=form, result=result),
        status,
    )
