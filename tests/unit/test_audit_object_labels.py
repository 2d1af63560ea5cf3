"""Every kind of object and every action the code writes to the audit log has a name in the
user's language: the admin's "latest changes", the audit page and its filter show it instead
of a code."""

from __future__ import annotations

import ast
from pathlib import Path

from flask_babel import force_locale

from lms.audit.registry import action_info
from lms.audit.views import OBJECT_LABELS, action_label, object_label

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["lms", "courses", "assessments", "certificates"]


def written_object_types() -> dict[str, str]:
    """The object types passed as text to audit.record() / record_many(), with a file each."""
    return _written("object_type", 2)


def written_actions() -> dict[str, str]:
    """The actions passed as text to audit.record() / record_many(), with a file each."""
    return _written("action", 1)


def _written(argument: str, position: int) -> dict[str, str]:
    found: dict[str, str] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name not in ("record", "record_many"):
                    continue
                values = [k.value for k in node.keywords if k.arg == argument]
                values += node.args[position : position + 1]
                for value in values:
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        found.setdefault(value.value, str(path.relative_to(ROOT)))
    return found


def test_the_scan_finds_the_audited_objects():
    found = written_object_types()
    # a scan that found nothing would pass the test below whatever the labels
    assert {"grade", "attendance_record", "issued_document", "submission"} <= set(found)


def test_every_audited_object_type_has_a_label(app):
    missing = {t: f for t, f in written_object_types().items() if t not in OBJECT_LABELS}
    assert not missing, f"object types without a label in lms/audit/views.py: {missing}"
    with app.test_request_context(), force_locale("it"):
        assert object_label("issued_document") == "Documento emesso"
        assert object_label("submission") == "Consegna"
        assert object_label("no_such_type") == "no_such_type"


def test_every_audited_action_reads_as_a_sentence(app):
    actions = written_actions()
    assert {"register.sign", "framework.edit", "material.create"} <= set(actions)
    with app.test_request_context():
        missing = {a: f for a, f in actions.items() if action_info(a) is None}
        assert not missing, f"actions without a label in an audit_labels.py: {missing}"
        with force_locale("it"):
            assert action_label("framework.edit") == "Quadro di riferimento modificato"
            assert action_label("credential.issue") == "Credenziale digitale emessa"
