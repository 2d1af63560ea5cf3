"""`python -m bench.generate --scale S|M|L --database URL`: a region-sized programme.

S is the demo (`flask lms demo`); M and L add, on top of the demo, bench logins, bulk
trainers, assessors and trainees, courses with lessons, enrolments, attendance and signed
registers, assessments with grades and submissions, and dossiers with evidence. Loaded with
PostgreSQL COPY (SQLite: executemany) with every constraint on, after `flask db upgrade`
(run here too) on an empty database. Seeded: the same scale and seed give the same data
(dates are relative to the day of the run).

The bench logins (bench-admin@bench.example, ...; see plan.STAFF) share one password: the
LMS_BENCH_PASSWORD variable, or a random one that is printed and kept in
instance/bench-password (never committed) for `python -m bench.run`.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import time
from pathlib import Path

from bench.generate.plan import FEATURED, FEATURED_TINY, SCALES

RESULTS = Path(__file__).resolve().parent.parent / "results" / "generate.md"
PASSWORD_FILE = "bench-password"


def bench_password(instance: Path) -> str:
    """LMS_BENCH_PASSWORD, else the one kept in instance/bench-password (made on first use)."""
    if os.environ.get("LMS_BENCH_PASSWORD"):
        return os.environ["LMS_BENCH_PASSWORD"]
    path = instance / PASSWORD_FILE
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def make_app(url: str):
    """The app of the benchmark configuration on url (cheap password hashing: the bench
    accounts are invented and their hashes carry their own parameters)."""
    os.environ.setdefault("LMS_CONFIG", "bench")
    os.environ.setdefault("LMS_SECRET_KEY", "bench-" + secrets.token_hex(16))
    from lms import create_app

    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024}
    )


def generate(app, scale_name: str, seed: int = 12, today=None, quiet: bool = False) -> dict:
    """Load the demo and, beyond S, the bulk programme; returns counts and timings."""
    from flask_migrate import upgrade

    from bench.generate import assess, courses, people
    from bench.generate.bulk import Loader, vacuum
    from lms.audit.context import client_address
    from lms.db import db, utcnow
    from lms.demo import steps
    from lms.timezone import LOCAL_TZ

    say = (lambda *_a: None) if quiet else print
    timings: dict[str, float] = {}
    with app.app_context():
        t0 = time.perf_counter()
        upgrade()
        timings["migrate"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        client_address.set("cli")
        if scale_name == "tiny":  # the tests: the demo's companies and framework only
            from courses.demo import _framework
            from lms.accounts.services import system_actor
            from lms.demo import load_platform

            load_platform()
            _framework(system_actor())
            db.session.commit()
        else:
            for step in steps(app):
                step()
                db.session.commit()
        timings["demo"] = time.perf_counter() - t0
        say(f"demo loaded in {timings['demo']:.1f} s")
        if scale_name == "S":
            return {"timings": timings, "counts": {}}
        scale = SCALES[scale_name]
        t0 = time.perf_counter()
        rng = random.Random(f"{seed}-{scale_name}")
        now = utcnow()
        today = today or now.astimezone(LOCAL_TZ).date()
        orgs = people.organisations()
        bench = people.staff(bench_password(Path(app.instance_path)), orgs[0])
        db.session.flush()
        loader = Loader()
        crowd = people.bulk_people(loader, rng, scale, orgs)
        module_ids = courses.modules(loader, rng)
        featured = FEATURED_TINY if scale_name == "tiny" else FEATURED
        course_data = courses.bulk_courses(
            loader, rng, scale, featured, crowd, bench, module_ids, crowd["trainee"], today
        )
        assess.bulk_assessments(loader, rng, course_data, bench["coordinator"].id, now)
        assess.bulk_dossiers(
            loader, rng, scale, crowd, bench, crowd["trainee"], 80 if scale_name != "tiny" else 5
        )
        loader.finish()
        db.session.commit()
        vacuum(db.engine)
        timings["bulk"] = time.perf_counter() - t0
        say(f"bulk data loaded in {timings['bulk']:.1f} s")
        return {"timings": timings, "counts": loader.counts, "seconds": loader.seconds}


def write_results(scale: str, url: str, result: dict) -> None:
    from bench.common import machine_line, write_section

    t = result["timings"]
    body = [
        machine_line("generate", url).replace(
            "`python -m bench generate`", f"`python -m bench.generate --scale {scale}`"
        ),
        "",
        f"Migrations {t['migrate']:.1f} s, demo {t['demo']:.1f} s, bulk data "
        f"{t.get('bulk', 0):.1f} s: total {sum(t.values()):.1f} s.",
        "",
        "| table | rows | seconds |",
        "|---|---:|---:|",
    ]
    for table, n in result["counts"].items():
        body.append(f"| {table} | {n:,} | {result['seconds'][table]:.1f} |")
    header = [
        "# Generator: load times",
        "",
        "Written by `python -m bench.generate`; one section per scale and database. The machine "
        "was shared with other work when these were measured: read them as upper bounds.",
    ]
    write_section(RESULTS, header, f"{scale} on {url.split(':', 1)[0]}", body)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--scale", choices=["tiny", "S", "M", "L"], required=True)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of an empty database")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--no-results", action="store_true", help="do not write results/")
    args = parser.parse_args(argv)
    app = make_app(args.database)
    started = time.perf_counter()
    result = generate(app, args.scale, seed=args.seed)
    print(f"scale {args.scale} loaded in {time.perf_counter() - started:.1f} s")
    for table, n in result["counts"].items():
        print(f"  {table:<22} {n:>9,}")
    if args.scale != "S":
        print(
            f"bench logins: bench-admin@bench.example ... (password: "
            f"{'LMS_BENCH_PASSWORD' if os.environ.get('LMS_BENCH_PASSWORD') else bench_password(Path(app.instance_path))})"
        )
    if not args.no_results:
        write_results(args.scale, args.database, result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
