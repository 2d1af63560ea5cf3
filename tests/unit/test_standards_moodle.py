"""Moodle's competency framework CSV: a file written in its documented format gives the same
framework as our JSON of the same content; levels map by an explicit, validated choice; a bad
file lists each problem with its line and column and imports nothing."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.db import db
from lms.standards.exchange import ImportRejected
from lms.standards.exchange.html_text import html_to_text
from lms.standards.exchange.json_format import export_json, import_document
from lms.standards.exchange.moodle_mapping import parse_mapping
from lms.standards.exchange.services import import_framework, inspect_file
from lms.standards.models import Framework, FrameworkItem
from tests.moodle_csv import illustrative, moodle_csv, rows, write

FILE = Path(__file__).parents[1] / "data" / "moodle-dm-illustrativo.csv"
ISSUER = "Regione Lombardia"


def _content(doc: dict) -> dict:
    """What both formats carry: the framework's code, title and description, and the
    competences with their abilities and knowledge items (identifiers aside)."""

    def leaf(i):
        return {k: i[k] for k in ("code", "title", "description")}

    fw = doc["framework"]
    return {
        "framework": {k: fw[k] for k in ("code", "title", "description")},
        "competences": [
            leaf(c)
            | {
                "abilities": list(map(leaf, c["abilities"])),
                "knowledge": list(map(leaf, c["knowledge"])),
            }
            for c in doc["competences"]
        ],
    }


def _moodle(admin, raw: bytes, mapping=None) -> dict:
    return export_json(
        admin, import_framework(admin, raw, "moodle", issuer=ISSUER, mapping=mapping)
    )


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count(Framework.id))),
        db.session.scalar(select(func.count(FrameworkItem.id))),
    )


@pytest.mark.parametrize(
    "mapping", [None, "1=competence,2=group", '{"1": "competenza", "2": "gruppo"}']
)
def test_the_documented_file_gives_the_same_framework_as_our_json(app, make, mapping):
    admin = make.admin()
    from_json = export_json(admin, import_document(admin, illustrative()))
    from_moodle = _moodle(admin, FILE.read_bytes(), mapping)
    assert _content(from_moodle) == _content(from_json)
    assert from_moodle["framework"]["issuer"] == ISSUER
    assert from_moodle["framework"]["version"] == "1"


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(",", "utf-8-sig"), (";", "utf-8"), (";", "cp1252"), ("\t", "utf-8")],
)
def test_encodings_and_separators(app, make, delimiter, encoding):
    admin = make.admin()
    expected = _content(illustrative())
    assert _content(_moodle(admin, moodle_csv(delimiter=delimiter, encoding=encoding))) == expected


def test_items_directly_under_competences_by_an_explicit_choice(app, make):
    admin = make.admin()
    doc = illustrative()
    knowledge_only = copy.deepcopy(doc)
    for c in doc["competences"]:
        c["knowledge"] = []
    for c in knowledge_only["competences"]:
        c["abilities"] = []
    # Proposed from the taxonomy "competency,skill": level 2 are abilities.
    assert _content(_moodle(admin, moodle_csv(doc, layout="flat"))) == _content(doc)
    db.session.rollback()
    raw = moodle_csv(knowledge_only, layout="flat")
    assert _content(_moodle(admin, raw, "1=competence,2=knowledge")) == _content(knowledge_only)


def test_rows_in_any_order_and_a_domain_level_ignored(app, make):
    admin = make.admin()
    table = rows(illustrative(), taxonomy="domain,competency,competency,skill")
    framework, competencies = table[0], table[1:]
    domain = ["", "AREA", "Area unica", "", "1", "", "", "", "0", "null", "", "999", "", ""]
    for r in competencies:
        if r[0] == "":
            r[0] = "AREA"
    raw = write([framework, *reversed(competencies), domain])
    ins = inspect_file(admin, raw, "moodle", issuer=ISSUER)
    assert ins.ok, ins.problems
    assert ins.preview["mapping_text"] == "1=ignore,2=competence,3=group"
    assert [(lv["depth"], lv["count"], lv["taxonomy"]) for lv in ins.preview["levels"]] == [
        (1, 1, "domain"),
        (2, 6, "competency"),
        (3, 12, "competency"),
        (4, 36, "skill"),
    ]
    got = _content(_moodle(admin, raw))
    expected = _content(illustrative())
    # Reversed rows: siblings come in the file's order.
    assert sorted(c["code"] for c in got["competences"]) == [
        c["code"] for c in expected["competences"]
    ]
    assert {c["code"]: sorted(a["code"] for a in c["abilities"]) for c in got["competences"]} == {
        c["code"]: [a["code"] for a in c["abilities"]] for c in expected["competences"]
    }


def test_a_bad_file_lists_each_problem_at_its_line_and_column_and_imports_nothing(app, make):
    admin = make.admin()
    import_document(admin, illustrative())
    before = _counts()
    table = rows(illustrative())
    table[3][1] = "C1.A2"  # line 5: the ID number of line 6
    table[5][0] = "C9"  # line 7: unknown parent
    table[6][2] = ""  # line 8: empty short name
    table[7][4] = "7"  # line 9: unknown description format
    table.append(list(table[0]))  # line 57: a second framework row
    table.append(["X2", "X1", "Uno", "", "1", "", "", "", "", "", "", "", "", ""])  # 58
    table.append(["X1", "X2", "Due", "", "1", "", "", "", "", "", "", "", "", ""])  # 59
    table.append(["C1", "C1.Z"])  # line 60: too short
    with pytest.raises(ImportRejected) as err:
        import_framework(admin, write(table), "moodle", issuer=ISSUER)
    where = [(p.line, p.column) for p in err.value.problems]
    assert where == [(6, 2), (7, 1), (8, 3), (9, 5), (57, 13), (58, 1), (59, 1), (60, None)]
    messages = [p.message for p in err.value.problems]
    assert "5" in messages[0] and "C9" in messages[1] and "X1 → X2 → X1" in messages[6]
    assert str(err.value.problems[0]).startswith("riga 6, colonna 2: ")
    assert _counts() == before


def test_missing_columns_and_no_framework_row(app, make):
    admin = make.admin()
    with pytest.raises(ImportRejected) as err:
        import_framework(
            admin, b"ID number;Short name;Description\nC1;Uno;\n", "moodle", issuer=ISSUER
        )
    assert [p.message for p in err.value.problems] == [
        'Manca la colonna "Parent ID number".',
        'Manca la colonna "Is framework".',
    ]
    assert {p.line for p in err.value.problems} == {1}
    table = [r for r in rows(illustrative()) if r[12] != "1"]
    with pytest.raises(ImportRejected) as err:
        import_framework(admin, write(table), "moodle", issuer=ISSUER)
    assert [p.line for p in err.value.problems] == [1]


def test_a_header_in_another_language_is_read_by_position(app, make):
    raw = moodle_csv().split(b"\n", 1)
    header = ",".join(f"Colonna {i}" for i in range(1, 15)).encode()
    ins = inspect_file(make.admin(), header + b"\n" + raw[1], "moodle", issuer=ISSUER)
    assert ins.ok and ins.preview["columns_by_position"]


def test_bytes_neither_utf8_nor_windows_1252(app, make):
    raw = moodle_csv().replace(b"Pianificare", b"Pian\x81ficare")
    ins = inspect_file(make.admin(), raw, "moodle", issuer=ISSUER)
    assert [(p.line, p.column) for p in ins.problems] == [(3, 9)]


def test_html_descriptions_become_plain_text(app, make):
    table = rows(illustrative())
    table[1][3] = (
        '<p>Prima &amp; <b>dopo</b></p><script>alert("x")</script><ul><li>uno</li><li>due</li></ul>'
    )
    doc = inspect_file(make.admin(), write(table), "moodle", issuer=ISSUER).doc
    assert doc["competences"][0]["description"] == "Prima & dopo\n- uno\n- due"
    table[1][4] = "2"  # plain text: kept as written
    doc = inspect_file(make.admin(), write(table), "moodle", issuer=ISSUER).doc
    assert doc["competences"][0]["description"].startswith("<p>Prima &amp;")
    assert html_to_text("<style>p{}</style>a<br>b") == "a\nb"


@pytest.mark.parametrize(
    ("mapping", "fragment"),
    [
        ("1=competence", "nulla diventa"),
        ("1=competence,2=ignore,3=ignore", "nulla diventa"),
        ("1=competence,2=ability,3=knowledge", "può solo essere ignorato"),
        ("1=competence,2=group,3=ability", "lascialo fuori"),
        ("1=ability,2=competence,3=ignore", "sopra le competenze"),
        ("1=group,2=group", "Esattamente un livello"),
        ("1=competence,2=group,5=ignore", "non ha il livello 5"),
        ("1=competence,2=skill", "scelta sconosciuta"),
        ("x=competence", "non è un numero di livello"),
        ("{not json", "JSON"),
    ],
)
def test_a_mapping_that_cannot_give_competences_with_items_is_refused(app, make, mapping, fragment):
    admin = make.admin()
    before = _counts()
    with pytest.raises(ImportRejected) as err:
        import_framework(admin, FILE.read_bytes(), "moodle", issuer=ISSUER, mapping=mapping)
    assert any(fragment in p.message for p in err.value.problems), err.value.problems
    assert {p.field for p in err.value.problems} == {"mapping"}
    assert err.value.preview["levels"][0]["count"] == 6  # the levels, to correct the mapping
    assert _counts() == before


def test_a_level_deeper_than_the_mapping_says(app, make):
    table = rows(illustrative())
    table.append(["C1.A1", "C1.A1.x", "Indicatore", "", "1", "", "", "", "", "", "", "", "", ""])
    admin = make.admin()
    ins = inspect_file(admin, write(table), "moodle", issuer=ISSUER)
    assert ins.ok and ins.preview["mapping_text"] == "1=competence,2=group,4=ignore"
    ins = inspect_file(admin, write(table), "moodle", issuer=ISSUER, mapping="1=competence,2=group")
    assert [p.message for p in ins.problems] == ["Scegli che cosa diventa il livello 4."]


def test_a_group_whose_name_says_neither_kind(app, make):
    table = rows(illustrative())
    table[2][2] = "Altro"  # line 4: the first group
    ins = inspect_file(
        make.admin(), write(table), "moodle", issuer=ISSUER, mapping="1=competence,2=group"
    )
    assert [(p.line, p.column) for p in ins.problems] == [(4, 3)]
    assert "Altro" in ins.problems[0].message


def test_problems_of_our_checks_are_placed_at_their_line(app, make):
    admin = make.admin()
    table = rows(illustrative())
    table[3][1] = "C" * 41  # line 5: a code longer than ours allow
    ins = inspect_file(admin, write(table), "moodle", issuer="")
    assert [(p.location, p.line, p.column) for p in ins.problems] == [
        ("ente titolare", None, None),
        ("riga 5, colonna 2", 5, 2),
    ]
    import_framework(admin, FILE.read_bytes(), "moodle", issuer=ISSUER)
    ins = inspect_file(admin, FILE.read_bytes(), "moodle", issuer=ISSUER)
    assert [(p.line, p.column) for p in ins.problems] == [(2, 2)]  # this code and version exist


def test_parse_mapping_forms(app):
    assert parse_mapping("1=competence, 2=group") == ({1: "competence", 2: "group"}, [])
    assert parse_mapping({"1": "competenze", "2": "Abilità"}) == (
        {1: "competence", 2: "ability"},
        [],
    )
    assert parse_mapping("") == (None, [])


@pytest.mark.parametrize(
    ("taxonomy", "group_names", "proposed"),
    [
        ("competency,competency,competency", ("Abilità", "Conoscenze"), "1=competence,2=group"),
        ("competency,domain,skill", ("Skills", "Knowledge"), "1=competence,2=group"),
        ("competency,competency,skill", ("Capacità", "Saperi"), "1=competence,2=group"),
        ("competency,concept,indicator", ("Pratiche", "Temi"), "1=competence,2=knowledge,3=ignore"),
        (
            "competency,behaviour,indicator",
            ("Abilità", "Abilità e conoscenze"),
            "1=competence,2=ability,3=ignore",
        ),
    ],
)
def test_the_proposal_reads_taxonomy_and_group_names(app, make, taxonomy, group_names, proposed):
    table = rows(illustrative(), taxonomy=taxonomy)
    for r in table:
        if r[2] in ("Abilità", "Conoscenze"):
            r[2] = group_names[r[2] == "Conoscenze"]
    ins = inspect_file(make.admin(), write(table), "moodle", issuer=ISSUER)
    assert ins.preview["mapping_text"] == proposed


def test_a_line_that_is_not_csv(app, make):
    raw = moodle_csv().replace(b"\n,C1,", b'\n,"C1' + b"x" * 200_000 + b",", 1)
    ins = inspect_file(make.admin(), raw, "moodle", issuer=ISSUER)
    assert len(ins.problems) == 1 and ins.problems[0].line is not None
    assert "CSV" in ins.problems[0].message


@pytest.mark.parametrize("value", ["²=competence", "{" * 3000, "[1, 2]", '{"1": ["x"]}', "=,=;"])
def test_odd_mappings_are_problems_not_errors(app, value):
    mapping, problems = parse_mapping(value)
    assert problems or mapping == {}
