"""How the depths of a Moodle framework become our competences, abilities and knowledge items.

One choice per depth (1 = the top competencies), because Moodle gives each depth one
taxonomy and the admin thinks in levels ("level 2 are the Abilità/Conoscenze groups"):

* ``competence``: exactly one depth; its nodes become competences;
* ``ability`` / ``knowledge``: a depth below the competences whose nodes all become
  abilities, or all knowledge items, of the competence above them;
* ``group``: a depth below the competences whose nodes are not imported: each names what its
  children are ("Abilità", "Capacità", "Skills" → abilities; "Conoscenze", "Knowledge" →
  knowledge), so the next depth is decided by the groups and takes no choice of its own;
* ``ignore``: the depth is not imported; what is under it is (a "domain" level above the
  competences, a level between a competence and its items), and a depth below the items
  (which hold nothing in our model) is dropped.

So the mapping reads ``ignore* competence ignore* (ability | knowledge | group <decided>)
ignore*``, and must give competences with items under them. The proposal reads the level's
taxonomy name (competency → competence; skill, behaviour, indicator, practice → ability;
knowledge, concept → knowledge; domain and the rest say nothing) and the names of its nodes
(a depth whose nodes are all short group names is a group level); the first depth named
"competency" (Moodle's default name for every level) becomes the competences.
"""

from __future__ import annotations

import json
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.standards.exchange import Problem, at
from lms.standards.exchange.json_format import FORMAT, check_document, preview
from lms.standards.exchange.moodle_format import MoodleFile, Node, fold

CHOICES = ("competence", "ability", "knowledge", "group", "ignore")
CHOICE_LABELS = {
    "competence": _l("Competences"),
    "ability": _l("Abilities"),
    "knowledge": _l("Knowledge items"),
    "group": _l("Groups of abilities or knowledge (not imported)"),
    "ignore": _l("Ignore this level"),
}
ALIASES = {
    "competenza": "competence",
    "competenze": "competence",
    "abilita": "ability",
    "abilities": "ability",
    "conoscenza": "knowledge",
    "conoscenze": "knowledge",
    "gruppo": "group",
    "gruppi": "group",
    "ignora": "ignore",
}
ABILITY_WORDS = {"abilita", "capacita", "skill", "skills", "ability", "abilities"}
KNOWLEDGE_WORDS = {"conoscenza", "conoscenze", "knowledge", "knowledges", "saperi"}
TAXONOMY_HINTS = {
    "competency": "competence",
    "competence": "competence",
    "competenza": "competence",
    "skill": "ability",
    "behaviour": "ability",
    "behavior": "ability",
    "indicator": "ability",
    "practice": "ability",
    "abilita": "ability",
    "knowledge": "knowledge",
    "concept": "knowledge",
    "conoscenza": "knowledge",
    "conoscenze": "knowledge",
}
# Which of our fields each Moodle column fills (for placing the JSON checks' problems).
FIELD_COLUMNS = {"code": "idnumber", "title": "shortname", "description": "description"}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", fold(text)))


def group_kind(name: str) -> str | None:
    """ "ability" or "knowledge" when a group's name says which its children are."""
    words = _words(name)
    ability, knowledge = bool(words & ABILITY_WORDS), bool(words & KNOWLEDGE_WORDS)
    if ability != knowledge:
        return "ability" if ability else "knowledge"
    return None


def _is_group_level(mf: MoodleFile, depth: int) -> bool:
    nodes = mf.at_depth(depth)
    short = all(len(_words(n.shortname)) <= 4 and group_kind(n.shortname) for n in nodes)
    return bool(nodes) and short and any(n.children for n in nodes)


def propose(mf: MoodleFile) -> dict[int, str]:
    """The mapping proposed from the taxonomy names and the group names of the file."""
    depth = mf.depth
    if depth == 0:
        return {}
    hints = {d: TAXONOMY_HINTS.get(fold(mf.taxonomy(d))) for d in range(1, depth + 1)}
    top = next((d for d in hints if hints[d] == "competence"), 1)
    top = min(top, max(depth - 1, 1))
    mapping = dict.fromkeys(range(1, top), "ignore") | {top: "competence"}
    rest = top + 1
    if rest <= depth:
        if _is_group_level(mf, rest):
            mapping[rest] = "group"
            rest += 1  # decided by the groups
        else:
            hint = hints[rest]
            mapping[rest] = hint if hint in ("ability", "knowledge") else "ability"
    mapping |= dict.fromkeys(range(rest + 1, depth + 1), "ignore")
    return mapping


