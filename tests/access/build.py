"""Builds the world the access sweep runs on, through the services (see world.py).

The two lessons take today's whole local day (00:00-23:59), so that their check-in screens
are open whenever the sweep runs (the QR code answers 404 outside the check-in window).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db, utcnow
from tests.access.build_certificates import dossier_kinds, issued_document_kinds
from tests.access.build_jobs import job_kinds
from tests.access.build_standards import standards_kinds
from tests.access.build_verification import document_kinds  # verification and revocation (verify)
from tests.access.world import MISSING, PDF, Obj, Person, World, missing


def build_world(make) -> World:
    """Everything the sweep needs, committed; ``make`` is the conftest Factory."""
    from assessments.models import AssessmentKind
    from assessments.scoring import QuestionType
    from assessments.services import authoring, grading, taking
    from assessments.services.grading import MarkInput
    from courses.services.catalogue import create_module
    from courses.services.enrolments import today
    from lms.accounts import services as accounts

    w = World()
    org_a = make.organisation("Azienda A dello sweep")
    org_b = make.organisation("Azienda B dello sweep")
    admin = make.user(Role.ADMIN, email="admin@sweep.example")
    coordinator = make.user(Role.COORDINATOR, email="coordinator@sweep.example")
    trainer = make.user(Role.TRAINER, email="trainer@sweep.example")
    trainer2 = make.user(Role.TRAINER, email="trainer2@sweep.example")
    assessor = make.user(Role.ASSESSOR, email="assessor@sweep.example")
    trainee = make.user(Role.TRAINEE, email="trainee@sweep.example", organisation=org_a)
    classmate = make.user(Role.TRAINEE, email="classmate@sweep.example", organisation=org_b)
    referent = make.user(Role.REFERENT, email="referent@sweep.example", organisation=org_a)
    stranger = make.user(Role.TRAINEE, email="stranger@sweep.example", organisation=org_b)
    employee = make.user(Role.TRAINEE, email="employee@sweep.example", organisation=org_a)
    outsider = make.user(Role.TRAINEE, email="outsider@sweep.example", organisation=org_b)
    newcomer = make.user(Role.TRAINEE, email="newcomer@sweep.example")
    w.users = {
        "admin": admin,
        "coordinator": coordinator,
        "trainer": trainer,
        "assessor": assessor,
        "trainee": trainee,
        "referent": referent,
    }

    m_in, m_out = make.module(), make.module()
    c_in = make.course(trainers=[trainer], modules=[m_in], title="Percorso dello sweep")
    c_out = make.course(trainers=[trainer2], modules=[m_out], title="Altro percorso")
    w.module_of_course = {c_in.id: m_in.id, c_out.id: m_out.id, MISSING: m_in.id}
    e_own = make.enrolment(c_in, trainee)
    e_mate = make.enrolment(c_in, classmate)
    e_out = make.enrolment(c_out, classmate)
    w.courses_of_org = {org_a.id: {c_in.id}, org_b.id: {c_in.id, c_out.id}}
    day = today()
    l_in = make.lesson(c_in, trainer=trainer, date=day, start="00:00", end="23:59")
    l_out = make.lesson(c_out, trainer=trainer2, date=day, start="00:00", end="23:59")

    from courses.services.calendar import reset_feed
    from courses.services.materials import MaterialUpload, add_material

    def material(course, module):
        return add_material(
            coordinator,
            course,
            title="Dispensa dello sweep",
            module_id=module.id,
            upload=MaterialUpload("dispensa.pdf", PDF),
        )

    mat_in, mat_out = material(c_in, m_in), material(c_out, m_out)
    feed_token = reset_feed(trainer2)  # nobody the sweep logs in as resets it
    db.session.commit()

    def assessment(course, kind=AssessmentKind.ASSIGNMENT, **kw):
        return make.assessment(course, kind, actor=coordinator, **kw)

    a_in, a_out = assessment(c_in), assessment(c_out)
    a_hidden = assessment(c_in, published=False, title="Prova non pubblicata")
    quiz_in, quiz_out = (
        assessment(c_in, AssessmentKind.QUIZ),
        assessment(c_out, AssessmentKind.QUIZ),
    )
    q_in = make.question(quiz_in, actor=coordinator)
    q_out = make.question(quiz_out, actor=coordinator)
    quiz2_in = assessment(c_in, AssessmentKind.QUIZ, title="Quiz senza tentativi")
    quiz2_out = assessment(c_out, AssessmentKind.QUIZ, title="Altro quiz senza tentativi")
    ar_in, ar_out = assessment(c_in), assessment(c_out)
    at_in, at_out = assessment(c_in), assessment(c_out)  # a template gets attached to these
    rub_in = make.rubric(ar_in, actor=coordinator)
    rub_out = make.rubric(ar_out, actor=coordinator)
    template = make.rubric(None, actor=coordinator)
    w.template_id = template.id

    def submit(who, a):
        taking.submit_work(who, a, text="Il mio lavoro", uploads=[taking.Upload("lavoro.pdf", PDF)])
        db.session.commit()
        sub = taking.submission_of(who, a)
        return sub, sub.files[0].id

    s_own, f_own = submit(trainee, a_in)
    s_mate, f_mate = submit(classmate, a_in)
    s_out, f_out = submit(classmate, a_out)

    def mark(a, who, release=False):
        grade = grading.grade_for_marking(coordinator, a, who.id)
        grading.save_mark(coordinator, a, grade, MarkInput(score="8"))
        if release:
            grading.release(coordinator, a, [grade.id])
        db.session.commit()
        return grade

    g_own = mark(a_in, trainee, release=True)
    g_mate = mark(a_in, classmate)
    g_out = mark(a_out, classmate)
    att_own = taking.start_attempt(trainee, quiz_in)
    att_mate = taking.start_attempt(classmate, quiz_in)
    att_out = taking.start_attempt(classmate, quiz_out)
    db.session.commit()
    link = accounts.create_password_link(admin, newcomer)
    db.session.commit()
    # Valid API bodies, so that a write reaches the object's scope check whatever the order
    # of input validation and loading (an empty body could be refused before either).
    opens = utcnow() - dt.timedelta(days=1)
    w.bodies = {
        "new_assessment": {
            "title": "Prova creata dallo sweep",
            "kind": "assignment",
            "opens_at": opens.isoformat(),
            "closes_at": (opens + dt.timedelta(days=30)).isoformat(),
            "max_points": "10",
            "pass_mark": "6",
        },
        "new_question": {
            "kind": "single",
            "prompt": "Domanda creata dallo sweep",
            "points": "1",
            "choices": [{"text": "Sì", "correct": True}, {"text": "No", "correct": False}],
        },
        # Version 0 of an existing mark or grade: a stale edit (409) once the scope holds.
        "mark": {"version": 0, "score": "7", "reason": "Verifica dello sweep"},
        "agreement": {"version": 0, "score": "7", "reason": "Verifica dello sweep"},
        "answer": {"selected": [], "text": ""},
        "attendance": {"records": []},
    }

    def person(obj_user, **kw):
        return {"person": obj_user.id, "org": obj_user.organisation_id, **kw}

    A, B = org_a.id, org_b.id
    w.kinds = {
        "organisation": [
            ("own company", Obj({"org_id": A}, org=A)),
            ("other company", Obj({"org_id": B}, org=B)),
            missing("org_id"),
        ],
        "user": [
            ("employee", Obj({"user_id": employee.id}, **person(employee))),
            ("other company's", Obj({"user_id": outsider.id}, **person(outsider))),
            missing("user_id"),
        ],
        "module": [
            ("module in", Obj({"module_id": m_in.id})),
            ("module out", Obj({"module_id": m_out.id})),
            missing("module_id"),
        ],
        "course": [
            ("course in", Obj({"course_id": c_in.id}, course=c_in.id)),
            ("course out", Obj({"course_id": c_out.id}, course=c_out.id)),
            missing("course_id"),
        ],
        "lesson": [
            ("lesson in", Obj({"lesson_id": l_in.id}, course=c_in.id)),
            ("lesson out", Obj({"lesson_id": l_out.id}, course=c_out.id)),
            missing("lesson_id"),
        ],
        "material": [
            ("material in", Obj({"material_id": mat_in.id}, course=c_in.id)),
            ("material out", Obj({"material_id": mat_out.id}, course=c_out.id)),
            missing("material_id"),
        ],
        "calendar_token": [
            ("a user's feed", Obj({"token": feed_token})),
            ("unknown token", Obj({"token": "sconosciuto"}, invalid=True)),
        ],
        "enrolment": [
            ("own", Obj({"enrolment_id": e_own.id}, **person(trainee, course=c_in.id))),
            ("classmate's", Obj({"enrolment_id": e_mate.id}, **person(classmate, course=c_in.id))),
            ("other course", Obj({"enrolment_id": e_out.id}, **person(classmate, course=c_out.id))),
            missing("enrolment_id"),
        ],
        "assessment": [
            ("assessment in", Obj({"assessment_id": a_in.id}, course=c_in.id)),
            ("unpublished", Obj({"assessment_id": a_hidden.id}, course=c_in.id, published=False)),
            ("assessment out", Obj({"assessment_id": a_out.id}, course=c_out.id)),
            missing("assessment_id"),
        ],
        "quiz": [
            ("quiz in", Obj({"assessment_id": quiz_in.id}, course=c_in.id)),
            ("quiz out", Obj({"assessment_id": quiz_out.id}, course=c_out.id)),
            missing("assessment_id"),
        ],
        "rubric_assessment": [
            ("assessment in", Obj({"assessment_id": at_in.id}, course=c_in.id)),
            ("assessment out", Obj({"assessment_id": at_out.id}, course=c_out.id)),
            missing("assessment_id"),
        ],
        "rubric": [
            ("template", Obj({"rubric_id": template.id}, shared=True)),
            ("rubric in", Obj({"rubric_id": rub_in.id}, course=c_in.id)),
            ("rubric out", Obj({"rubric_id": rub_out.id}, course=c_out.id)),
            missing("rubric_id"),
        ],
        "template": [
            ("template", Obj({"rubric_id": template.id}, shared=True)),
            ("an assessment's rubric", Obj({"rubric_id": rub_in.id}, invalid=True)),
            missing("rubric_id"),
        ],
        "attempt": [
            ("own", Obj({"attempt_id": att_own.id}, **person(trainee, course=c_in.id))),
            ("classmate's", Obj({"attempt_id": att_mate.id}, **person(classmate, course=c_in.id))),
            ("other course", Obj({"attempt_id": att_out.id}, **person(classmate, course=c_out.id))),
            missing("attempt_id"),
        ],
        "attempt_question": [
            (
                "own",
                Obj(
                    {"attempt_id": att_own.id, "question_id": q_in.id},
                    **person(trainee, course=c_in.id),
                ),
            ),
            (
                "classmate's",
                Obj(
                    {"attempt_id": att_mate.id, "question_id": q_in.id},
                    **person(classmate, course=c_in.id),
                ),
            ),
            (
                "other course",
                Obj(
                    {"attempt_id": att_out.id, "question_id": q_out.id},
                    **person(classmate, course=c_out.id),
                ),
            ),
            (
                "own attempt, another quiz's question",
                Obj({"attempt_id": att_own.id, "question_id": q_out.id}, invalid=True),
            ),
            missing("attempt_id", "question_id"),
        ],
        "submission_file": [
            (
                "own",
                Obj(
                    {"submission_id": s_own.id, "file_id": f_own}, **person(trainee, course=c_in.id)
                ),
            ),
            (
                "classmate's",
                Obj(
                    {"submission_id": s_mate.id, "file_id": f_mate},
                    **person(classmate, course=c_in.id),
                ),
            ),
            (
                "other course",
                Obj(
                    {"submission_id": s_out.id, "file_id": f_out},
                    **person(classmate, course=c_out.id),
                ),
            ),
            (
                "own submission, a classmate's file",
                Obj({"submission_id": s_own.id, "file_id": f_mate}, invalid=True),
            ),
            missing("submission_id", "file_id"),
        ],
        "grade": [
            ("own (released)", Obj({"grade_id": g_own.id}, **person(trainee, course=c_in.id))),
            ("classmate's", Obj({"grade_id": g_mate.id}, **person(classmate, course=c_in.id))),
            ("other course", Obj({"grade_id": g_out.id}, **person(classmate, course=c_out.id))),
            missing("grade_id"),
        ],
        "grading": [
            (
                "own",
                Obj(
                    {"assessment_id": a_in.id, "trainee_id": trainee.id},
                    **person(trainee, course=c_in.id),
                ),
            ),
            (
                "classmate's",
                Obj(
                    {"assessment_id": a_in.id, "trainee_id": classmate.id},
                    **person(classmate, course=c_in.id),
                ),
            ),
            (
                "other course",
                Obj(
                    {"assessment_id": a_out.id, "trainee_id": classmate.id},
                    **person(classmate, course=c_out.id),
                ),
            ),
            (
                "someone not enrolled",
                Obj({"assessment_id": a_in.id, "trainee_id": stranger.id}, invalid=True),
            ),
            missing("assessment_id", "trainee_id"),
        ],
        "token": [missing("token_id")],
        "login_session": [missing("session_id")],
        "password_link": [
            ("valid link", Obj({"token": link})),
            ("unknown link", Obj({"token": "x"}, invalid=True)),
        ],
        "static_lms": [("file", Obj({"filename": "css/app.css"}))],
        "static_courses": [("file", Obj({"filename": "courses.js"}))],
        "static_assessments": [("file", Obj({"filename": "assessments.css"}))],
        "static_certificates": [("file", Obj({"filename": "certificates.css"}))],
    }
    w.kinds.update(dossier_kinds(make, trainee, classmate, trainer, trainer2, assessor))
    w.kinds.update(job_kinds(w.users, outsider))
    w.kinds.update(issued_document_kinds(make, w.kinds))  # issue
    w.kinds.update(document_kinds(make, trainee))  # verification and revocation (verify)
    # --- credentials (creds) ---
    from tests.access.build_credentials import credential_kinds

    w.kinds.update(credential_kinds(make, trainee, classmate))
    # --- end credentials (creds) ---

    # --- fresh objects for the calls that destroy theirs ---------------------------------
    n = iter(range(1, 10**6))

    def new_module(_user):
        from courses.models import TopicArea

        m = create_module(
            coordinator,
            code=f"SWP{next(n):04d}",
            title="Modulo da eliminare",
            topic_area=TopicArea.REGULATORY,
            planned_minutes=60,
        )
        db.session.commit()
        return Obj({"module_id": m.id})

    def new_assessment(course):
        def build(_user):
            a = assessment(course, title=f"Da eliminare {next(n)}")
            return Obj({"assessment_id": a.id}, course=course.id)

        return build

    def new_question(quiz):
        def build(_user):
            q = make.question(quiz, QuestionType.SINGLE, actor=coordinator)
            return Obj({"question_id": q.id}, course=quiz.course_id)

        return build

    def new_criterion(rubric, course_id, shared=False):
        from assessments.models import Rubric

        rubric_id = rubric.id

        def build(_user):
            c = authoring.add_criterion(
                coordinator,
                db.session.get(Rubric, rubric_id),
                authoring.CriterionInput(
                    title=f"Criterio da eliminare {next(n)}",
                    levels=[authoring.LevelInput("No", "0"), authoring.LevelInput("Sì", "2")],
                ),
            )
            db.session.commit()
            return Obj({"criterion_id": c.id}, course=course_id, shared=shared)

        return build

    def new_token(owner_of):
        def build(user):
            owner = owner_of(user)
            token, _raw = accounts.create_api_token(owner, f"sweep {next(n)}")
            db.session.commit()
            return Obj({"token_id": token.id}, person=owner.id, org=owner.organisation_id)

        return build

    def new_login_session(owner_of):
        from lms.accounts.models import UserSession
        from lms.accounts.services.sessions import start_session

        def build(user):
            owner = owner_of(user)
            start_session(owner, user_agent="sweep")
            db.session.commit()
            row_id = db.session.scalar(
                select(UserSession.id)
                .where(UserSession.user_id == owner.id)
                .order_by(UserSession.id.desc())
                .limit(1)
            )
            return Obj({"session_id": row_id}, person=owner.id, org=owner.organisation_id)

        return build

    def new_notification(owner_of):
        from flask_babel import lazy_gettext as _l

        from lms.notifications.services import notify_in_app

        def build(user):
            owner = owner_of(user)
            row = notify_in_app(owner, "sweep", _l("Notifications"), email=False)
            db.session.commit()
            return Obj({"notification_id": row.id}, person=owner.id, org=owner.organisation_id)

        return build

    def new_material(course, module):
        def build(_user):
            m = material(course, module)
            db.session.commit()
            return Obj({"material_id": m.id}, course=course.id)

        return build

    w.fresh = {
        "module": [("unused module", new_module)],
        "material": [
            ("material in", new_material(c_in, m_in)),
            ("material out", new_material(c_out, m_out)),
        ],
        "notification": [
            ("own", new_notification(lambda u: u or outsider)),
            ("someone else's", new_notification(lambda u: outsider)),
        ],
        "assessment": [
            ("assessment in", new_assessment(c_in)),
            ("assessment out", new_assessment(c_out)),
        ],
        "question": [
            ("question in", new_question(quiz2_in)),
            ("question out", new_question(quiz2_out)),
        ],
        "criterion": [
            ("template's", new_criterion(template, None, shared=True)),
            ("rubric in", new_criterion(rub_in, c_in.id)),
            ("rubric out", new_criterion(rub_out, c_out.id)),
        ],
        "token": [
            ("own", new_token(lambda u: u or outsider)),
            ("someone else's", new_token(lambda u: outsider)),
        ],
        "login_session": [
            ("own", new_login_session(lambda u: u or outsider)),
            ("someone else's", new_login_session(lambda u: outsider)),
        ],
    }
    standards, standards_fresh = standards_kinds(make, admin)
    w.kinds.update(standards)
    w.fresh.update(standards_fresh)
    w.kinds.setdefault("question", [missing("question_id")])
    w.kinds.setdefault("criterion", [missing("criterion_id")])
    w.kinds.setdefault("notification", [missing("notification_id")])

    for role, user in w.users.items():
        w.people[role] = Person(user.id, user.email, user.organisation_id)
    w.people["trainer"].teaches = {c_in.id}
    w.people["trainee"].enrolled = {c_in.id}
    return w
