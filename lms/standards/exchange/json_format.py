"""Our JSON framework format (framework.schema.json): export, and import as a draft."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from jsonschema import Draft202012Validator
from sqlalchemy import select

from lms.accounts.models import User
from lms.db import db
from lms.permissions import require, require_actor
from lms.standards.exchange import ImportRejected, Problem, decode_text
from lms.standards.models import (
    Framework,
    FrameworkItem,
    ItemKind,
    Profile,
    profile_competences,
)
from lms.standards.permissions import can_manage_standards
from lms.standards.services import (
    create_ability,
    create_competence,
    create_framework,
    create_knowledge_item,
    create_profile,
)

FORMAT = "rencontrer-framework/1"
SCHEMA_PATH = Path(__file__).with_name("framework.schema.json")


@cache
def validator() -> Draft202012Validator:
    """The validator of framework.schema.json (loaded once)."""
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text("utf-8")))


def _may_manage(actor: User) -> None:
    require_actor(actor)
    require(can_manage_standards(actor))


def _pointer(path) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _leaf(item: FrameworkItem) -> dict:
    return {
        "code": item.code,
        "uuid": item.uuid,
        "title": item.title,
        "description": item.description,
    }


def export_json(actor: User, framework: Framework) -> dict:
    """The framework, its profiles and items in our JSON format."""
    _may_manage(actor)
    items = list(
        db.session.scalars(
            select(FrameworkItem)
            .where(FrameworkItem.framework_id == framework.id)
            .order_by(FrameworkItem.position, FrameworkItem.code)
        )
    )
    children: dict[int, list[FrameworkItem]] = {}
    for item in items:
        if item.competence_id is not None:
            children.setdefault(item.competence_id, []).append(item)
    competences = []
    for comp in (i for i in items if i.kind == ItemKind.COMPETENCE):
        kids = children.get(comp.id, [])
        competences.append(
            _leaf(comp)
            | {
                "abilities": [_leaf(k) for k in kids if k.kind == ItemKind.ABILITY],
                "knowledge": [_leaf(k) for k in kids if k.kind == ItemKind.KNOWLEDGE],
            }
        )
    codes = {i.id: i.code for i in items}
    profiles = list(
        db.session.scalars(
            select(Profile).where(Profile.framework_id == framework.id).order_by(Profile.id)
        )
    )
    links = db.session.execute(
        select(profile_competences.c.profile_id, profile_competences.c.competence_id).where(
            profile_competences.c.profile_id.in_([p.id for p in profiles])
        )
    ).all()
    return {
        "format": FORMAT,
        "framework": {
            "code": framework.code,
            "title": framework.title,
            "issuer": framework.issuer,
            "legal_act": framework.legal_act,
            "version": framework.version,
            "valid_from": framework.valid_from.isoformat() if framework.valid_from else None,
            "valid_until": framework.valid_until.isoformat() if framework.valid_until else None,
            "description": framework.description,
            "illustrative": framework.illustrative,
        },
        "profiles": [
            {
                "code": p.code,
                "title": p.title,
                "description": p.description,
                "eqf_level": p.eqf_level,
                "ateco_code": p.ateco_code,
                "cp_istat_code": p.cp_istat_code,
                "atlante_code": p.atlante_code,
                "competences": sorted(codes[c] for pid, c in links if pid == p.id and c in codes),
            }
            for p in profiles
        ],
        "competences": competences,
    }


def _date(value: str | None, where: str, problems: list[Problem]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(Problem(where, _("This is not a valid date.")))
        return None


def check_document(doc: dict) -> list[Problem]:
    """Every problem of a parsed document: schema violations, then codes and references."""
    problems = [
        Problem(_pointer(e.absolute_path), e.message)
        for e in sorted(validator().iter_errors(doc), key=lambda e: list(map(str, e.path)))
    ]
    if problems:
        return problems
    fw = doc["framework"]
    _date(fw.get("valid_from"), "/framework/valid_from", problems)
    _date(fw.get("valid_until"), "/framework/valid_until", problems)
    seen_codes: dict[str, str] = {}
    seen_uuids: dict[str, str] = {}

    def note(item: dict, where: str) -> None:
        first = seen_codes.setdefault(item["code"], where)
        if first != where:
            problems.append(
                Problem(where + "/code", _("Code already used at %(where)s.", where=first))
            )
        if "uuid" in item:
            first = seen_uuids.setdefault(item["uuid"].lower(), where)
            if first != where:
                problems.append(
                    Problem(where + "/uuid", _("UUID already used at %(where)s.", where=first))
                )

    competence_codes = set()
    for i, comp in enumerate(doc["competences"]):
        note(comp, f"/competences/{i}")
        competence_codes.add(comp["code"])
        for key in ("abilities", "knowledge"):
            for j, leaf in enumerate(comp.get(key, [])):
                note(leaf, f"/competences/{i}/{key}/{j}")
    seen_profiles: dict[str, int] = {}
    for i, prof in enumerate(doc.get("profiles", [])):
        if seen_profiles.setdefault(prof["code"], i) != i:
            problems.append(Problem(f"/profiles/{i}/code", _("Profile code used twice.")))
        for j, code in enumerate(prof.get("competences", [])):
            if code not in competence_codes:
                problems.append(
                    Problem(
                        f"/profiles/{i}/competences/{j}",
                        _("No competence of this file has the code %(code)s.", code=code),
                    )
                )
    version = fw.get("version", "1")
    taken = db.session.scalar(
        select(Framework.id).where(Framework.code == fw["code"], Framework.version == version)
    )
    if taken is not None:
        problems.append(
            Problem(
                "/framework/version", _("A framework with this code and version already exists.")
            )
        )
    return problems


def parse_json(raw: bytes) -> tuple[dict | None, list[Problem]]:
    """Decode and check a whole file; the document and every problem found."""
    text, problems = decode_text(raw)
    if text is None:
        return None, problems
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        where = _("line %(line)d, column %(column)d", line=err.lineno, column=err.colno)
        return None, [Problem(where, _("This is not valid JSON: %(msg)s.", msg=err.msg))]
    return doc, check_document(doc)


def preview(doc: dict) -> dict:
    """What an import would create, counted."""
    comps = doc["competences"]
    return {
        "code": doc["framework"]["code"],
        "title": doc["framework"]["title"],
        "version": doc["framework"].get("version", "1"),
        "profiles": len(doc.get("profiles", [])),
        "competences": len(comps),
        "abilities": sum(len(c.get("abilities", [])) for c in comps),
        "knowledge": sum(len(c.get("knowledge", [])) for c in comps),
    }


def import_document(actor: User, doc: dict) -> Framework:
    """Create a DRAFT framework from a checked document; items keep the file's uuid."""
    _may_manage(actor)
    problems = check_document(doc)
    if problems:
        raise ImportRejected(problems)
    f = doc["framework"]
    fw = create_framework(
        actor,
        code=f["code"],
        title=f["title"],
        issuer=f["issuer"],
        legal_act=f.get("legal_act", ""),
        version=f.get("version", "1"),
        valid_from=_date(f.get("valid_from"), "", []),
        valid_until=_date(f.get("valid_until"), "", []),
        description=f.get("description", ""),
        illustrative=f.get("illustrative", False),
    )
    profiles = {
        p["code"]: create_profile(
            actor,
            fw,
            code=p["code"],
            title=p["title"],
            description=p.get("description", ""),
            eqf_level=p.get("eqf_level"),
            ateco_code=p.get("ateco_code"),
            cp_istat_code=p.get("cp_istat_code"),
            atlante_code=p.get("atlante_code"),
        )
        for p in doc.get("profiles", [])
    }
    makers = (("abilities", create_ability), ("knowledge", create_knowledge_item))
    for pos, c in enumerate(doc["competences"], start=1):
        comp = create_competence(
            actor,
            fw,
            code=c["code"],
            title=c["title"],
            description=c.get("description", ""),
            position=pos,
        )
        if "uuid" in c:
            comp.uuid = c["uuid"].lower()
        for key, make in makers:
            for i, leaf in enumerate(c.get(key, []), start=1):
                item = make(
                    actor,
                    comp,
                    code=leaf["code"],
                    title=leaf["title"],
                    description=leaf.get("description", ""),
                    position=i,
                )
                if "uuid" in leaf:
                    item.uuid = leaf["uuid"].lower()
        rows = [
            {"profile_id": prof.id, "competence_id": comp.id}
            for p in doc.get("profiles", [])
            if c["code"] in p.get("competences", [])
            for prof in [profiles[p["code"]]]
        ]
        if rows:
            db.session.execute(profile_competences.insert(), rows)
    db.session.flush()
    return fw


def import_json(actor: User, raw: bytes, *, dry_run: bool = False) -> Framework | dict:
    """Import a whole file as a draft, or with dry_run the preview; a bad file imports nothing
    and raises ImportRejected listing every problem with its location."""
    _may_manage(actor)
    doc, problems = parse_json(raw)
    if problems:
        raise ImportRejected(problems)
    return preview(doc) if dry_run else import_document(actor, doc)
