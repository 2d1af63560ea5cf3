"""`flask lms keys create [--force]`: write the training body's key files."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

keys_group = AppGroup("keys", help="The training body's signing keys.")


@keys_group.command("create")
@click.option(
    "--force",
    is_flag=True,
    help="Replace existing keys (issued credentials and signatures keep naming the old ones).",
)
def create_command(force: bool):
    """Create the credential key and the PDF signing certificate in KEYS_DIR."""
    from lms.keys import KeysExist, create_keys, keys_dir

    try:
        written = create_keys(current_app, force=force)
    except KeysExist as err:
        click.echo(f"Keys exist already ({err}); use --force to replace them.", err=True)
        sys.exit(1)
    click.echo(f"Keys written to {keys_dir(current_app)} (owner-only permissions):")
    for path in written:
        click.echo(f"- {path.name}")


def demo_keys() -> None:
    """Demo step: create the keys when there are none (the demo issues signed documents)."""
    from lms.keys import ensure_keys, keys_dir

    if ensure_keys(current_app):
        click.echo(f"Keys created in {keys_dir(current_app)}.")
