"""The Italian catalogue of every package is complete: each string in the code is translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["lms", "courses", "assessments", "certificates"]
METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def extracted(package: str) -> set[str]:
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        ROOT / package, METHOD_MAP, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return {m for m in found if m}


def catalogue(package: str):
    path = ROOT / package / "translations" / "it" / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return None
    with path.open("rb") as f:
        return read_po(f)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_string_has_an_italian_translation(package):
    messages = extracted(package)
    cat = catalogue(package)
    if cat is None:
        assert not messages, f"{package} has strings but no Italian catalogue"
        return
    missing, fuzzy, placeholders = [], [], []
    for msgid in sorted(messages):
        entry = cat.get(msgid)
        strings = entry.string if entry is not None else None
        if isinstance(strings, tuple):
            strings = strings[0] if all(strings) else ""
        if entry is None or not strings:
            missing.append(msgid)
        elif entry.fuzzy:
            fuzzy.append(msgid)
        elif set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(strings)):
            placeholders.append(msgid)
    assert not missing, f"{package}: untranslated (run make extract-messages): {missing[:10]}"
    assert not fuzzy, f"{package}: fuzzy entries: {fuzzy[:10]}"
    assert not placeholders, f"{package}: placeholders differ: {placeholders[:10]}"
