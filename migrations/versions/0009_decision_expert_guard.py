"""decision expert guard: a decision row belongs to one of the dossier's two assigned experts

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:15:00

Triggers, not a composite foreign key. A foreign key names one column list of the parent, and a
decision's expert may be either of two columns of its dossier (method_expert_id or
content_expert_id): a composite key would need the decision to carry its role in two nullable
column pairs (or a separate, duplicated table of the dossier's experts kept in step with the
dossier), and SQLite would rebuild competence_decisions to add it. Triggers keep the model as it
is, on both databases:

* competence_decisions, BEFORE INSERT and BEFORE UPDATE OF dossier_id, expert_id: the expert
  must be the dossier's method or content expert;
* dossiers, BEFORE UPDATE OF method_expert_id, content_expert_id: while the decisions count
  (under assessment, decided, and the later issuing states) an expert who has recorded a
  decision on the dossier is not replaced. Before that (submitted, returned), the coordinator
  may still reassign: the former expert's rows stay as history, which the services ignore.

They raise check violations named ``decision_expert_assigned`` and ``deciding_expert_kept``
(PostgreSQL: SQLSTATE 23514 with that constraint name; SQLite: the "CHECK constraint failed:
<name>" message), which certificates.models registers as domain errors with a message for the
user.
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

NAME = "decision_expert_assigned"
KEPT = "deciding_expert_kept"
COUNTING = "('under_assessment', 'decided', 'issued', 'revoked')"


def _not_assigned(row: str) -> str:
    return (
        f"NOT EXISTS (SELECT 1 FROM dossiers WHERE dossiers.id = {row}.dossier_id "
        f"AND {row}.expert_id IN (dossiers.method_expert_id, dossiers.content_expert_id))"
    )


# A decision on the dossier by an expert that the update takes off it.
DROPPED = (
    "EXISTS (SELECT 1 FROM competence_decisions c WHERE c.dossier_id = NEW.id "
    "AND (NEW.method_expert_id IS NULL OR c.expert_id <> NEW.method_expert_id) "
    "AND (NEW.content_expert_id IS NULL OR c.expert_id <> NEW.content_expert_id) "
    "AND c.expert_id IN (OLD.method_expert_id, OLD.content_expert_id))"
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":

        def fail(name):
            return f"RAISE EXCEPTION '{name}' USING ERRCODE = 'check_violation', CONSTRAINT = '{name}'"

        op.execute(
            f"CREATE FUNCTION {NAME}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF {_not_assigned('NEW')} THEN {fail(NAME)}; END IF; RETURN NEW; END; $$"
        )
        op.execute(
            f"CREATE TRIGGER {NAME} BEFORE INSERT OR UPDATE OF dossier_id, expert_id "
            f"ON competence_decisions FOR EACH ROW EXECUTE FUNCTION {NAME}()"
        )
        op.execute(
            f"CREATE FUNCTION dossiers_keep_deciding_experts() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN IF NEW.state IN {COUNTING} AND {DROPPED} THEN {fail(KEPT)}; END IF; "
            "RETURN NEW; END; $$"
        )
        op.execute(
            "CREATE TRIGGER dossiers_keep_deciding_experts BEFORE UPDATE OF "
            "method_expert_id, content_expert_id ON dossiers FOR EACH ROW "
            "EXECUTE FUNCTION dossiers_keep_deciding_experts()"
        )
        return

    def fail(name):
        return f"SELECT RAISE(ABORT, 'CHECK constraint failed: {name}')"

    op.execute(
        f"CREATE TRIGGER {NAME}_insert BEFORE INSERT ON competence_decisions "
        f"WHEN {_not_assigned('NEW')} BEGIN {fail(NAME)}; END"
    )
    op.execute(
        f"CREATE TRIGGER {NAME}_update BEFORE UPDATE OF dossier_id, expert_id "
        f"ON competence_decisions WHEN {_not_assigned('NEW')} BEGIN {fail(NAME)}; END"
    )
    op.execute(
        "CREATE TRIGGER dossiers_keep_deciding_experts BEFORE UPDATE OF "
        "method_expert_id, content_expert_id ON dossiers "
        f"WHEN NEW.state IN {COUNTING} AND {DROPPED} BEGIN {fail(KEPT)}; END"
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {NAME} ON competence_decisions")
        op.execute(f"DROP FUNCTION IF EXISTS {NAME}()")
        op.execute("DROP TRIGGER IF EXISTS dossiers_keep_deciding_experts ON dossiers")
        op.execute("DROP FUNCTION IF EXISTS dossiers_keep_deciding_experts()")
        return
    op.execute(f"DROP TRIGGER IF EXISTS {NAME}_insert")
    op.execute(f"DROP TRIGGER IF EXISTS {NAME}_update")
    op.execute("DROP TRIGGER IF EXISTS dossiers_keep_deciding_experts")
