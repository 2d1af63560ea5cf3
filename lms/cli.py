"""`flask lms ...` commands: check, token create, create-admin, demo.

Commands that change data act as the built-in system account
(:func:`lms.accounts.services.system_actor`): an operator with a shell on the server is not a
logged-in person, yet every service takes an acting user and the audit trail must name one.
The entries these commands write therefore read "Rencontrer LMS" from the address "cli".
"""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from lms.audit.context import client_address

lms_cli = AppGroup("lms", help="Rencontrer LMS administration commands.")


@lms_cli.command("check")
@click.option("--offline", is_flag=True, help="Do not try to reach the database and Redis.")
def check_command(offline: bool):
    """Print what is misconfigured; exit 1 when anything is."""
    from lms.config_checks import problems, reachability_problems

    click.echo(f"Checking the {current_app.config.get('CONFIG_NAME', 'production')} configuration.")
    found = problems(current_app) + ([] if offline else reachability_problems(current_app))
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
    from lms.accounts.permissions import is_system
    from lms.accounts.services import create_api_token, get_user_by_email, system_actor
    from lms.db import db

    client_address.set("cli")
    user = get_user_by_email(email)
    if user is None or not user.active or is_system(user):
        click.echo(f"No active user with email {email}.", err=True)
        sys.exit(1)
    _token, raw = create_api_token(system_actor(), name, owner=user)
    db.session.commit()
    click.echo(raw)


@lms_cli.command("create-admin")
@click.argument("email")
@click.argument("full_name")
@click.option(
    "--base-url",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="Public address of the app, used to print the link.",
)
def create_admin(email: str, full_name: str, base_url: str):
    """Create an administrator and print a one-time link to set the password."""
    from lms.accounts.models import Role
    from lms.accounts.permissions import is_admin, is_system
    from lms.accounts.services import (
        create_password_link,
        create_user,
        get_user_by_email,
        system_actor,
    )
    from lms.db import db
    from lms.errors import DomainError

    client_address.set("cli")
    user = get_user_by_email(email)
    try:
        actor = system_actor()
        if user is None:
            user = create_user(actor, email=email, full_name=full_name, roles={Role.ADMIN})
        elif not is_admin(user) or is_system(user):
            click.echo(f"{email} exists and is not an administrator.", err=True)
            sys.exit(1)
        raw = create_password_link(actor, user)
    except DomainError as err:
        click.echo(err.message, err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"{base_url.rstrip('/')}/password/imposta/{raw}")


@lms_cli.command("demo")
def demo_command():
    """Load the invented demo programme (safe to run again)."""
    from lms.db import db
    from lms.demo import print_logins, steps

    client_address.set("cli")
    for step in steps(current_app):
        step()
        db.session.commit()
    print_logins()


def init_app(app: Flask) -> None:
    from lms.demo import load_platform
    from lms.standards.exchange.cli import standards_group

    lms_cli.add_command(standards_group)
    # --- keys (creds) ---
    from lms.keys.cli import demo_keys, keys_group

    lms_cli.add_command(keys_group)
    # --- end keys (creds) ---
    app.cli.add_command(lms_cli)
    from lms.navigation import add_demo_step

    add_demo_step(app, load_platform, order=10)
    from lms.standards.demo import load_draft_version

    add_demo_step(app, load_draft_version, order=95)  # after every step that uses the framework
    add_demo_step(app, demo_keys, order=5)  # creds: before anything is issued
