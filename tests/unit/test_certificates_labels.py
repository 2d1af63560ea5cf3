"""The certificates' template labels (kind_label, value_label...) are translated once per
language and kept: the kept name follows the reader's language."""

from __future__ import annotations

from flask_babel import force_locale

from certificates.models import EvidenceValue


def test_labels_follow_the_language_once_kept(app):
    value_label = app.jinja_env.globals["value_label"]
    with app.test_request_context("/"):
        with force_locale("it"):
            italian = value_label("first")
            assert value_label(EvidenceValue.FIRST) is italian  # kept, not translated anew
        with force_locale("en"):
            assert value_label("first") == "First party"
        with force_locale("it"):
            assert value_label("first") == italian != "First party"
        assert value_label(None) == ""
