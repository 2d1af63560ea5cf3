"""`flask lms ...` commands: check, token create, demo."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from lms.audit.context import client_address

lms_cli = AppGroup("lms", help="Rencontrer LMS administration commands.")


@lms_cli.command("check")
def check_command():
    """Print what is misconfigured; exit 1 when anything is."""
    from lms.config import problems

    found = problems(current_app)
    if not found:
        click.echo("Configuration OK.")
        return
    for p in found:
        click.echo(f"- {p}")
    sys.exit(1)


@lms_cli.group("token")
def token_group():
    """Personal API tokens."""


@token_group.command("create")
@click.argument("email")
@click.option("--name", default="cli", show_default=True, help="A name to recognise the token.")
def token_create(email: str, name: str):
    """Create an API token for EMAIL and print it once."""
    from lms.accounts.services import create_api_token, get_user_by_email
    from lms.db import db

    client_address.set("cli")
    user = get_user_by_email(email)
    if user is None or not user.active:
        click.echo(f"No active user with email {email}.", err=True)
        sys.exit(1)
    _token, raw = create_api_token(user, name)
    db.session.commit()
    click.echo(raw)


@lms_cli.command("demo")
def demo_command():
    """Load the invented demo programme (safe to run again)."""
    from lms.db import db

    client_address.set("cli")
    steps = sorted(current_app.extensions["lms_demo_steps"], key=lambda s: s[0])
    for _order, step in steps:
        step()
        db.session.commit()
    from lms.demo import print_logins

    print_logins()


def init_app(app: Flask) -> None:
    from lms.demo import load_platform

    app.cli.add_command(lms_cli)
    from lms.navigation import add_demo_step

    add_demo_step(app, load_platform, order=10)
