"""The certificates part of the demo: dossiers of evidence on the ILLUSTRATIVE Disability
Manager profile, for demo trainees, in every state of the process.

corsista1 completed the first edition of the Disability Manager course (created here: the
second edition, from the courses demo, is still running, so nobody reaches its certification
attendance yet) and has a decided dossier resting on it: attendance and assessment evidence
from the training records, third-party and self-declared evidence with PDF files, both
experts' signed outcome on every competence. Other trainees' dossiers are in draft, in
identification, submitted, under assessment with an unresolved disagreement, returned with
comments and withdrawn. valutatore1 is the esperto di metodo and valutatore2 the esperto di
contenuto on every dossier; docente1, a trainer, accompanies the candidates.

Everything is done through the services, acting as the coordinator, the candidates and the
experts for their own steps. Everything is invented.

In common.py the shared pieces, course.py the first edition, dossiers.py the dossiers in
every state, issued.py the issued documents (demo_documents.py: revocation and reissue).
"""

from certificates.demo.dossiers import load_demo
from certificates.demo.issued import load_issued_demo

__all__ = ["load_demo", "load_issued_demo"]
