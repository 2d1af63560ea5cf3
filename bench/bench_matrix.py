"""Benchmark of a certification dossier's evidence matrix: 6 competences, 50 items, 80 evidence.

Not a test. Builds the profile and the dossier through the services (the candidate adds 75
pieces of evidence in identification, submits, an expert takes the dossier and records 5
observations), then times the matrix() service for the candidate (live evidence) and for the
expert (snapshot + observations), the matrix page and the matrix API, and writes the figures
to bench/results/matrix.md.

    python -m bench matrix                # SQLite in a temporary folder
    BENCH_RUNS=50 LMS_BENCH_DATABASE_URL=postgresql+psycopg://... python -m bench matrix
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from bench.common import (
    PASSWORD,
    QueryCounter,
    bench_app,
    machine_line,
    peak_memory,
    percentiles,
    write_section,
)

RESULTS = Path(__file__).parent / "results" / "matrix.md"
COMPETENCES, ITEMS, CANDIDATE_EVIDENCE, OBSERVATIONS = 6, 50, 75, 5


def _people():
    from lms.accounts.models import Role
    from lms.accounts.services import create_user, system_actor

    def user(key: str, role: Role):
        return create_user(
            system_actor(),
            email=f"{key}@bench.example",
            full_name=f"{key.capitalize()} Bench",
            roles={role},
            password=PASSWORD,
        )

    return {
        "admin": user("amministratore", Role.ADMIN),
        "coordinator": user("coordinatore", Role.COORDINATOR),
        "candidate": user("candidato", Role.TRAINEE),
        "accompagnatore": user("accompagnatore", Role.TRAINER),
        "method": user("metodologo", Role.ASSESSOR),
        "content": user("contenutista", Role.ASSESSOR),
    }


def _profile(admin):
    """A published framework whose profile has COMPETENCES competences sharing ITEMS items."""
    from lms.standards import lifecycle
    from lms.standards.services import (
        create_ability,
        create_competence,
        create_framework,
        create_knowledge_item,
        create_profile,
    )

    fw = create_framework(admin, code="QRSP-B", title="Quadro bench", issuer="Regione Bench")
    profile = create_profile(admin, fw, code="DM", title="Disability Manager", eqf_level=6)
    comps = [
        create_competence(
            admin, fw, code=f"C{c}", title=f"Competenza {c}", position=c, profile=profile
        )
        for c in range(1, COMPETENCES + 1)
    ]
    competence_ids = [c.id for c in comps]
    for n in range(ITEMS):
        comp, pos = comps[n % COMPETENCES], n // COMPETENCES + 1
        make = create_ability if n % 2 == 0 else create_knowledge_item
        letter = "A" if n % 2 == 0 else "K"
        make(admin, comp, code=f"{comp.code}.{letter}{pos}", title=f"Voce {n}", position=pos)
    lifecycle.publish(admin, fw)
    return profile, competence_ids


def _build():
    from certificates.models import EvidenceKind, EvidenceType, EvidenceValue
    from certificates.services import dossiers
    from certificates.services.common import target_items
    from certificates.services.evidence import (
        EvidenceInput,
        ObservationInput,
        add_evidence,
        record_observation,
    )
    from lms.db import db

    t0 = time.perf_counter()
    p = _people()
    profile, competence_ids = _profile(p["admin"])
    dossier = dossiers.open_dossier(
        p["coordinator"],
        candidate=p["candidate"],
        profile=profile,
        competence_ids=competence_ids,
        accompagnatore_id=p["accompagnatore"].id,
        method_expert_id=p["method"].id,
        content_expert_id=p["content"].id,
    )
    dossiers.start_identification(p["coordinator"], dossier)
    items = target_items(dossier)
    values = list(EvidenceValue)
    n_links = 0
    for n in range(CANDIDATE_EVIDENCE):
        links = [(i.id, f"Copre {i.code}") for i in items[n % 7 :: 7]][: 2 + n % 5]
        n_links += len(links)
        add_evidence(
            p["candidate"],
            dossier,
            EvidenceInput(
                kind=EvidenceKind.DOCUMENT,
                type=EvidenceType.RESULT,
                value=values[n % 3],
                title=f"Documento {n:02d}",
                issuer="Ente bench",
                links=links,
            ),
        )
    dossiers.submit(p["candidate"], dossier)
    dossiers.take_under_assessment(p["method"], dossier)
    for n in range(OBSERVATIONS):
        links = [(i.id, "") for i in items[n::11]]
        n_links += len(links)
        record_observation(
            p["method"],
            dossier,
            ObservationInput(
                title=f"Osservazione {n}",
                description="Prova diretta",
                date=dt.date(2026, 11, 20),
                links=links,
            ),
        )
    db.session.commit()
    ids = {k: u.id for k, u in p.items()}
    return dossier.id, ids, len(items), n_links, time.perf_counter() - t0


def main() -> None:
    runs = int(os.environ.get("BENCH_RUNS", 50))
    with bench_app("matrix") as (app, url):
        figures, sizes = _measure(app, runs)
    n_items, n_links = sizes.pop("items"), sizes.pop("links")
    header = [
        "# Evidence matrix benchmark",
        "",
        f"Dossier on {COMPETENCES} competences and {ITEMS} abilities/knowledge items "
        f"({n_items} target items), {CANDIDATE_EVIDENCE} pieces of evidence by the candidate "
        f"and {OBSERVATIONS} expert observations ({n_links} links), built through the services.",
        f"Times are the median and 95th percentile of {runs} runs in one process "
        "(test client, no network); statements are counted on one call. One section per "
        "database: `python -m bench matrix`, then again with `LMS_BENCH_DATABASE_URL`.",
    ]
    body = [
        machine_line("matrix", url),
        "",
        "| measure | result |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in figures],
    ]
    write_section(RESULTS, header, url.split(":", 1)[0], body)


def _measure(app, runs: int) -> tuple[list[tuple[str, str]], dict[str, int]]:
    from flask_migrate import upgrade

    from lms.db import db

    figures: list[tuple[str, str]] = []
    sizes: dict[str, int] = {}
    with app.app_context():
        upgrade()
        dossier_id, ids, sizes["items"], sizes["links"], build_s = _build()
        figures.append(("build (services)", f"{build_s:.1f} s"))

        from certificates.models import Dossier
        from certificates.services.matrix import matrix
        from lms.accounts.models import User

        for who, key in [("candidate", "candidate"), ("expert", "method")]:

            def call(key=key):
                db.session.expire_all()
                return matrix(db.session.get(User, ids[key]), db.session.get(Dossier, dossier_id))

            with QueryCounter(db.engine) as qc:
                m = call()
            shown = (sum(len(c.items) + 1 for c in m.competences), len(m.evidence))
            med, p95 = percentiles(call, runs)
            figures.append(
                (
                    f"matrix() service, {who}",
                    f"{med:.1f} ms (p95 {p95:.1f}), {qc.n} statements, "
                    f"{shown[0]} items x {shown[1]} evidence",
                )
            )
            peak = peak_memory(call)
            figures.append((f"matrix() peak memory (tracemalloc), {who}", f"{peak / 1024:.0f} KiB"))

    pages = {}
    for who, key in [("candidate", "candidato"), ("expert", "metodologo")]:
        client = app.test_client()
        client.post("/accesso", data={"email": f"{key}@bench.example", "password": PASSWORD})
        for label, path in [
            ("page GET /dossier/<id>/matrice", f"/dossier/{dossier_id}/matrice"),
            ("API GET /api/v1/dossiers/<id>/matrix", f"/api/v1/dossiers/{dossier_id}/matrix"),
        ]:
            resp = client.get(path)
            assert resp.status_code == 200, (path, resp.status_code)
            pages[label] = len(resp.data)
            with app.app_context(), QueryCounter(db.engine) as qc:
                client.get(path)
            med, p95 = percentiles(lambda c=client, path=path: c.get(path), runs)
            figures.append((f"{label}, {who}", f"{med:.1f} ms (p95 {p95:.1f}), {qc.n} statements"))
    for label, size in pages.items():
        figures.append((f"{label} size, expert", f"{size / 1024:.0f} KiB"))
    with app.app_context():
        db.engine.dispose()
    return figures, sizes


if __name__ == "__main__":
    main()