def _mapping_problem(msg: str) -> Problem:
    return Problem(_("level mapping"), msg, field="mapping")


def parse_mapping(value) -> tuple[dict[int, str] | None, list[Problem]]:
    """A mapping given as {"1": "competence"}, as its JSON or as "1=competence,2=group"; None
    when nothing is given (the proposal applies)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, []
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            value = json.loads(value)
        except (json.JSONDecodeError, RecursionError):
            return None, [_mapping_problem(_("The mapping is not valid JSON."))]
    if isinstance(value, str):
        pairs = [p.split("=", 1) if "=" in p else [p, ""] for p in re.split(r"[,;\s]+", value)]
        value = {k: v for k, v in pairs if k or v}
    if not isinstance(value, dict):
        return None, [_mapping_problem(_('Write the mapping as "1=competence,2=group".'))]
    mapping, problems = {}, []
    for key, choice in value.items():
        depth = int(key) if re.fullmatch(r"[0-9]{1,3}", str(key).strip()) else 0
        choice = fold(str(choice).strip())
        choice = ALIASES.get(choice, choice)
        if depth < 1:
            problems.append(_mapping_problem(_("%(key)s is not a level number.", key=key)))
        elif choice not in CHOICES:
            msg = _(
                "Level %(depth)d: unknown choice %(choice)s; use one of %(choices)s.",
                depth=depth,
                choice=choice,
                choices=", ".join(CHOICES),
            )
            problems.append(_mapping_problem(msg))
        else:
            mapping[depth] = choice
    return mapping, problems  # with problems: the valid choices, to show them again


def check_mapping(mf: MoodleFile, mapping: dict[int, str]) -> list[Problem]:
    """The mapping's own problems: it must give competences with items under them."""
    deepest = mf.depth
    if deepest == 0:
        return [at(mf.line, None, _("The file has no competencies under its framework."))]
    problems: list[Problem] = []

    def add(msg):
        problems.append(_mapping_problem(msg))

    for d in sorted(mapping):
        if d > deepest:
            add(
                _(
                    "The file has no level %(depth)d (its deepest is %(deepest)d).",
                    depth=d,
                    deepest=deepest,
                )
            )
    tops = [d for d, v in mapping.items() if v == "competence"]
    if len(tops) != 1:
        return [*problems, _mapping_problem(_("Exactly one level must become competences."))]
    top = tops[0]
    for d in range(1, top):
        if mapping.get(d) != "ignore":
            add(_("Level %(depth)d is above the competences: it can only be ignored.", depth=d))
    state = "competence"
    for d in range(top + 1, deepest + 1):
        choice = mapping.get(d)
        if state == "group":
            if choice is not None:
                add(
                    _(
                        "Level %(depth)d is decided by the groups of level %(group)d: leave it "
                        "out.",
                        depth=d,
                        group=d - 1,
                    )
                )
            state = "items"
        elif choice is None:
            add(_("Choose what level %(depth)d becomes.", depth=d))
        elif state == "items" and choice != "ignore":
            add(
                _(
                    "Level %(depth)d is below abilities and knowledge items, which hold "
                    "nothing: it can only be ignored.",
                    depth=d,
                )
            )
        elif choice in ("ability", "knowledge"):
            state = "items"
        elif choice == "group":
            state = "group"
    if state != "items":
        add(
            _(
                "With this mapping nothing becomes an ability or a knowledge item: map a level "
                "below the competences to abilities, knowledge or groups."
            )
        )
    return problems


def levels(mf: MoodleFile, mapping: dict[int, str], proposed: dict[int, str]) -> list[dict]:
    """Each depth of the file: its count, taxonomy name, examples, proposed and chosen kind."""
    decided = {d + 1 for d, v in mapping.items() if v == "group"}
    out = []
    for d in range(1, mf.depth + 1):
        nodes = mf.at_depth(d)
        out.append(
            {
                "depth": d,
                "count": len(nodes),
                "taxonomy": mf.taxonomy(d),
                "examples": [{"code": n.idnumber, "title": n.shortname} for n in nodes[:3]],
                "proposed": proposed.get(d),
                "choice": None if d in decided else mapping.get(d),
                "decided_by_group": d in decided,
            }
        )
    return out


