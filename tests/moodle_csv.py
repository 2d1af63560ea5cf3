"""Write a framework of our JSON format as Moodle's tool_lpimportcsv exports it
(framework_exporter: the 14 headers, "1" in "Is framework" on the framework row and nothing on
the others, HTML descriptions of format 1, the scale on every row, "null" rule configs)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import lms.standards

DATA = Path(lms.standards.__file__).parent / "data" / "disability-manager-illustrativo.json"
HEADERS = [
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
]
SCALE = "Not yet competent,Competent"
SCALE_CONFIG = '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":0},{"id":2,"scaledefault":0,"proficient":1}]'


def illustrative() -> dict:
    return json.loads(DATA.read_text("utf-8"))


def html(text: str) -> str:
    return f"<p>{text}</p>" if text else ""


def rows(doc: dict, *, layout: str = "groups", taxonomy: str | None = None) -> list[list[str]]:
    """The framework row then one row per competency. layout "groups": competences at depth 1,
    "Abilità"/"Conoscenze" groups at 2, items at 3; "flat": items directly at depth 2."""
    fw = doc["framework"]
    tax = taxonomy or ("competency,competency,skill" if layout == "groups" else "competency,skill")
    out = [
        [
            "",
            fw["code"],
            fw["title"],
            html(fw["description"]),
            "1",
            SCALE,
            SCALE_CONFIG,
            "",
            "",
            "",
            "",
            "",
            "1",
            tax,
        ]
    ]
    ids = iter(range(101, 10_000))

    def row(parent: str, code: str, title: str, description: str, related: str = "") -> None:
        out.append(
            [
                parent,
                code,
                title,
                html(description),
                "1",
                "",
                "",
                "",
                "0",
                "null",
                related,
                str(next(ids)),
                "",
                "",
            ]
        )

    for c in doc["competences"]:
        row("", c["code"], c["title"], c["description"])
        groups = (("abilities", "Abilità", "A"), ("knowledge", "Conoscenze", "K"))
        for key, name, suffix in groups:
            parent = c["code"]
            if layout == "groups" and c[key]:
                parent = f"{c['code']}-{suffix}"
                row(c["code"], parent, name, "")
            for leaf in c[key]:
                row(parent, leaf["code"], leaf["title"], leaf["description"])
    return out


def write(table: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    w.writerow(HEADERS)
    w.writerows(table)
    return out.getvalue().encode(encoding)


def moodle_csv(doc: dict | None = None, **kwargs) -> bytes:
    """The illustrative framework (or doc) as a Moodle CSV file."""
    fmt = {k: kwargs.pop(k) for k in ("delimiter", "encoding") if k in kwargs}
    return write(rows(doc or illustrative(), **kwargs), **fmt)
