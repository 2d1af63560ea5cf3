"""The platform part of the demo: invented partner companies and people for every role.

Every name here is invented; tax codes are made-up numbers with a valid check digit. The
demo acts as the built-in system account (``system_actor()``), like the CLI that runs it;
the feature packages' demo steps act as a demo person (e.g. the coordinator) or, for set-up
work nobody in the demo would do, as ``system_actor()`` too.
"""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import select

from lms.accounts.models import Role
from lms.accounts.services import create_user, get_user_by_email, system_actor
from lms.db import db
from lms.organisations.models import Organisation, SizeBand
from lms.organisations.services import create_organisation
from lms.organisations.validation import make_partita_iva

COMPANIES = [
    ("Navigli Logistica S.r.l.", "Logistica e trasporti", SizeBand.LARGE),
    ("Brera Servizi Assicurativi S.p.A.", "Assicurazioni", SizeBand.LARGE),
    ("Lambro Meccanica S.r.l.", "Metalmeccanico", SizeBand.MEDIUM),
    ("Cooperativa Sociale Il Ponte Verde", "Servizi sociali", SizeBand.SMALL),
    ("Sempione Retail S.p.A.", "Grande distribuzione", SizeBand.LARGE),
    ("Isola Digitale S.r.l.", "Servizi informatici", SizeBand.MEDIUM),
    ("Porta Romana Ristorazione S.r.l.", "Ristorazione collettiva", SizeBand.MEDIUM),
    ("Bicocca Farmaceutici S.p.A.", "Farmaceutico", SizeBand.LARGE),
    ("Studio Ticinese Consulenti Associati", "Consulenza del lavoro", SizeBand.MICRO),
    ("Martesana Energia S.r.l.", "Energia", SizeBand.MEDIUM),
    ("Lorenteggio Pulizie Industriali S.r.l.", "Servizi di pulizia", SizeBand.SMALL),
    ("Città Studi Editoria S.r.l.", "Editoria", SizeBand.SMALL),
]

FIRST_NAMES = [
    "Giulia",
    "Marco",
    "Chiara",
    "Luca",
    "Francesca",
    "Alessandro",
    "Sara",
    "Davide",
    "Elena",
    "Matteo",
    "Valentina",
    "Andrea",
    "Martina",
    "Stefano",
    "Federica",
    "Paolo",
    "Silvia",
    "Roberto",
    "Laura",
    "Simone",
    "Anna",
    "Giorgio",
    "Elisa",
    "Tommaso",
    "Irene",
    "Fabio",
    "Marta",
    "Nicola",
    "Beatrice",
    "Riccardo",
    "Camilla",
    "Emanuele",
    "Alice",
    "Pietro",
    "Noemi",
    "Filippo",
]
LAST_NAMES = [
    "Brambilla",
    "Colombo",
    "Galbiati",
    "Fumagalli",
    "Sala",
    "Villa",
    "Cattaneo",
    "Pirovano",
    "Mauri",
    "Riva",
    "Longoni",
    "Bonfanti",
    "Crippa",
    "Redaelli",
    "Monti",
    "Arosio",
    "Tagliabue",
    "Vergani",
    "Meroni",
    "Zappa",
    "Corbetta",
    "Parravicini",
    "Limonta",
    "Sironi",
    "Airoldi",
    "Perego",
    "Rigamonti",
    "Beretta",
    "Frigerio",
    "Cazzaniga",
    "Mapelli",
    "Gerosa",
    "Motta",
    "Spreafico",
    "Valsecchi",
    "Nava",
]

TRAINEES_PER_COMPANY = 3
STAFF = [
    ("admin@demo.example", "Amministrazione Piattaforma", {Role.ADMIN}),
    ("coordinatore@demo.example", "Carla Bestetti", {Role.COORDINATOR}),
    ("docente1@demo.example", "Lorenzo Pozzi", {Role.TRAINER}),
    ("docente2@demo.example", "Maria Grazia Fontana", {Role.TRAINER}),
    ("docente3@demo.example", "Ettore Scotti", {Role.TRAINER, Role.ASSESSOR}),
    ("valutatore1@demo.example", "Daniela Ferrario", {Role.ASSESSOR}),
    ("valutatore2@demo.example", "Giovanni Cereda", {Role.ASSESSOR}),
]


def _demo_tax_code(index: int) -> str:
    return make_partita_iva(f"9{index:03d}0{index * 7919 % 100000:05d}")


def demo_password() -> str:
    """The password shared by every demo account."""
    return current_app.config["DEMO_PASSWORD"]


def _ensure_user(actor, email, full_name, roles, organisation_id=None):
    user = get_user_by_email(email)
    if user is None:
        user = create_user(
            actor,
            email=email,
            full_name=full_name,
            roles=roles,
            organisation_id=organisation_id,
            password=demo_password(),
        )
    return user


def load_platform() -> None:
    """Create the demo companies and accounts that do not exist yet."""
    actor = system_actor()
    orgs = []
    for i, (name, sector, band) in enumerate(COMPANIES, start=1):
        org = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            org = create_organisation(
                actor, name=name, tax_code=_demo_tax_code(i), sector=sector, size_band=band
            )
        orgs.append(org)
    for email, full_name, roles in STAFF:
        _ensure_user(actor, email, full_name, roles)
    for i, org in enumerate(orgs, start=1):
        _ensure_user(
            actor,
            f"referente{i}@demo.example",
            f"Referente HR {org.name.split()[0]}",
            {Role.REFERENT},
            org.id,
        )
    n = 0
    for org in orgs:
        for _k in range(TRAINEES_PER_COMPANY):
            full_name = f"{FIRST_NAMES[n]} {LAST_NAMES[n]}"
            n += 1
            _ensure_user(actor, f"corsista{n}@demo.example", full_name, {Role.TRAINEE}, org.id)
    db.session.flush()


def steps(app) -> list:
    """Every package's demo step, in order; the caller (``flask lms demo``) commits each."""
    return [step for _order, step in sorted(app.extensions["lms_demo_steps"], key=lambda s: s[0])]


def print_logins() -> None:
    """Print the demo accounts for the person who started the app."""
    pw = demo_password()
    click.echo("")
    click.echo(f"Demo accounts (password: {pw})")
    for email, label in [
        ("admin@demo.example", "amministratore"),
        ("coordinatore@demo.example", "coordinatore"),
        ("docente1@demo.example", "docente"),
        ("valutatore1@demo.example", "valutatore (esperto di metodo)"),
        ("valutatore2@demo.example", "valutatore (esperto di contenuto)"),
        ("corsista1@demo.example", "corsista (anche corsista2 ... corsista36)"),
        ("referente1@demo.example", "referente aziendale (anche referente2 ... referente12)"),
    ]:
        click.echo(f"  {email:<28} {label}")
    click.echo("")