def mapping_text(mapping: dict[int, str]) -> str:
    """The mapping as "1=competence,2=group"."""
    return ",".join(f"{d}={v}" for d, v in sorted(mapping.items()))


def _document(mf: MoodleFile, mapping: dict[int, str], issuer: str):
    where: dict[str, Node | None] = {"/framework": None}
    problems: list[Problem] = []
    competences: list[dict] = []

    def leaf(node: Node) -> dict:
        return {"code": node.idnumber, "title": node.shortname, "description": node.description}

    def add(index: int | None, kind: str, node: Node) -> None:
        if index is None:
            return
        key = "abilities" if kind == "ability" else "knowledge"
        where[f"/competences/{index}/{key}/{len(competences[index][key])}"] = node
        competences[index][key].append(leaf(node))

    def walk(node: Node, index: int | None, kind: str | None) -> None:
        if kind is not None:
            return add(index, kind, node)
        choice = mapping.get(node.depth)
        if choice in ("ability", "knowledge"):
            return add(index, choice, node)
        if choice == "group":
            kind = group_kind(node.shortname)
            if kind is None:
                msg = _(
                    'Level %(depth)d holds groups, but "%(name)s" names neither abilities '
                    "nor knowledge: call it e.g. Abilità or Conoscenze, or map the level "
                    "differently.",
                    depth=node.depth,
                    name=node.shortname,
                )
                problems.append(at(node.line, mf.col("shortname"), msg))
                return None
            for child in node.children:
                walk(child, index, kind)
            return None
        if choice == "competence":
            index = len(competences)
            where[f"/competences/{index}"] = node
            competences.append(leaf(node) | {"abilities": [], "knowledge": []})
        for child in node.children:  # a competence, or a level ignored: its children count
            walk(child, index, None)
        return None

    for root in mf.roots:
        walk(root, None, None)
    framework = {
        "code": mf.idnumber,
        "title": mf.shortname,
        "issuer": issuer or "-",
        "description": mf.description,
    }
    doc = {"format": FORMAT, "framework": framework, "competences": competences}
    return doc, where, problems


def _locate(problem: Problem, mf: MoodleFile, where: dict[str, Node | None]) -> Problem:
    """A problem of the JSON checks (a pointer into the document) placed at its line."""
    pointer = problem.location
    best = max(
        (p for p in where if pointer == p or pointer.startswith(p + "/")), key=len, default=None
    )
    if best is None:
        return problem
    node = where[best]
    line = node.line if node else mf.line
    rest = pointer[len(best) + 1 :].split("/")[0]
    column = mf.col(FIELD_COLUMNS.get(rest, "idnumber"))
    return at(line, column, problem.message)


def convert(mf: MoodleFile, value, *, issuer: str):
    """The file as a document of our JSON format with the mapping given (or proposed):
    (document or None, problems, preview with the levels)."""
    proposed = propose(mf)
    given, problems = parse_mapping(value)
    mapping = proposed if given is None else given
    problems = problems or check_mapping(mf, mapping)
    info = {
        "code": mf.idnumber,
        "title": mf.shortname,
        "levels": levels(mf, mapping, proposed),
        "mapping": {str(d): v for d, v in sorted(mapping.items())},
        "mapping_text": mapping_text(mapping),
        "proposed": {str(d): v for d, v in sorted(proposed.items())},
        "columns_by_position": mf.by_position,
        "ignored": mf.ignored,
    }
    if problems:
        return None, problems, info
    doc, where, problems = _document(mf, mapping, issuer.strip())
    if not issuer.strip():
        msg = _("Give the framework's issuer: a Moodle file does not name it.")
        problems.append(Problem(_("issuer"), msg, field="issuer"))
    problems += [_locate(p, mf, where) for p in check_document(doc)]
    if problems:
        return None, problems, info
    info |= preview(doc)
    info["empty_competences"] = [
        c["code"] for c in doc["competences"] if not c["abilities"] and not c["knowledge"]
    ]
    return doc, [], info
