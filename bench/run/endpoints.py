"""What is measured: each endpoint's name, the login it uses, its method and path, found in a
database made by `python -m bench.generate` (the featured courses, their lessons, the bench
trainee's dossier, an issued document's verification code)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import create_engine, text

from bench.generate.plan import FEATURED, STAFF


@dataclass(frozen=True)
class Endpoint:
    name: str
    login: str | None  # a key of plan.STAFF, or None (anonymous)
    path: str
    method: str = "GET"
    form_of: str | None = None  # POST: the page whose form is sent as it is rendered


def _one(conn, sql: str, **params):
    value = conn.execute(text(sql), params).scalar()
    if value is None:
        raise RuntimeError(f"not in the database (run bench.generate first): {sql} {params}")
    return value


def discover(database: str) -> list[Endpoint]:
    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            big = _one(conn, "SELECT id FROM courses WHERE title = :t", t=FEATURED[0][0])
            small = _one(conn, "SELECT id FROM courses WHERE title = :t", t=FEATURED[1][0])
            open_lesson = _one(
                conn,
                "SELECT l.id FROM lessons l JOIN registers r ON r.lesson_id = l.id "
                "WHERE l.course_id = :c AND r.signed_at IS NULL",
                c=big,
            )
            signed_lesson = _one(
                conn,
                "SELECT min(l.id) FROM lessons l JOIN registers r ON r.lesson_id = l.id "
                "WHERE l.course_id = :c AND r.signed_at IS NOT NULL",
                c=big,
            )
            dossier = _one(
                conn,
                "SELECT d.id FROM dossiers d JOIN users u ON u.id = d.candidate_id "
                "WHERE u.email = :e",
                e=dict((k, e) for k, e, _n, _r in STAFF)["trainee"],
            )
            code = _one(
                conn,
                "SELECT min(d.code) FROM issued_documents d WHERE NOT EXISTS "
                "(SELECT 1 FROM document_revocations r WHERE r.document_id = d.id)",
            )
    finally:
        engine.dispose()
    out = [
        Endpoint("ceiling (anonymous)", None, "/bench/ceiling"),
        Endpoint("ceiling (logged in)", "trainee", "/bench/ceiling"),
    ]
    out += [
        Endpoint(f"dashboard: {role}", role, "/")
        for role in ("admin", "coordinator", "trainer", "assessor", "referent", "trainee")
    ]
    out.append(Endpoint("my course (trainee, 300x60)", "trainee", f"/percorsi/{big}"))
    for label, cid in (("100x30", small), ("300x60", big)):
        out += [
            Endpoint(f"attendance {label}: page", "trainer", f"/percorsi/{cid}/presenze"),
            Endpoint(f"attendance {label}: API", "trainer", f"/api/v1/courses/{cid}/attendance"),
            Endpoint(f"attendance {label}: CSV", "trainer", f"/percorsi/{cid}/presenze.csv"),
            Endpoint(f"attendance {label}: XLSX", "trainer", f"/percorsi/{cid}/presenze.xlsx"),
            Endpoint(f"gradebook {label}: page", "trainer", f"/percorsi/{cid}/voti"),
            Endpoint(f"gradebook {label}: API", "trainer", f"/api/v1/courses/{cid}/gradebook"),
            Endpoint(f"gradebook {label}: CSV", "trainer", f"/percorsi/{cid}/voti.csv"),
            Endpoint(f"gradebook {label}: XLSX", "trainer", f"/percorsi/{cid}/voti.xlsx"),
        ]
    out += [
        Endpoint("register page (300 trainees)", "trainer", f"/lezioni/{open_lesson}"),
        Endpoint(
            "register save (POST, 300 trainees)",
            "trainer",
            f"/lezioni/{open_lesson}/registro",
            "POST",
            f"/lezioni/{open_lesson}",
        ),
        Endpoint(
            "register PDF (300 trainees)", "trainer", f"/lezioni/{signed_lesson}/registro.pdf"
        ),
        Endpoint("worklist: coordinator (grading)", "coordinator", "/da-correggere"),
        Endpoint("worklist: coordinator (dossiers)", "coordinator", "/dossier"),
        Endpoint("worklist: trainer (grading)", "trainer", "/da-correggere"),
        Endpoint(
            "referent: employees' attendance (300x60)", "referent", f"/percorsi/{big}/presenze"
        ),
        Endpoint("dossier matrix (candidate)", "trainee", f"/dossier/{dossier}/matrice"),
        Endpoint("dossier matrix (accompagnatore)", "trainer", f"/dossier/{dossier}/matrice"),
        Endpoint("dossier matrix: API", "trainer", f"/api/v1/dossiers/{dossier}/matrix"),
        Endpoint("public verification page", None, f"/verify/{code}"),
    ]
    return out
