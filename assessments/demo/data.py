"""The invented content of the assessments demo: the quiz's questions, the two rubrics, a
submitted project, feedback, and a tiny PDF for attached files."""

from __future__ import annotations

from assessments.scoring import PartialCredit, QuestionType

QUIZ = [
    # (kind, prompt, points, choices [(text, right)], extra, item codes)
    (
        QuestionType.SINGLE,
        "Un'azienda privata con 40 dipendenti computabili: quanti lavoratori con disabilità deve "
        "assumere secondo la Legge 68/1999?",
        "1",
        [("Nessuno", False), ("Uno", False), ("Due", True), ("Il 7% dei dipendenti", False)],
        {},
        ["C1.A1", "C1.K1"],
    ),
    (
        QuestionType.NUMERIC,
        "Un'azienda ha 60 dipendenti computabili. Quante unità deve riservare ai lavoratori con "
        "disabilità (quota del 7%, arrotondata per difetto)?",
        "2",
        [],
        {"expected_number": "4", "tolerance": "0"},
        ["C1.A1"],
    ),
    (
        QuestionType.TRUE_FALSE,
        "Il prospetto informativo va inviato ogni anno dai datori di lavoro obbligati.",
        "1",
        [("Vero", True), ("Falso", False)],
        {},
        ["C1.A2", "C1.K1"],
    ),
    (
        QuestionType.MULTIPLE,
        "Quali strumenti prevede la Legge 68/1999 per favorire l'inserimento? (più risposte)",
        "3",
        [
            ("Convenzioni ex art. 11", True),
            ("Collocamento mirato", True),
            ("Esonero parziale con contributo", True),
            ("Licenziamento senza preavviso", False),
        ],
        {"partial_credit": PartialCredit.RIGHT_MINUS_WRONG},
        ["C1.A3", "C1.K1"],
    ),
    (
        QuestionType.SHORT_TEXT,
        "Come si chiama l'insieme di strumenti che permette di valutare le capacità lavorative "
        "delle persone con disabilità e di inserirle nel posto adatto?",
        "2",
        [],
        {"accepted_answers": "collocamento mirato\nil collocamento mirato"},
        ["C2.K1"],
    ),
    (
        QuestionType.SINGLE,
        "Quale documento nazionale del 2022 orienta il collocamento mirato?",
        "1",
        [
            ("Le Linee guida sul collocamento mirato", True),
            ("Il Testo unico sulla sicurezza", False),
            ("Il CCNL del commercio", False),
        ],
        {},
        ["C1.K2"],
    ),
]

PROJECT_RUBRIC = [
    (
        "Analisi del caso e dei bisogni",
        ["C3.A1"],
        [
            ("0", "Assente", "Il caso non è analizzato."),
            ("2", "Parziale", "Analisi generica, bisogni non collegati alla mansione."),
            ("4", "Adeguata", "Bisogni e risorse individuati e collegati alla mansione."),
            ("5", "Completa", "Analisi completa, con fonti e coinvolgimento della persona."),
        ],
    ),
    (
        "Accomodamenti ragionevoli proposti",
        ["C4.A1", "C4.A2"],
        [
            ("0", "Assenti", ""),
            ("2", "Generici", "Proposte non motivate."),
            ("4", "Pertinenti", "Proposte motivate e sostenibili."),
            ("5", "Eccellenti", "Proposte motivate, sostenibili e con fonti di finanziamento."),
        ],
    ),
    (
        "Tutoraggio e monitoraggio",
        ["C3.A2"],
        [
            ("0", "Assenti", ""),
            ("2", "Accennati", ""),
            ("4", "Pianificati", "Tempi e ruoli chiari."),
            ("5", "Pianificati e verificabili", "Indicatori e momenti di verifica definiti."),
        ],
    ),
    (
        "Rete degli attori",
        ["C6.A1", "C6.A2"],
        [
            ("0", "Assente", ""),
            ("2", "Parziale", ""),
            ("4", "Completa", ""),
            ("5", "Completa e coordinata", "Ruoli e passaggi tra attori interni ed esterni."),
        ],
    ),
]

INTERVIEW_RUBRIC = [
    (
        "Accoglienza e linguaggio inclusivo",
        ["C5.A1"],
        [("0", "Non adeguati", ""), ("3", "Adeguati", ""), ("5", "Esemplari", "")],
    ),
    (
        "Domande sulle competenze, non sulla disabilità",
        ["C2.A2"],
        [("0", "Non adeguate", ""), ("3", "Adeguate", ""), ("5", "Esemplari", "")],
    ),
    (
        "Esplorazione degli accomodamenti necessari",
        ["C4.A1"],
        [("0", "Assente", ""), ("3", "Presente", ""), ("5", "Approfondita", "")],
    ),
    (
        "Chiusura e restituzione",
        ["C2.A2"],
        [("0", "Assente", ""), ("3", "Chiara", ""), ("5", "Chiara e condivisa", "")],
    ),
]

PROJECT_TEXT = (
    "Progetto personalizzato di inserimento per M., 34 anni, magazziniere con esiti di un "
    "trauma alla colonna. Analisi della mansione, proposta di adattamento della postazione, "
    "rotazione dei compiti di movimentazione carichi, tutor aziendale individuato nel capo "
    "reparto, verifiche a 1, 3 e 6 mesi con il medico competente e il servizio di collocamento "
    "mirato."
)
FEEDBACK = [
    "Analisi accurata; gli accomodamenti andrebbero collegati alle fonti di finanziamento.",
    "Buon progetto, chiaro nei ruoli; rafforzare gli indicatori di monitoraggio.",
    "Il caso è descritto bene ma la rete degli attori esterni è appena accennata.",
    "Progetto completo e sostenibile: ottimo il coinvolgimento della persona.",
]


def pdf(title: str) -> bytes:
    """A tiny valid PDF, for the demo's attached files."""
    body = f"BT /F1 12 Tf 72 720 Td ({title}) Tj ET".encode("latin-1", "replace")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
