"""`flask lms standards import FILE` and `flask lms standards export ID`, as the system actor."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

standards_group = AppGroup("standards", help="Competence frameworks: import and export.")


@standards_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    default="json",
    show_default=True,
    type=click.Choice(["json", "csv", "moodle"]),
    help="moodle: Moodle's competency framework CSV (tool_lpimportcsv).",
)
@click.option(
    "--issuer", default="", help="The framework's issuer (CSV and Moodle files do not name it)."
)
@click.option(
    "--mapping",
    default=None,
    help="Moodle files: what each level becomes, e.g. 1=competence,2=group "
    "(competence, ability, knowledge, group, ignore); --dry-run shows the proposal.",
)
@click.option("--dry-run", is_flag=True, help="Check the file and print what it would create.")
def import_command(path: str, fmt: str, issuer: str, mapping: str | None, dry_run: bool):
    """Import a framework file as a draft; print every problem of a bad file."""
    from lms.accounts.services import system_actor
    from lms.audit.context import client_address
    from lms.db import db
    from lms.standards.exchange import ImportRejected
    from lms.standards.exchange.services import import_framework

    client_address.set("cli")
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        result = import_framework(
            system_actor(), raw, fmt, dry_run=dry_run, issuer=issuer, mapping=mapping
        )
    except ImportRejected as err:
        db.session.rollback()
        click.echo(err.message, err=True)
        for problem in err.problems:
            click.echo(f"- {problem}", err=True)
        if err.preview and "levels" in err.preview:
            click.echo(json.dumps(err.preview, ensure_ascii=False, indent=2), err=True)
        sys.exit(1)
    if dry_run:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    db.session.commit()
    click.echo(f"Imported draft framework {result.id}: {result.code} v{result.version}.")


@standards_group.command("export")
@click.argument("framework_id", type=int)
@click.option(
    "--format", "fmt", default="json", show_default=True, type=click.Choice(["json", "case"])
)
def export_command(framework_id: int, fmt: str):
    """Print a framework as our JSON or as a CASE 1.1 CFPackage."""
    from lms.accounts.services import system_actor
    from lms.db import db
    from lms.standards.exchange.services import export_framework
    from lms.standards.models import Framework

    fw = db.session.get(Framework, framework_id)
    if fw is None:
        click.echo(f"No framework with id {framework_id}.", err=True)
        sys.exit(1)
    click.echo(json.dumps(export_framework(system_actor(), fw, fmt), ensure_ascii=False, indent=2))
