"""The demo's self-check quiz: released automatically as soon as an attempt is graded, so a
trainee reads the result at once (weight zero: it does not count towards the course result)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from assessments.scoring import QuestionType
from assessments.services import authoring, taking
from assessments.services.authoring import AssessmentInput, QuestionInput
from assessments.services.taking import AnswerInput

TITLE = "Autoverifica: accomodamenti ragionevoli"
QUESTIONS = [
    (
        "L'accomodamento ragionevole è un adattamento che non impone al datore di lavoro un "
        "onere sproporzionato.",
        True,
    ),
    ("Il prospetto informativo si invia ogni cinque anni.", False),
    ("Il tutor di reparto può accompagnare l'inserimento lavorativo.", True),
]


def load_self_check(actor, course, trainees: dict, now: dt.datetime) -> None:
    """The self-check quiz, with its grade released at once for trainees 2 to 12."""
    from assessments.models import AssessmentKind

    day = dt.timedelta(days=1)
    quiz = authoring.create_assessment(
        actor,
        course,
        AssessmentInput(
            title=TITLE,
            kind=AssessmentKind.QUIZ,
            opens_at=now - 21 * day,
            closes_at=now + 21 * day,
            max_points="3",
            pass_mark=Decimal("0"),
            weight="0",
            show_answers=True,
            release_when_graded=True,
            published=True,
            instructions="Tre domande vero o falso per verificare da solo cosa hai capito: "
            "il risultato si vede subito dopo l'invio e non conta per l'esito del percorso.",
        ),
    )
    for prompt, right in QUESTIONS:
        authoring.add_question(
            actor,
            quiz,
            QuestionInput(
                kind=QuestionType.TRUE_FALSE,
                prompt=prompt,
                points="1",
                choices=[("Vero", right), ("Falso", not right)],
            ),
        )
    questions = taking.load_questions(actor, quiz)
    for n in range(2, 13):
        started = now - (10 - n % 5) * day
        attempt = taking.start_attempt(trainees[n], quiz, now=started)
        answers = [
            AnswerInput(q.id, [q.choices[(i + n) % 5 == 0].id]) for i, q in enumerate(questions)
        ]
        taking.submit_attempt(trainees[n], attempt, answers, now=started + dt.timedelta(minutes=4))
