"""The gradebook at a glance: the scrolling region with the name column first and outcome and
attendance next to it, cells that open the grading screen, no-JS filters (organisation, state
of the grades, name) kept in the URL and in the exports; and the grading screen's previous,
next and next-to-grade trainee in the gradebook's order within those filters."""

from __future__ import annotations

import csv
import io
import re

import pytest

from assessments.models import AssessmentKind
from assessments.services import grading, taking
from lms.accounts.models import Role
from lms.db import db
from tests.functional.assessments_world import client_for


@pytest.fixture
def book(app, make):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    alfa, beta = make.organisation("Alfa Servizi"), make.organisation("Beta Industrie")
    people = {
        "anna": make.user(Role.TRAINEE, full_name="Anna Bianchi", organisation=alfa),
        "bruno": make.user(Role.TRAINEE, full_name="Bruno Conti", organisation=beta),
        "carla": make.user(Role.TRAINEE, full_name="Carla Rossi", organisation=alfa),
        "dario": make.user(Role.TRAINEE, full_name="Dario Verdi"),
    }
    for u in people.values():
        make.enrolment(course, u)
    work = make.assessment(course, AssessmentKind.ASSIGNMENT, actor=trainer, title="Progetto")
    for key in ("anna", "bruno", "carla"):
        taking.submit_work(people[key], work, text="Il mio progetto")
    for key in ("bruno", "carla"):
        g = grading.grade_for_marking(trainer, work, people[key].id)
        grading.save_mark(trainer, work, g, grading.MarkInput(score="7"))
    grading.release(trainer, work, [taking.grade_of(work, people["carla"].id).id])
    db.session.commit()
    return {"trainer": trainer, "course": course, "work": work, "alfa": alfa, **people}


def _names(page: str) -> list[str]:
    return re.findall(r'<th scope="row" class="gb-name">([^<]+)</th>', page)


def _grade_url(b, key: str) -> str:
    return f"/valutazioni/{b['work'].id}/corsisti/{b[key].id}"


def test_the_table_scrolls_in_its_region_with_the_name_outcome_and_attendance_first(app, book):
    b = book
    page = client_for(app, b["trainer"]).get(f"/percorsi/{b['course'].id}/voti")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert (
        '<div class="gradebook-scroll" role="region" aria-labelledby="gradebook-caption" '
        'tabindex="0">' in html
    )
    assert '<caption id="gradebook-caption">' in html
    header = html[html.index("<thead>") : html.index("</thead>")]
    order = [header.index(w) for w in ("Corsista", "Esito", "Presenze", "Progetto")]
    assert order == sorted(order), order
    assert _names(html) == ["Anna Bianchi", "Bruno Conti", "Carla Rossi", "Dario Verdi"]
    # Every grade cell opens the grading screen of that trainee, the empty one too.
    for key in ("anna", "bruno", "carla", "dario"):
        assert f'href="{_grade_url(b, key)}"' in html
    assert "valuta Dario Verdi" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stato=da-correggere", ["Anna Bianchi"]),
        ("stato=bozza", ["Bruno Conti"]),
        ("stato=rilasciato", ["Carla Rossi"]),
        ("stato=mancante", ["Dario Verdi"]),
        ("nome=+ROSSI+", ["Carla Rossi"]),
        ("nome=o&stato=bozza", ["Bruno Conti"]),
        ("stato=sconosciuto&organizzazione=abc", None),  # ignored: everyone
    ],
)
def test_filters_by_state_and_name(app, book, query, expected):
    b = book
    c = client_for(app, b["trainer"])
    page = c.get(f"/percorsi/{b['course'].id}/voti?{query}")
    assert page.status_code == 200
    everyone = ["Anna Bianchi", "Bruno Conti", "Carla Rossi", "Dario Verdi"]
    assert _names(page.get_data(as_text=True)) == (expected or everyone)


def test_the_organisation_filter_is_kept_in_the_links_and_the_exports(app, book):
    b = book
    c = client_for(app, b["trainer"])
    org = b["alfa"].id
    html = c.get(f"/percorsi/{b['course'].id}/voti?organizzazione={org}").get_data(as_text=True)
    assert _names(html) == ["Anna Bianchi", "Carla Rossi"]
    assert "2 corsisti su 4 corrispondono al filtro." in html
    assert f'<option value="{org}" selected>Alfa Servizi</option>' in html
    csv_link = f"/percorsi/{b['course'].id}/voti.csv?organizzazione={org}"
    assert f'href="{csv_link}"' in html
    assert f'href="/percorsi/{b["course"].id}/voti.xlsx?organizzazione={org}"' in html
    assert f'href="{_grade_url(b, "anna")}?organizzazione={org}"' in html
    rows = list(csv.reader(io.StringIO(c.get(csv_link).data.decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["Anna Bianchi", "Carla Rossi"]
    nobody = c.get(f"/percorsi/{b['course'].id}/voti?nome=zzz").get_data(as_text=True)
    assert "Nessun corsista corrisponde al filtro." in nobody


def _nav(html: str) -> dict[str, str]:
    """The grading screen's navigation links: label -> href."""
    nav = html[
        html.index('<nav class="grading-nav') : html.index("</nav>", html.index("grading-nav"))
    ]
    links = re.findall(r'href="([^"]+)">(?:<span aria-hidden="true">←</span> )?([^<:]+)', nav)
    return {label.strip(): href.replace("&amp;", "&") for href, label in links}


def test_the_grading_screen_moves_to_the_previous_next_and_next_to_grade(app, book):
    b = book
    c = client_for(app, b["trainer"])
    html = c.get(_grade_url(b, "bruno")).get_data(as_text=True)
    assert "Corsista 2 di 4 nel registro dei voti" in html
    nav = _nav(html)
    assert nav["Precedente"] == _grade_url(b, "anna")
    assert nav["Successivo"] == _grade_url(b, "carla")
    # After Bruno: Carla (released), Dario (nothing handed in), then from the top Anna.
    assert nav["Prossimo da correggere"] == _grade_url(b, "anna")
    last = _nav(c.get(_grade_url(b, "dario")).get_data(as_text=True))
    assert "Successivo" not in last and last["Precedente"] == _grade_url(b, "carla")


def test_the_grading_screen_keeps_the_filters_through_saving(app, book):
    b = book
    c = client_for(app, b["trainer"])
    q = f"?organizzazione={b['alfa'].id}"
    html = c.get(_grade_url(b, "anna") + q).get_data(as_text=True)
    assert "Corsista 1 di 2 nel registro dei voti" in html
    nav = _nav(html)
    assert "Precedente" not in nav and nav["Successivo"] == _grade_url(b, "carla") + q
    assert nav["Torna al registro dei voti"] == f"/percorsi/{b['course'].id}/voti{q}"
    assert f'action="{_grade_url(b, "anna")}{q}"' in html
    # A bad score: nothing saved, the typed values stay, the filters too.
    resp = c.post(
        _grade_url(b, "anna") + q, data={"score": "tanto", "feedback": "Bene", "version": "0"}
    )
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert 'value="tanto"' in page and ">Bene</textarea>" in page
    assert f'action="{_grade_url(b, "anna")}{q}"' in page
    assert taking.grade_of(b["work"], b["anna"].id).score is None
    # Saved: back to the same screen (post, redirect, get) within the same filters.
    resp = c.post(_grade_url(b, "anna") + q, data={"score": "8", "version": "0"})
    assert resp.status_code == 303 and resp.headers["Location"] == _grade_url(b, "anna") + q
    db.session.expire_all()
    assert str(taking.grade_of(b["work"], b["anna"].id).score) == "8.00"
