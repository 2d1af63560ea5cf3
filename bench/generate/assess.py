"""Assessments with their grades and submissions, and certification dossiers with evidence
mapped against the demo's framework (profile DM of DM-ILLUSTRATIVO)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select

from bench.generate.bulk import Loader
from bench.generate.courses import CourseData
from lms.db import db, utcnow
from lms.standards.demo import illustrative_framework
from lms.standards.models import FrameworkItem, Profile

FEATURED_KINDS = ["assignment", "practical", "oral", "practical"]
SUBMITTED_SHARE = 0.85
MAX_POINTS = Decimal(30)
PASS_MARK = Decimal(18)


def _kind(course: CourseData, j: int) -> str:
    if course.featured:
        return FEATURED_KINDS[j % len(FEATURED_KINDS)]
    return "assignment" if j == 0 else ("practical", "oral")[j % 2]


def bulk_assessments(loader: Loader, rng: random.Random, courses, coordinator_id, now) -> None:
    ts = utcnow()
    a_rows, grades, subs = [], [], []
    for c in courses:
        ids = loader.ids("assessments", c.n_assessments)
        n = len(c.lessons)
        for j, aid in enumerate(ids):
            day = c.lessons[min(n - 1, (j + 1) * n // (c.n_assessments + 1))][1]
            opens = dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC)
            closes = opens + dt.timedelta(days=7 if not c.featured else 2)
            kind = _kind(c, j)
            final = c.featured and j == c.n_assessments - 1
            a_rows.append(
                (
                    aid,
                    c.id,
                    None,
                    f"Prova {j + 1}: {c.title}"[:200],
                    "",
                    kind,
                    opens,
                    closes,
                    MAX_POINTS,
                    PASS_MARK,
                    Decimal(1),
                    None,
                    "refuse",
                    None,
                    final,
                    True,
                    None,
                    False,
                    False,
                    False,
                    False,
                    Decimal(0),
                    coordinator_id,
                    ts,
                    ts,
                )
            )
            if opens > now:
                continue
            closed = closes < now
            for _eid, uid in c.enrolments:
                if kind == "assignment":
                    if rng.random() > SUBMITTED_SHARE:
                        if closed:
                            grades.append((aid, uid, "not_submitted", None, None, None, None))
                        continue
                    subs.append(
                        (
                            aid,
                            uid,
                            "Elaborato consegnato.",
                            opens + dt.timedelta(days=1),
                            False,
                            1,
                            1,
                            ts,
                            ts,
                        )
                    )
                    if not closed:
                        grades.append((aid, uid, "submitted", None, None, None, None))
                        continue
                r = rng.random()
                score = Decimal(rng.randint(10, 30))
                graded = closes + dt.timedelta(days=1)
                if r < 0.85:
                    grades.append((aid, uid, "released", score, graded, graded, c.trainer_id))
                else:
                    grades.append((aid, uid, "graded", score, graded, None, None))
    loader.load(
        "assessments",
        (
            "id",
            "course_id",
            "module_id",
            "title",
            "instructions",
            "kind",
            "opens_at",
            "closes_at",
            "max_points",
            "pass_mark",
            "weight",
            "attempts_allowed",
            "late_policy",
            "late_until",
            "is_final",
            "published",
            "time_limit_minutes",
            "shuffle_questions",
            "show_answers",
            "release_when_graded",
            "double_marking",
            "marking_tolerance",
            "created_by_id",
            "created_at",
            "updated_at",
        ),
        a_rows,
    )
    loader.load(
        "submissions",
        (
            "assessment_id",
            "trainee_id",
            "text",
            "submitted_at",
            "late",
            "times_submitted",
            "version_id",
            "created_at",
            "updated_at",
        ),
        subs,
    )
    loader.load(
        "grades",
        (
            "assessment_id",
            "trainee_id",
            "status",
            "score",
            "feedback",
            "graded_at",
            "released_at",
            "released_by_id",
            "discrepancy",
            "version_id",
            "created_at",
            "updated_at",
        ),
        ((*g[:4], "", *g[4:], False, 1, ts, ts) for g in grades),
    )


EVIDENCE = [  # (kind, type, value, title, issuer)
    ("document", "result", "third", "Lettera di incarico", "Datore di lavoro"),
    ("self_declaration", "process", "first", "Autodichiarazione delle attività svolte", ""),
    (
        "work_experience",
        "process",
        "third",
        "Esperienza come referente per l'inclusione",
        "Datore di lavoro",
    ),
    (
        "witness_statement",
        "process",
        "third",
        "Dichiarazione del responsabile di reparto",
        "Responsabile di reparto",
    ),
    (
        "document",
        "result",
        "third",
        "Piano di accomodamento di una postazione",
        "Servizio prevenzione e protezione",
    ),
]


def _framework():
    fw = illustrative_framework()
    profile = db.session.scalar(
        select(Profile).where(Profile.framework_id == fw.id, Profile.code == "DM")
    )
    items = db.session.execute(
        select(FrameworkItem.id, FrameworkItem.kind, FrameworkItem.competence_id).where(
            FrameworkItem.framework_id == fw.id
        )
    ).all()
    competences = sorted(i.id for i in items if i.kind.value == "competence")
    children = {c: [i.id for i in items if i.competence_id == c] for c in competences}
    return profile.id, competences, children


def bulk_dossiers(loader, rng, scale, people, bench, trainee_ids, featured_evidence) -> int:
    """scale.dossiers dossiers (the first is the bench trainee's); returns its id."""
    ts = utcnow()
    profile_id, competences, children = _framework()
    trainers, assessors = people["trainer"], people["assessor"]
    candidates = [bench["trainee"].id, *trainee_ids[: scale.dossiers - 1]]
    ids = loader.ids("dossiers", len(candidates))
    rows, comp_rows, plans = [], [], []
    for k, (did, cand) in enumerate(zip(ids, candidates, strict=True)):
        if k == 0:
            acc, method, content = (
                bench["trainer"].id,
                bench["assessor"].id,
                bench["assessor2"].id,
            )
            n_ev, state = featured_evidence, "identification"
        else:
            acc = trainers[k % len(trainers)]
            method = assessors[k % len(assessors)]
            content = assessors[(k + 1) % len(assessors)]
            n_ev, state = (
                scale.evidence_per_dossier,
                rng.choice(("draft", "identification", "identification")),
            )
        rows.append(
            (
                did,
                cand,
                profile_id,
                None,
                acc,
                method,
                content,
                bench["coordinator"].id,
                state,
                1,
                ts,
                ts,
            )
        )
        comp_rows += [(did, c) for c in competences]
        plans.append((did, acc, cand, n_ev))
    loader.load(
        "dossiers",
        (
            "id",
            "candidate_id",
            "profile_id",
            "course_id",
            "accompagnatore_id",
            "method_expert_id",
            "content_expert_id",
            "opened_by_id",
            "state",
            "version_id",
            "created_at",
            "updated_at",
        ),
        rows,
    )
    loader.load("dossier_competences", ("dossier_id", "competence_id"), comp_rows)
    ev_rows, links = [], []
    today = ts.date()
    for did, acc, cand, n_ev in plans:
        for j, eid in enumerate(loader.ids("evidence_records", n_ev)):
            kind, typ, value, title, issuer = EVIDENCE[j % len(EVIDENCE)]
            author = cand if kind == "self_declaration" else acc
            ev_rows.append(
                (
                    eid,
                    did,
                    kind,
                    typ,
                    value,
                    "identification",
                    f"{title} ({j + 1})",
                    "",
                    today - dt.timedelta(days=30 + j),
                    issuer,
                    None,
                    author,
                    1,
                    ts,
                    ts,
                )
            )
            comp = competences[j % len(competences)]
            pool = children[comp] or [comp]
            links += [(eid, item, "") for item in rng.sample(pool, min(2, len(pool)))]
    loader.load(
        "evidence_records",
        (
            "id",
            "dossier_id",
            "kind",
            "type",
            "value",
            "phase",
            "title",
            "description",
            "date",
            "issuer",
            "data",
            "created_by_id",
            "version_id",
            "created_at",
            "updated_at",
        ),
        ev_rows,
    )
    loader.load("evidence_links", ("evidence_id", "framework_item_id", "note"), links)
    return ids[0]
