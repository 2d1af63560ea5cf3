"""Moodle's competency framework CSV (admin tool `tool_lpimportcsv`), read as Moodle writes it.

The file. The header names the 14 columns of `framework_exporter` ("Parent ID number", "ID
number", "Short name", "Description", "Description format", "Scale values", "Scale
configuration", "Rule type (optional)", "Rule outcome (optional)", "Rule config (optional)",
"Cross-referenced competency ID numbers", "Exported ID (optional)", "Is framework",
"Taxonomy"). Columns are found by name (case and spacing aside, "(optional)" optional, older
Moodle spellings accepted); Moodle's own importer maps them by position by default, so a
header of exactly 14 unknown names (a Moodle in another language) is read by position too.
One row has "Is framework" set (Moodle writes 1 there and nothing elsewhere): the framework's
ID number, short name, description and, in "Taxonomy", the name of each level separated by
commas (e.g. `competency,domain,skill`). Every other row is a competency of any depth, tied to
its parent by "Parent ID number" (empty at the top); Moodle builds the tree after reading
every row, so a row may come before its parent. Scales, rules, cross-references and exported
ids have no place in our model and are ignored (the preview says how many rows had them).

Problems. The whole file is read first and every problem is reported with its line and column:
missing columns, rows of the wrong length, two framework rows or none, empty ID number or short
name (Moodle silently skips such rows and everything under them), duplicate ID numbers
(Moodle silently keeps the last), unknown parents and cycles (Moodle silently drops those
subtrees), bad "Description format". A bad file imports nothing. "Description format" 1 (HTML)
and 0 (Moodle's auto-format, which may hold HTML) are turned into plain text by
`html_text.html_to_text`; 2 (plain) and 4 (Markdown) are kept as they are.

Levels. Moodle has one kind of node at every depth; we have competences holding abilities and
knowledge items side by side. No rule can tell which Moodle depth is which in every file, so
the mapping is an explicit choice of the admin, per depth (moodle_mapping), proposed from the
level's taxonomy name and its nodes' names, shown in the preview with counts and examples,
and validated; the conversion gives the same document as our JSON format, imported by the
same `json_format.import_document`, so every framework is created by one path.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _

from lms.standards.exchange import Problem, at
from lms.standards.exchange.html_text import html_to_text, looks_like_html

COLUMNS = {
    "parent": "Parent ID number",
    "idnumber": "ID number",
    "shortname": "Short name",
    "description": "Description",
    "descriptionformat": "Description format",
    "scalevalues": "Scale values",
    "scaleconfiguration": "Scale configuration",
    "ruletype": "Rule type (optional)",
    "ruleoutcome": "Rule outcome (optional)",
    "ruleconfig": "Rule config (optional)",
    "related": "Cross-referenced competency ID numbers",
    "exportid": "Exported ID (optional)",
    "isframework": "Is framework",
    "taxonomy": "Taxonomy",
}
REQUIRED = ("parent", "idnumber", "shortname", "isframework")
# Older Moodle versions wrote these headers.
OLD_NAMES = {
    "cross referenced competency id numbers": "related",
    "exported id": "exportid",
}
TRUE = {"1", "true", "yes", "y", "si", "sì", "x"}
FALSE = {"", "0", "false", "no", "n"}
FORMATS = {"0", "1", "2", "4"}  # FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN
# What our model has no place for: the columns that hold it.
IGNORED = {
    "scale": ("scalevalues", "scaleconfiguration"),
    "rule": ("ruletype",),
    "related": ("related",),
}


def _norm(name: str) -> str:
    name = re.sub(r"\(optional\)", "", name.strip().casefold())
    return " ".join(re.sub(r"[-_]", " ", name).split())


KNOWN = {_norm(v): k for k, v in COLUMNS.items()} | OLD_NAMES


@dataclass
class Node:
    """One competency row of the file."""

    line: int
    idnumber: str
    parent: str
    shortname: str
    description: str
    depth: int = 0
    children: list[Node] = field(default_factory=list)


@dataclass
class MoodleFile:
    """A whole file read without problems: the framework row and the competency tree."""

    idnumber: str
    shortname: str
    description: str
    taxonomies: list[str]
    line: int
    roots: list[Node]
    nodes: list[Node]
    columns: dict[str, int]  # column key -> 1-based column number
    ignored: dict[str, int]  # "scale", "rule", "related" -> competency rows that had it
    by_position: bool = False

    def col(self, key: str) -> int | None:
        return self.columns.get(key)

    @property
    def depth(self) -> int:
        return max((n.depth for n in self.nodes), default=0)

    def at_depth(self, depth: int) -> list[Node]:
        return [n for n in self.nodes if n.depth == depth]

    def taxonomy(self, depth: int) -> str:
        return self.taxonomies[depth - 1] if depth <= len(self.taxonomies) else ""


def decode(raw: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 (with or without BOM), else Windows-1252; bytes that are neither are a problem."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), []
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line, column = before.count(b"\n") + 1, err.start - (before.rfind(b"\n") + 1) + 1
        return None, [at(line, column, _("The file is neither UTF-8 nor Windows-1252 text."))]


def _delimiter(first_line: str) -> str:
    """The separator that makes the most known column names of the header line."""

    def known(delim: str) -> tuple[int, int]:
        cells = next(csv.reader([first_line], delimiter=delim), [])
        return sum(_norm(c) in KNOWN for c in cells), len(cells)

    return max((",", ";", "\t"), key=known)


def _columns(header: list[str]) -> tuple[dict[str, int], bool, list[Problem]]:
    columns: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        key = KNOWN.get(_norm(name))
        if key is not None:
            columns.setdefault(key, i)
    if not columns and len(header) == len(COLUMNS):
        # Moodle's importer reads the columns in this order unless told otherwise.
        return {k: i for i, k in enumerate(COLUMNS, start=1)}, True, []
    problems = [
        at(1, None, _('The column "%(name)s" is missing.', name=COLUMNS[key]))
        for key in REQUIRED
        if key not in columns
    ]
    return columns, False, problems


def _format_description(text: str, fmt: str) -> str:
    if fmt == "1" or (fmt == "0" and looks_like_html(text)):
        return html_to_text(text)
    return text.strip()


def read_moodle(raw: bytes) -> tuple[MoodleFile | None, list[Problem]]:
    """Read a whole file: the framework and its tree, or every problem with line and column."""
    text, problems = decode(raw)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [at(1, None, _("The file is empty."))]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.splitlines()[0]))
    try:
        return _read_rows(reader)
    except csv.Error as err:
        msg = _("This line cannot be read as CSV: %(error)s.", error=str(err))
        return None, [at(reader.line_num, None, msg)]


def _read_rows(reader) -> tuple[MoodleFile | None, list[Problem]]:
    columns, by_position, problems = _columns(next(reader))
    if problems:
        return None, problems
    width = max(columns.values())
    framework: dict | None = None
    nodes: list[Node] = []
    first: dict[str, int] = {}
    ignored = dict.fromkeys(IGNORED, 0)
    start = reader.line_num + 1
    for row in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < width:
            msg = _(
                "This row has %(cells)d cells; the header has %(columns)d.",
                cells=len(row),
                columns=width,
            )
            problems.append(at(line, None, msg))
            continue

        def cell(key: str, row=row) -> str:
            return row[columns[key] - 1].strip() if key in columns else ""

        flag = cell("isframework").casefold()
        if flag not in TRUE | FALSE:
            msg = _('"Is framework" must be 1 or empty.')
            problems.append(at(line, columns["isframework"], msg))
            continue
        fmt = cell("descriptionformat") or "0"
        if fmt not in FORMATS:
            msg = _("Unknown description format %(value)s: use 0, 1 (HTML), 2 or 4.", value=fmt)
            problems.append(at(line, columns["descriptionformat"], msg))
        description = _format_description(cell("description"), fmt)
        for key, what in (("idnumber", _("ID number")), ("shortname", _("Short name"))):
            if not cell(key):
                msg = _("The %(column)s is empty.", column=what)
                problems.append(at(line, columns[key], msg))
        if flag in TRUE:
            if framework is not None:
                msg = _(
                    "A second framework row: the framework is at line %(line)d.",
                    line=framework["line"],
                )
                problems.append(at(line, columns["isframework"], msg))
                continue
            taxonomies = (
                [t.strip() for t in cell("taxonomy").split(",")] if cell("taxonomy") else []
            )
            framework = {
                "idnumber": cell("idnumber"),
                "shortname": cell("shortname"),
                "description": description,
                "taxonomies": taxonomies,
                "line": line,
            }
            continue
        for key, cols in IGNORED.items():
            ignored[key] += any(cell(c) for c in cols)
        code = cell("idnumber")
        if code and code in first:
            msg = _(
                "ID number %(code)s already used at line %(line)d.", code=code, line=first[code]
            )
            problems.append(at(line, columns["idnumber"], msg))
            continue
        if code:
            first[code] = line
        node = Node(line, code, cell("parent"), cell("shortname"), description)
        nodes.append(node)
    if framework is None:
        problems.append(at(1, None, _('The file has no framework row ("Is framework" set).')))
    else:
        problems += _build_tree(nodes, framework["idnumber"], columns)
    if problems:
        return None, sorted(problems, key=lambda p: (p.line or 0, p.column or 0))
    roots = [n for n in nodes if n.depth == 1]
    return MoodleFile(
        roots=roots,
        nodes=nodes,
        columns=columns,
        ignored={k: v for k, v in ignored.items() if v},
        by_position=by_position,
        **framework,
    ), []


def _build_tree(nodes: list[Node], framework_code: str, columns: dict[str, int]) -> list[Problem]:
    """Tie each node to its parent and set its depth; unknown parents and cycles are problems.
    A parent equal to the framework's own ID number means the top level."""
    by_code = {n.idnumber: n for n in nodes if n.idnumber}
    problems: list[Problem] = []
    col = columns["parent"]
    for n in nodes:
        if n.parent and n.parent != framework_code and n.parent not in by_code:
            msg = _("Unknown parent %(code)s: no row has this ID number.", code=n.parent)
            problems.append(at(n.line, col, msg))
    for n in nodes:
        if n.parent and n.parent != framework_code and n.parent in by_code:
            by_code[n.parent].children.append(n)
    reported: set[int] = set()
    for n in nodes:
        chain, seen, cur = [], set(), n
        while cur.parent in by_code and cur.parent != framework_code and id(cur) not in seen:
            seen.add(id(cur))
            chain.append(cur)
            cur = by_code[cur.parent]
        if id(cur) in seen and id(cur) not in reported:
            cycle = chain[chain.index(cur) :]
            path = " → ".join([c.idnumber for c in cycle] + [cur.idnumber])
            for c in cycle:
                reported.add(id(c))
                msg = _("These competencies are each other's parent: %(path)s.", path=path)
                problems.append(at(c.line, col, msg))
    if problems:
        return problems

    def place(node: Node, depth: int) -> None:
        node.depth = depth
        for child in node.children:
            place(child, depth + 1)

    for n in nodes:
        if not n.parent or n.parent == framework_code:
            place(n, 1)
    return problems


def fold(text: str) -> str:
    """Lower case without accents, for matching names and taxonomy words."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def inspect_moodle(raw: bytes, *, issuer: str, mapping=None):
    """Read and convert a file: (document or None, problems, preview or None)."""
    from lms.standards.exchange import moodle_mapping

    mf, problems = read_moodle(raw)
    if mf is None:
        return None, problems, None
    return moodle_mapping.convert(mf, mapping, issuer=issuer)
