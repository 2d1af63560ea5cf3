"""The services hold the text rule themselves (issue 11, point 5): called directly, as the
CLI, the demo or a background job would, with a NUL byte, a bidi override in a name or
100,000 characters, each raises ValidationFailed naming the field and stores nothing
(PostgreSQL would answer a NUL with an error, SQLite would keep it)."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments.models import AssessmentKind
from assessments.scoring import QuestionType
from courses.models import AttendanceStatus, LessonMode
from lms.accounts.models import Role
from lms.db import db
from lms.errors import ValidationFailed
from lms.organisations.validation import make_partita_iva
from tests.security.corpus import MARK, stored_anywhere

NUL = f"Prova\x00{MARK}"
RLO = f"Prova \u202e{MARK}"
LONG = MARK + "x" * 100_000


def _course(make, actor, **kw):
    from courses.services.courses import create_course

    base = {
        "title": "Percorso",
        "edition": "I",
        "description": "",
        "start_date": dt.date(2026, 1, 1),
        "end_date": dt.date(2026, 6, 30),
    }
    return create_course(actor, **{**base, **kw})


def _module(make, actor, **kw):
    from courses.services.catalogue import create_module

    base = {"code": "M-X", "title": "Modulo", "topic_area": "regulatory", "planned_minutes": 60}
    return create_module(actor, **{**base, **kw})


def _lesson(make, actor, **kw):
    from courses.services.lessons import schedule_lessons

    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    from courses.services.courses import load_module_links

    base = {
        "module_id": load_module_links(course)[0].module_id,
        "date": course.start_date,
        "start_time": dt.time(9),
        "end_time": dt.time(11),
        "mode": LessonMode.BLENDED,
        "trainer_id": trainer.id,
        "place": "Aula",
        "link": "https://meet.example.org/x",
    }
    return schedule_lessons(make.coordinator(), course, **{**base, **kw})


def _register_note(make, actor, note):
    from courses.services.registers import RowInput, save_register

    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    enrolment = make.enrolment(course)
    lesson = make.lesson(course, trainer=trainer, date=course.start_date)
    row = RowInput(enrolment.id, AttendanceStatus.PRESENT, None, note=note)
    return save_register(trainer, lesson, course, [row])


def _organisation(make, actor, **kw):
    from lms.organisations.services import create_organisation

    base = {"name": "Azienda", "tax_code": make_partita_iva("0123456789"), "size_band": "small"}
    return create_organisation(make.admin(), **{**base, **kw})


def _user(make, actor, **kw):
    from lms.accounts.services import create_user

    base = {"email": "nuova@example.org", "full_name": "Persona", "roles": {Role.TRAINEE}}
    return create_user(make.admin(), **{**base, **kw})


def _holder(make, actor, **kw):
    from lms.accounts.services.users import set_holder_data

    base = {"birth_date": None, "birth_place": "Milano", "tax_code": None}
    return set_holder_data(make.admin(), make.user(Role.TRAINEE), **{**base, **kw})


def _token(make, actor, name):
    from lms.accounts.services.tokens import create_api_token

    return create_api_token(make.user(Role.TRAINER), name)


def _question(make, actor, **kw):
    from assessments.services.authoring import QuestionInput, add_question

    trainer = make.user(Role.TRAINER)
    quiz = make.assessment(make.course(trainers=[trainer]), AssessmentKind.QUIZ, actor=trainer)
    base = {
        "kind": QuestionType.SINGLE,
        "prompt": "Domanda",
        "points": "1",
        "choices": [("A", True), ("B", False)],
    }
    return add_question(trainer, quiz, QuestionInput(**{**base, **kw}))


def _criterion(make, actor, **kw):
    from assessments.services.authoring import CriterionInput, LevelInput, add_criterion
    from assessments.services.authoring.rubrics import create_template

    trainer = make.user(Role.TRAINER)
    template = create_template(trainer, title="Griglia")
    levels = [LevelInput("Basso", "0", kw.pop("descriptor", "")), LevelInput("Alto", "3")]
    base = {"title": "Criterio", "levels": levels}
    return add_criterion(trainer, template, CriterionInput(**{**base, **kw}))


CASES = [
    ("course title", _course, {"title": NUL}, "title"),
    ("course title bidi", _course, {"title": RLO}, "title"),
    ("course edition", _course, {"edition": LONG}, "edition"),
    ("course description", _course, {"description": NUL}, "description"),
    ("module code", _module, {"code": NUL}, "code"),
    ("module title", _module, {"title": RLO}, "title"),
    ("module objectives", _module, {"objectives": LONG}, "objectives"),
    ("lesson place", _lesson, {"place": NUL}, "place"),
    ("lesson link", _lesson, {"link": "https://x.example/" + LONG}, "link"),
    ("register note", _register_note, {"note": NUL}, "note_"),
    ("register note long", _register_note, {"note": LONG}, "note_"),
    ("organisation name", _organisation, {"name": NUL}, "name"),
    ("organisation sector", _organisation, {"sector": RLO}, "sector"),
    ("user name", _user, {"full_name": NUL}, "full_name"),
    ("user name long", _user, {"full_name": LONG}, "full_name"),
    ("birth place", _holder, {"birth_place": NUL}, "birth_place"),
    ("token name", _token, {"name": NUL}, "name"),
    ("question choice", _question, {"choices": [(NUL, True), ("B", False)]}, "choices"),
    ("question feedback", _question, {"feedback": NUL}, "feedback"),
    ("criterion description", _criterion, {"description": NUL}, "description"),
    ("criterion descriptor", _criterion, {"descriptor": LONG}, "level_0_descriptor"),
]


@pytest.mark.parametrize(("call", "kw", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_service_refuses_hostile_text(app, make, call, kw, field):
    with app.test_request_context():
        with pytest.raises(ValidationFailed) as err:
            call(make, make.coordinator(), **kw)
        db.session.rollback()
        assert any(k.startswith(field) for k in err.value.fields), err.value.fields
        assert stored_anywhere() == []


def test_lookups_never_query_with_a_nul(app, make):
    """The login lookup and the CSV enrolment read a NUL as 'no such person', not an error."""
    from courses.services.enrolments import parse_enrolment_csv
    from lms.accounts.services import authenticate, get_user_by_email

    with app.test_request_context():
        assert get_user_by_email("a\x00@example.org") is None
        assert authenticate("a\x00@example.org", "whatever-password") is None
        result = parse_enrolment_csv(b"email\nper\x00sona@example.org\n")
        assert result.rows[0].errors and not result.rows[0].email


def test_check_in_refuses_other_digits(app, make):
    """Arabic-Indic digits are digits to Python, not a code (compare_digest refuses them)."""
    from courses.services.checkin import check_in

    trainee = make.user(Role.TRAINEE)
    with app.test_request_context(), pytest.raises(ValidationFailed) as err:
        check_in(trainee, "١٢٣٤٥٦")
    assert "code" in err.value.fields
