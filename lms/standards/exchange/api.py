"""Framework import and export in the API (admins only): GET /frameworks/<id>/export and
POST /frameworks/import (multipart: file, format, issuer, mapping, dry_run)."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from lms.api import blueprint as api
from lms.api.fields import Text
from lms.api.io import endpoint, load
from lms.db import db
from lms.errors import ValidationFailed
from lms.security import allowed_if
from lms.standards.exchange import ImportRejected
from lms.standards.exchange.services import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    export_framework,
    import_framework,
)
from lms.standards.models import Framework
from lms.standards.permissions import can_manage_standards
from lms.web import acting_user, get_or_404

MULTIPART = {
    "file": "The framework file (UTF-8 with or without BOM; csv and moodle also Windows-1252)",
    "format": "The file's format: json, csv, or moodle (Moodle's tool_lpimportcsv CSV)",
    "issuer": "The framework's issuer (csv and moodle: the file does not name it)",
    "mapping": (
        "moodle only: what each level becomes, e.g. 1=competence,2=group or "
        '{"1": "competence", "2": "ability"}; choices competence, ability, knowledge, '
        "group (its children are abilities or knowledge by the group's name), ignore; "
        "the proposed mapping when empty"
    ),
    "dry_run": (
        "1 to check the file and get its problems or a preview (for moodle: the levels with "
        "counts, examples, taxonomy and the proposed mapping), importing nothing"
    ),
}


class ExportQuerySchema(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(EXPORT_FORMATS))


class ImportFormSchema(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(IMPORT_FORMATS))
    dry_run = fields.Boolean(load_default=False)
    issuer = Text(200, load_default="", name_like=True)
    mapping = fields.String(load_default=None, validate=validate.Length(max=2000))


@api.get("/frameworks/<int:framework_id>/export")
@allowed_if(can_manage_standards)
@endpoint(query=ExportQuerySchema, summary="A framework as our JSON or a CASE 1.1 CFPackage")
def frameworks_export(framework_id: int, args):
    fw = get_or_404(Framework, framework_id)
    return export_framework(acting_user(), fw, args["format"])


def _problems(err: ImportRejected) -> list[dict]:
    return [
        {"location": p.location, "message": p.message}
        | ({"line": p.line, "column": p.column} if p.line is not None else {})
        | ({"field": p.field} if p.field != "file" else {})
        for p in err.problems
    ]


@api.post("/frameworks/import")
@allowed_if(can_manage_standards)
@endpoint(multipart=MULTIPART, status=201, summary="Import a framework file as a draft")
def frameworks_import():
    form = {k: v for k, v in request.form.items() if v != ""}
    data = load(ImportFormSchema(), form)
    upload = request.files.get("file")
    if upload is None or not (upload.filename or "").strip():
        msg = _("Choose a file to import.")
        raise ValidationFailed(msg, {"file": [msg]})
    raw = upload.read()
    me = acting_user()
    options = {"issuer": data["issuer"], "mapping": data["mapping"]}
    if data["dry_run"]:
        try:
            preview = import_framework(me, raw, data["format"], dry_run=True, **options)
        except ImportRejected as err:
            return {"valid": False, "problems": _problems(err), "preview": err.preview}, 200
        return {"valid": True, "problems": [], "preview": preview}, 200
    fw = import_framework(me, raw, data["format"], **options)
    db.session.commit()
    body = {"id": fw.id, "code": fw.code, "version": fw.version, "status": fw.status.value}
    return body, 201, {"Location": url_for("api.frameworks_export", framework_id=fw.id)}
