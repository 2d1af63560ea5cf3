"""The import page for frameworks (admins): upload a file in any format, read its preview
(and, for a Moodle file, choose what each level becomes), then import it as a draft.

Between the two steps the uploaded bytes travel in the page itself, in a hidden field signed
with the application's secret key (itsdangerous, salted for this page, valid one hour, at most
MAX_BYTES): nothing is written anywhere until the admin confirms, no temporary file is left
behind when the admin walks away, any app server can take the second request, and a payload
altered in the browser is refused. The signed payload also holds the issuer and the mapping
the preview was built with, so that an import always matches what the admin last saw.
"""

from __future__ import annotations

import base64
import re
import zlib

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from lms.db import db
from lms.security import allowed_if
from lms.standards.exchange import ImportRejected
from lms.standards.exchange.forms import FORMAT_CHOICES, ImportConfirmForm, ImportUploadForm
from lms.standards.exchange.moodle_mapping import CHOICE_LABELS, CHOICES, mapping_text
from lms.standards.exchange.services import import_framework, inspect_file
from lms.standards.permissions import can_manage_standards
from lms.web import acting_user

bp = Blueprint("standards_import", __name__, url_prefix="/quadri")

MAX_BYTES = 2 * 1024 * 1024
MAX_AGE = 3600
SALT = "lms.standards.import"
LEVEL_FIELD = re.compile(r"^level-(\d{1,2})$")


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def _breadcrumbs(*extra):
    return [(_("Import a framework"), url_for("standards_import.upload")), *extra]


def _form_mapping() -> dict[int, str]:
    """The level choices of the preview form; a level under one just turned into groups
    still has its select on the page, but the groups decide it."""
    sent = {int(m.group(1)): v for k, v in request.form.items() if (m := LEVEL_FIELD.match(k))}
    return {d: v for d, v in sent.items() if sent.get(d - 1) != "group"}


def _preview(raw: bytes, state: dict, *, notice: str | None = None, status: int | None = None):
    ins = inspect_file(
        acting_user(), raw, state["format"], issuer=state["issuer"], mapping=state["mapping"]
    )
    shown = dict(state)
    if ins.preview and "mapping" in ins.preview:
        shown["mapping"] = ins.preview["mapping_text"]  # the proposal, when none was given
    confirm = ImportConfirmForm(formdata=None)
    confirm.issuer.data = state["issuer"]
    packed = base64.b64encode(zlib.compress(raw)).decode("ascii")
    confirm.payload.data = _signer().dumps(shown | {"data": packed})
    return render_template(
        "standards/import_preview.html",
        ins=ins,
        state=shown,
        confirm=confirm,
        notice=notice,
        format_label=dict(FORMAT_CHOICES)[state["format"]],
        choices=[(c, CHOICE_LABELS[c]) for c in CHOICES],
        breadcrumbs=_breadcrumbs((_("Preview"), None)),
    ), (status or (200 if ins.ok else 422))


@bp.route("/importa", methods=["GET", "POST"])
@allowed_if(can_manage_standards)
def upload():
    form = ImportUploadForm()
    if form.validate_on_submit():
        raw = form.file.data.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            form.file.errors.append(_("The file is larger than 2 MB."))
        else:
            state = {
                "format": form.format.data,
                "issuer": (form.issuer.data or "").strip(),
                "filename": (form.file.data.filename or "")[:200],
                "mapping": None,
            }
            return _preview(raw, state)
    status = 422 if request.method == "POST" else 200
    return render_template("standards/import.html", form=form, breadcrumbs=_breadcrumbs()), status


def _again(message: str):
    flash(message, "danger")
    return redirect(url_for("standards_import.upload"), 303)


def _framework_url(framework_id: int) -> str | None:
    if "standards.framework" in current_app.view_functions:
        return url_for("standards.framework", framework_id=framework_id)
    return None


@bp.post("/importa/conferma")
@allowed_if(can_manage_standards)
def confirm():
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        return _again(_("The import form has expired. Upload the file again."))
    try:
        signed = _signer().loads(form.payload.data, max_age=MAX_AGE)
        raw = zlib.decompress(base64.b64decode(signed.pop("data")))
    except SignatureExpired:
        return _again(_("The preview is more than an hour old. Upload the file again."))
    except (BadSignature, ValueError, KeyError, zlib.error):
        return _again(_("The import data was altered. Upload the file again."))
    state = signed | {"issuer": (form.issuer.data or "").strip()}
    if state["format"] == "moodle":
        state["mapping"] = mapping_text(_form_mapping())
    changed = (state["issuer"], state["mapping"]) != (signed["issuer"], signed["mapping"])
    if request.form.get("action") != "import" or changed:
        notice = _("Preview updated with your choices: check it, then import.") if changed else None
        return _preview(raw, state, notice=notice)
    try:
        fw = import_framework(
            acting_user(), raw, state["format"], issuer=state["issuer"], mapping=state["mapping"]
        )
    except ImportRejected:
        db.session.rollback()
        notice = _(
            "Something changed since the preview: the file now has problems. Nothing was imported."
        )
        return _preview(raw, state, notice=notice, status=422)
    db.session.commit()
    url = _framework_url(fw.id)
    message = _(
        "Framework %(code)s version %(version)s imported as a draft (number %(id)d).",
        code=fw.code,
        version=fw.version,
        id=fw.id,
    )
    flash(message, "success")
    return redirect(url or url_for("standards_import.upload"), 303)
