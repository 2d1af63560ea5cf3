"""Migration 0007 on a database with data: frameworks that exist become published (they are
in use), every item gets a UUID; the downgrade removes what it added."""

from __future__ import annotations

import uuid

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from lms.db import db
from tests.unit.test_migrations import scratch_app, scratch_url  # noqa: F401 - fixtures


def test_existing_frameworks_are_published_and_items_get_uuids(scratch_app):  # noqa: F811
    upgrade(revision="0004")
    now = "2026-11-01 10:00:00"
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO frameworks (id, code, title, issuer, legal_act, version, description,"
                " illustrative, created_at, updated_at) VALUES (1, 'QRSP', 'Quadro', 'Regione',"
                " '', '1', '', false, :t, :t)"
            ),
            {"t": now},
        )
        for i, (kind, parent) in enumerate([("competence", None), ("ability", 1)], start=1):
            conn.execute(
                text(
                    "INSERT INTO framework_items (id, framework_id, kind, code, title, description,"
                    " position, competence_id, created_at, updated_at) VALUES (:i, 1, :k, :c, 'T',"
                    " '', 0, :p, :t, :t)"
                ),
                {"i": i, "k": kind, "c": f"C{i}", "p": parent, "t": now},
            )
    upgrade()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM frameworks")).scalar_one() == "published"
        uuids = conn.execute(text("SELECT uuid FROM framework_items ORDER BY id")).scalars().all()
    assert len(set(uuids)) == 2 and all(uuid.UUID(u).version == 4 for u in uuids)
    downgrade(revision="0004")
    columns = {c["name"] for c in inspect(db.engine).get_columns("frameworks")}
    assert "status" not in columns
    assert "dossiers" not in inspect(db.engine).get_table_names()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM framework_items")).scalar_one() == 2
