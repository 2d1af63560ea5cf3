"""The written access table: who may reach each endpoint, and on which objects.

Written from the domain (docs: DOMAIN.md, ARCHITECTURE.md "Permissions") and from what each
page is for, never from the decorators or the permission functions, so that it can disagree
with the code. tests/access/test_sweep.py calls every route with every method as every role
on objects inside and outside the role's scope and compares the answers with this table.

Roles: admin, coordinator (together: staff), trainer, assessor, trainee, referent, and the
anonymous visitor. A role may reach an endpoint on an object when one of its scopes holds:

* ``any``     every object (or the endpoint has no object);
* ``own``     the object belongs to the user: their enrolment, attempt, submission, grade,
              token, notification, background job; for course content (a course, its assessments) the user's own active
              enrolment in the course, and an assessment must also be published;
* ``course``  the user teaches the object's course (trainer of that course);
* ``org``     the object concerns an employee of the user's company (a referent): an
              enrolment or account of an employee, a course one of them is enrolled in;
* ``shared``  an object shared by everyone who builds assessments (rubric templates);
* ``assigned`` a certification dossier (or its evidence, decisions, files) the user works on
              by assignment: as its accompagnatore (a trainer in the sweep) or as one of its
              two experts (an assessor); the candidate's own dossier is ``own``;
* ``published`` a published or retired competence framework (or its profiles and items):
              everyone logged in reads those; drafts are the admins' work.

``PUBLIC`` endpoints are reached by everybody, anonymous included; ``EVERYONE`` means every
logged-in role on ``any``. Anybody else is refused: 403 or 404 when the role has no access to
the endpoint at all, 404 when the role has access to the endpoint but not to this object
(its existence is private), a redirect to the login page (HTML) or a 401 problem (API) for
the anonymous visitor.

Domain choices this table makes (where the code may disagree, the sweep says so):
* Assessors work on certification dossiers (certificates/): no course or assessment page
  is theirs; they reach the dossiers assigned to them as experts, and only those.
* Dossiers: the candidate builds their own with the accompagnatore; the experts assigned
  decide, each their own outcome; coordinators open, assign and follow every dossier but
  neither build nor decide; referents see no dossier (DOMAIN.md: certification is not theirs).
* Referents read the progress of their company's employees: the courses they attend, their
  lessons, enrolments and attendance, never grades, submitted work or other companies.
* Trainers teach courses: the course's lessons, registers, assessments and grades; the
  module catalogue, rubric templates and their own worklists are theirs to read or build.
  Scheduling, enrolling and reopening a signed register are the coordinator's work.
* Organisations are read by staff and changed by admins; accounts and the audit log are
  the admin's.
* "My" pages (taking a quiz, submitting work, checking in, my assessments and results) are
  the trainee's, ``/api/v1/me/results`` included (as its page); ``/api/v1/me`` answers
  about the caller, anyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("admin", "coordinator", "trainer", "assessor", "trainee", "referent")
ANONYMOUS = "anonymous"
SCOPES = frozenset({"any", "own", "course", "org", "shared", "assigned", "published"})


@dataclass(frozen=True)
class Entry:
    """One endpoint: its methods, the scopes of each role, the kind of object in its URL."""

    methods: frozenset[str]
    who: dict[str, frozenset[str]]
    public: bool = False
    kind: str | None = None  # the object the URL points at (see tests/access/world.py)
    fresh: bool = False  # the call destroys its object: build a new one for every call
    last: bool = False  # the call changes state others rely on: run after the others
    body: str | None = None  # name of a minimal body (World.body) instead of an empty one
    signs_out: bool = False  # the view's own answer is a redirect to the login page
    note: str = field(default="", compare=False)

    def scopes(self, role: str) -> frozenset[str]:
        if self.public:
            return frozenset({"any"})
        return self.who.get(role, frozenset())


def rule(
    methods: str,
    kind: str | None = None,
    *,
    public=False,
    fresh=False,
    last=False,
    body=None,
    signs_out=False,
    note="",
    **who: str,
) -> Entry:
    """``rule("GET POST", "course", admin="any", trainer="course shared")``."""
    scopes = {role: frozenset(s.split()) for role, s in who.items()}
    for role, s in scopes.items():
        assert role in ROLES, role
        assert s <= SCOPES, s
    return Entry(
        frozenset(methods.split()), scopes, public, kind, fresh, last, body, signs_out, note
    )


STAFF = {"admin": "any", "coordinator": "any"}
ADMIN = {"admin": "any"}
EVERYONE = {role: "any" for role in ROLES}
GRADERS = {**STAFF, "trainer": "course"}  # the course's trainers and staff
FOLLOWERS = {**GRADERS, "referent": "org"}  # ... and the referent of an employee in it
TRAINEE = {"trainee": "any"}
OWN_WORK = {"trainee": "own"}
DOSSIER_LISTS = {**STAFF, "trainer": "any", "assessor": "any", "trainee": "any"}
DOSSIER_VIEWERS = {**STAFF, "trainee": "own", "trainer": "assigned", "assessor": "assigned"}
DOSSIER_BUILDERS = {"trainee": "own", "trainer": "assigned"}  # candidate and accompagnatore
DOSSIER_EXPERTS = {"assessor": "assigned"}
JOB_OWNERS = {**{role: "own" for role in ROLES}, "admin": "any"}
STANDARDS_READERS = {"admin": "any", **{r: "published" for r in ROLES if r != "admin"}}


TABLE: dict[str, Entry] = {
    # --- platform ------------------------------------------------------------------------
    "static": rule("GET", "static_lms", public=True),
    "courses.static": rule("GET", "static_courses", public=True),
    "assessments.static": rule("GET", "static_assessments", public=True),
    "certificates.static": rule("GET", "static_certificates", public=True),
    "core.dashboard": rule("GET", **EVERYONE),
    "core.health": rule("GET", public=True),
    "core.set_language": rule("POST", public=True),
    "accounts.login": rule("GET POST", public=True),
    "accounts.logout": rule("POST", last=True, signs_out=True, **EVERYONE),
    "accounts.set_password": rule("GET POST", "password_link", public=True),
    "accounts.forgot_password": rule("GET POST", public=True),
    "accounts.forgot_password_sent": rule("GET", public=True),
    "accounts.change_password": rule("GET POST", **EVERYONE),
    "accounts.tokens": rule("GET POST", **EVERYONE),
    "accounts.revoke_token": rule("POST", "token", fresh=True, **{r: "own" for r in ROLES}),
    "accounts.sessions": rule("GET", **EVERYONE),
    "accounts.end_one_session": rule(
        "POST", "login_session", fresh=True, **{r: "own" for r in ROLES}
    ),
    "accounts.end_other_sessions": rule("POST", last=True, **EVERYONE),
    "api.openapi_json": rule("GET", public=True),
    "api.me": rule("GET", **EVERYONE),
    # --- notifications: everyone reads and marks their own, nobody another person's -------
    "notifications.index": rule("GET", **EVERYONE),
    "notifications.mark_all_read": rule("POST", note="the caller's own", **EVERYONE),
    "notifications.mark_read": rule(
        "POST", "notification", fresh=True, **{r: "own" for r in ROLES}
    ),
    "api.notifications_list": rule("GET", note="the caller's own", **EVERYONE),
    "api.notifications_read": rule("POST", "notification", fresh=True, **{r: "own" for r in ROLES}),
    "api.my_results": rule("GET", **TRAINEE),
    # --- background jobs: their creator follows and retries them, admins any (the kinds'
    # own can_view rules are the feature packages' to list) ---------------------------------
    "jobs.index": rule("GET", note="the caller's own", **EVERYONE),
    "jobs.detail": rule("GET", "job", **JOB_OWNERS),
    "jobs.retry": rule("POST", "job", **JOB_OWNERS),
    "api.jobs_list": rule("GET", note="the caller's own", **EVERYONE),
    "api.jobs_detail": rule("GET", "job", **JOB_OWNERS),
    "api.jobs_retry": rule("POST", "job", **JOB_OWNERS),
    # --- accounts, organisations, audit (admin pages) ------------------------------------
    "users.index": rule("GET", **ADMIN),
    "users.new": rule("GET POST", **ADMIN),
    "users.detail": rule("GET", "user", **ADMIN),
    "users.edit": rule("GET POST", "user", **ADMIN),
    "users.access_link": rule("POST", "user", **ADMIN),
    "users.invite": rule("POST", "user", **ADMIN),
    "users.invitations_page": rule("GET", **ADMIN),
    "users.send_invitations": rule("POST", **ADMIN),
    "users.deactivate": rule("POST", "user", last=True, **ADMIN),
    "users.reactivate": rule("POST", "user", last=True, **ADMIN),
    "users.import_csv": rule("GET POST", **ADMIN),
    "users.import_confirm": rule("POST", **ADMIN),
    "api.users_list": rule("GET", **ADMIN),
    "api.users_create": rule("POST", **ADMIN),
    "api.users_get": rule("GET", "user", **ADMIN),
    "api.users_update": rule("PATCH", "user", **ADMIN),
    "organisations.index": rule("GET", **STAFF),
    "organisations.detail": rule("GET", "organisation", **STAFF),
    "organisations.new": rule("GET POST", **ADMIN),
    "organisations.edit": rule("GET POST", "organisation", **ADMIN),
    "organisations.deactivate": rule("POST", "organisation", last=True, **ADMIN),
    "organisations.reactivate": rule("POST", "organisation", last=True, **ADMIN),
    "api.organisations_list": rule("GET", **STAFF),
    "api.organisations_get": rule("GET", "organisation", **STAFF),
    "api.organisations_create": rule("POST", **ADMIN),
    "api.organisations_update": rule("PATCH", "organisation", **ADMIN),
    "audit.index": rule("GET", **ADMIN),
    "api.audit_list": rule("GET", **ADMIN),
    # --- module catalogue ----------------------------------------------------------------
    "courses.modules": rule("GET", **STAFF, trainer="any"),
    "courses.new_module": rule("GET POST", **STAFF),
    "courses.edit_module": rule("GET POST", "module", **STAFF),
    "courses.retire_module": rule("POST", "module", **STAFF),
    "courses.delete_module": rule("POST", "module", fresh=True, **STAFF),
    "api.api_modules": rule("GET", **STAFF, trainer="any"),
    "api.api_module": rule("GET", "module", **STAFF, trainer="any"),
    "api.api_create_module": rule("POST", **STAFF),
    # --- courses ---------------------------------------------------------------------------
    "courses.courses": rule("GET", note="the list adapts to the user", **EVERYONE),
    "courses.my_courses": rule("GET", **EVERYONE),
    "courses.course": rule("GET", "course", **FOLLOWERS, trainee="own"),
    "courses.trainee_course_page": rule("GET", "enrolment", **FOLLOWERS, trainee="own"),
    "courses.new_course": rule("GET POST", **STAFF),
    "courses.edit_course": rule("GET POST", "course", **STAFF),
    "courses.course_status": rule("POST", "course", **STAFF),
    "courses.course_modules": rule("POST", "course", body="move_module", **STAFF),
    "courses.course_report": rule("GET", "course", **FOLLOWERS),
    "courses.course_report_csv": rule("GET", "course", **FOLLOWERS),
    "courses.course_report_xlsx": rule("GET", "course", **FOLLOWERS),
    "api.api_courses": rule("GET", note="the list adapts to the user", **EVERYONE),
    "api.api_create_course": rule("POST", **STAFF),
    "api.api_course": rule("GET", "course", **FOLLOWERS, trainee="own"),
    "api.api_lessons": rule("GET", "course", **FOLLOWERS, trainee="own"),
    "api.api_create_lessons": rule("POST", "course", **STAFF),
    "api.api_course_attendance": rule("GET", "course", **FOLLOWERS),
    # --- materials: the course's trainers and staff build them, its trainees read them ------
    "courses.materials": rule("GET POST", "course", **GRADERS),
    "courses.edit_material": rule("GET POST", "material", **GRADERS),
    "courses.move_material": rule("POST", "material", **GRADERS),
    "courses.remove_material": rule("POST", "material", fresh=True, **GRADERS),
    "courses.material_file": rule("GET", "material", **GRADERS, trainee="own"),
    "api.api_materials": rule("GET", "course", **GRADERS, trainee="own"),
    "api.api_add_material": rule("POST", "course", **GRADERS),
    "api.api_update_material": rule("PATCH", "material", **GRADERS),
    "api.api_remove_material": rule("DELETE", "material", fresh=True, **GRADERS),
    "api.api_material_file": rule("GET", "material", **GRADERS, trainee="own"),
    # --- calendar: trainees and trainers; the feed's secret address needs no login --------
    "courses.calendar_feed_page": rule("GET", trainee="any", trainer="any"),
    "courses.reset_calendar_feed": rule("POST", trainee="any", trainer="any"),
    "courses.calendar_feed": rule("GET", "calendar_token", public=True),
    "courses.lesson_ics": rule("GET", "lesson", **GRADERS, trainee="own"),
    "api.api_reset_calendar_feed": rule("POST", trainee="any", trainer="any"),
    "api.api_enrolment_lessons": rule("GET", "enrolment", **FOLLOWERS, trainee="own"),
    # --- enrolments ------------------------------------------------------------------------
    "courses.enrolments": rule("GET", "course", **STAFF),
    "courses.enrol": rule("POST", "course", **STAFF),
    "courses.withdraw": rule("POST", "enrolment", **STAFF),
    "api.api_enrolments": rule("GET", "course", **FOLLOWERS),
    "api.api_enrol": rule("POST", "course", **STAFF),
    "api.api_withdraw": rule("POST", "enrolment", **STAFF),
    "api.api_enrolment_attendance": rule("GET", "enrolment", **FOLLOWERS, trainee="own"),
    # --- lessons, registers, check-in ------------------------------------------------------
    "courses.today_lessons": rule("GET", **STAFF, trainer="any"),
    "courses.new_lesson": rule("GET POST", "course", **STAFF),
    "courses.edit_lesson": rule("GET POST", "lesson", **STAFF),
    "courses.cancel_lesson": rule("GET POST", "lesson", **STAFF),
    "courses.lesson": rule("GET", "lesson", **GRADERS),
    "courses.save_register": rule("POST", "lesson", **GRADERS),
    "courses.sign_register": rule("POST", "lesson", last=True, **GRADERS),
    "courses.reopen_register": rule("POST", "lesson", last=True, **STAFF),
    "courses.register_pdf": rule("GET", "lesson", **GRADERS),
    "courses.checkin_screen": rule("GET", "lesson", **GRADERS),
    "courses.checkin_qr": rule("GET", "lesson", **GRADERS),
    "courses.checkin_state": rule("GET", "lesson", **GRADERS),
    "api.api_session_attendance": rule("GET", "lesson", **GRADERS),
    "api.api_write_attendance": rule("PUT", "lesson", body="attendance", **GRADERS),
    "api.api_unsigned_registers": rule("GET", **STAFF, trainer="any"),
    "courses.check_in": rule("GET POST", **TRAINEE),
    "api.api_check_in": rule("POST", **TRAINEE),
    # --- assessments: building -------------------------------------------------------------
    "assessments.course_assessments": rule("GET", "course", **GRADERS),
    "assessments.new_assessment": rule("GET POST", "course", **GRADERS),
    "assessments.edit_assessment": rule("GET POST", "assessment", **GRADERS),
    "assessments.delete_assessment": rule("POST", "assessment", fresh=True, **GRADERS),
    "assessments.add_question": rule("POST", "quiz", **GRADERS),
    "assessments.delete_question": rule("POST", "question", fresh=True, **GRADERS),
    "assessments.assessment_rubric": rule(
        "POST", "rubric_assessment", body="attach_template", **GRADERS
    ),
    "assessments.templates": rule("GET POST", **STAFF, trainer="any"),
    "assessments.template": rule("GET", "template", **STAFF, trainer="any"),
    "assessments.add_criterion": rule("POST", "rubric", **STAFF, trainer="course shared"),
    "assessments.delete_criterion": rule(
        "POST", "criterion", fresh=True, **STAFF, trainer="course shared"
    ),
    "api.course_assessments": rule("GET", "course", **GRADERS, trainee="own"),
    "api.create_assessment": rule("POST", "course", body="new_assessment", **GRADERS),
    "api.get_assessment": rule("GET", "assessment", **GRADERS, trainee="own"),
    "api.list_questions": rule("GET", "quiz", **GRADERS),
    "api.create_question": rule("POST", "quiz", body="new_question", **GRADERS),
    # --- assessments: taking -----------------------------------------------------------------
    "assessments.my_assessments": rule("GET", **TRAINEE),
    "assessments.my_results": rule("GET", **TRAINEE),
    "assessments.assessment": rule("GET", "assessment", **GRADERS, trainee="own"),
    "assessments.start_attempt": rule("POST", "quiz", **OWN_WORK),
    "assessments.attempt": rule("GET", "attempt", **OWN_WORK),
    "assessments.save_attempt": rule("POST", "attempt", **OWN_WORK),
    "assessments.review_attempt": rule("GET", "attempt", **OWN_WORK),
    "assessments.submit_attempt": rule("POST", "attempt", last=True, **OWN_WORK),
    "assessments.submit_work": rule("POST", "assessment", **OWN_WORK),
    "assessments.submission_file": rule("GET", "submission_file", **GRADERS, trainee="own"),
    "api.start_attempt": rule("POST", "quiz", **OWN_WORK),
    "api.get_attempt": rule("GET", "attempt", **OWN_WORK),
    "api.attempt_answer": rule("PUT", "attempt_question", body="answer", **OWN_WORK),
    "api.review_attempt": rule("GET", "attempt", **OWN_WORK),
    "api.submit_attempt": rule("POST", "attempt", last=True, **OWN_WORK),
    "api.my_submission": rule("GET", "assessment", **OWN_WORK),
    "api.submit_work": rule("POST", "assessment", **OWN_WORK),
    "api.submission_file": rule("GET", "submission_file", **GRADERS, trainee="own"),
    # --- assessments: grading and results ----------------------------------------------------
    "assessments.worklist": rule("GET", **STAFF, trainer="any"),
    "assessments.grade": rule("GET", "grading", **GRADERS),
    "assessments.save_grade": rule("POST", "grading", **GRADERS),
    "assessments.agree": rule("POST", "grading", **GRADERS),
    "assessments.release": rule("POST", "assessment", **GRADERS),
    "assessments.gradebooks": rule("GET", **STAFF, trainer="any"),
    "assessments.gradebook": rule("GET", "course", **GRADERS),
    "assessments.gradebook_csv_export": rule("GET", "course", **GRADERS),
    "assessments.gradebook_xlsx_export": rule("GET", "course", **GRADERS),
    "api.list_grades": rule("GET", "assessment", **GRADERS, trainee="own"),
    "api.get_grade": rule("GET", "grade", **GRADERS, trainee="own"),
    "api.put_mark": rule("PUT", "grade", body="mark", **GRADERS),
    "api.post_agreement": rule("POST", "grade", body="agreement", **GRADERS),
    "api.release": rule("POST", "assessment", **GRADERS),
    "api.gradebook": rule("GET", "course", **GRADERS),
    # --- certification dossiers (pages) ------------------------------------------------------
    "certificates.worklist": rule("GET", note="the list adapts to the user", **DOSSIER_LISTS),
    "certificates.new_dossier": rule("GET POST", **STAFF),
    "certificates.assign": rule("GET POST", "dossier", **STAFF),
    "certificates.dossier": rule("GET", "dossier", **DOSSIER_VIEWERS),
    "certificates.move": rule("POST", "dossier", **DOSSIER_VIEWERS),
    "certificates.matrix": rule("GET", "dossier", **DOSSIER_VIEWERS),
    "certificates.verbale": rule("GET", "dossier", **DOSSIER_VIEWERS),
    "certificates.evidence_file": rule("GET", "dossier_file", **DOSSIER_VIEWERS),
    "certificates.new_evidence": rule("GET POST", "dossier", **DOSSIER_BUILDERS),
    "certificates.edit_evidence": rule("GET POST", "evidence", **DOSSIER_BUILDERS),
    "certificates.remove_evidence": rule("POST", "evidence", **DOSSIER_BUILDERS),
    "certificates.remove_evidence_file": rule("GET POST", "evidence_file", **DOSSIER_BUILDERS),
    "certificates.add_attendance": rule("POST", "dossier", **DOSSIER_BUILDERS),
    "certificates.add_results": rule("POST", "dossier", **DOSSIER_BUILDERS),
    "certificates.new_observation": rule("GET POST", "dossier", **DOSSIER_EXPERTS),
    "certificates.decision": rule("GET", "dossier_competence", **STAFF, **DOSSIER_EXPERTS),
    "certificates.save_decision": rule("POST", "dossier_competence", **DOSSIER_EXPERTS),
    # --- frameworks: the import page (admins manage standards) ------------------------------
    "standards_import.upload": rule("GET POST", **ADMIN),
    "standards_import.confirm": rule("POST", **ADMIN),
    # --- frameworks and dossiers (API) ----------------------------------------------------
    "api.frameworks_list": rule("GET", **EVERYONE),
    "api.frameworks_get": rule("GET", "framework", **EVERYONE),
    "api.frameworks_export": rule("GET", "framework_any", **ADMIN),
    "api.frameworks_import": rule("POST", **ADMIN),
    # --- competence frameworks: browsing, editing (admins), CASE URIs (public) ---------------
    "standards.index": rule("GET", **EVERYONE),
    "standards.framework": rule("GET", "framework_view", **STANDARDS_READERS),
    "standards.profile": rule("GET", "profile_view", **STANDARDS_READERS),
    "standards.competence": rule("GET", "competence_view", **STANDARDS_READERS),
    "standards.new_framework": rule("GET POST", **ADMIN),
    "standards.edit_framework": rule("GET POST", "framework_any", **ADMIN),
    "standards.new_profile": rule("GET POST", "framework_any", **ADMIN),
    "standards.edit_profile": rule("GET POST", "profile_any", **ADMIN),
    "standards.new_item": rule("GET POST", "framework_any", **ADMIN),
    "standards.edit_item": rule("GET POST", "item_any", **ADMIN),
    "standards.publish": rule("GET POST", "framework_fresh", fresh=True, **ADMIN),
    "standards.retire": rule("GET POST", "framework_fresh", fresh=True, **ADMIN),
    "standards.new_version": rule("GET POST", "framework_fresh", fresh=True, **ADMIN),
    "standards.delete_profile": rule("GET POST", "profile_fresh", fresh=True, **ADMIN),
    "standards.delete_item": rule("GET POST", "item_fresh", fresh=True, **ADMIN),
    "api.frameworks_create": rule("POST", **ADMIN),
    "api.frameworks_update": rule("PATCH", "framework_any", **ADMIN),
    "api.frameworks_add_item": rule("POST", "framework_any", **ADMIN),
    "api.framework_items_update": rule("PATCH", "item_any", **ADMIN),
    "api.framework_items_delete": rule("DELETE", "item_fresh", fresh=True, **ADMIN),
    "api.frameworks_publish": rule("POST", "framework_fresh", fresh=True, **ADMIN),
    "api.frameworks_retire": rule("POST", "framework_fresh", fresh=True, **ADMIN),
    "api.frameworks_new_version": rule("POST", "framework_fresh", fresh=True, **ADMIN),
    "case.cf_package": rule("GET", "case_document", public=True),
    "case.cf_document": rule("GET", "case_document", public=True),
    "case.cf_item": rule("GET", "case_item", public=True),
    "case.cf_association": rule("GET", "case_association", public=True),
    "api.dossiers_list": rule("GET", note="the list adapts to the user", **DOSSIER_LISTS),
    "api.dossiers_get": rule("GET", "dossier", **DOSSIER_VIEWERS),
    "api.dossiers_matrix": rule("GET", "dossier", **DOSSIER_VIEWERS),
    "api.dossiers_add_evidence": rule("POST", "dossier", **DOSSIER_BUILDERS),
    "api.dossiers_remove_evidence_file": rule("DELETE", "evidence_file", **DOSSIER_BUILDERS),
    "api.dossiers_transition": rule("POST", "dossier", **DOSSIER_VIEWERS),
    "api.dossiers_put_decision": rule("PUT", "dossier_competence", **DOSSIER_EXPERTS),
    "api.dossiers_file": rule("GET", "dossier_file", **DOSSIER_VIEWERS),
    # --- issued documents (issue) -----------------------------------------------------------
    # Coordinators issue; the holder and staff see and download a document; the transparency
    # document is asked for by staff or by whoever builds the dossier.
    "certificates.issue": rule("GET POST", "dossier", **STAFF),
    "certificates.issue_transparency": rule("POST", "dossier", **STAFF, **DOSSIER_BUILDERS),
    "certificates.my_documents": rule("GET", note="the list adapts to the user", **EVERYONE),
    "certificates.document_pdf": rule("GET", "issued_document", **STAFF, trainee="own"),
    "api.documents_list": rule("GET", note="the list adapts to the user", **EVERYONE),
    "api.documents_pdf": rule("GET", "issued_document", **STAFF, trainee="own"),
    "api.dossiers_issue": rule("POST", "dossier", **STAFF),
    "api.courses_issue": rule("POST", "course", note="a job for the decided dossiers", **STAFF),
    "certificates.issue_course_dossiers": rule("GET POST", "course", **STAFF),
    "api.dossiers_transparency": rule("POST", "dossier", **STAFF, **DOSSIER_BUILDERS),
    # --- verification and revocation (verify) ----------------------------------------------
    # Anyone verifies a document by its code (the code is the key); an unknown or mistyped
    # code is a plain 404. Coordinators and admins revoke and reissue.
    "verification.verify": rule("GET", public=True),
    "verification.document": rule("GET POST", "document_code", public=True),
    "api.verify_get": rule("GET", "document_code", public=True),
    "api.verify_file": rule("POST", "document_code", public=True),
    "certificates.revoke_document": rule("GET POST", "issued_document", **STAFF),
    "certificates.reissue_document": rule("GET POST", "issued_document", **STAFF),
    "api.documents_revoke": rule("POST", "issued_document", **STAFF),
    "api.documents_reissue": rule("POST", "issued_document", **STAFF),
}


# --- credentials (creds) ---
# The issuer profile, its public key and the revocation lists are public (any verifier reads
# them); a certificate's credentials are its holder's, and staff see them.
CREDENTIAL_VIEWERS = {**STAFF, "trainee": "own"}
TABLE.update(
    {
        "credentials.issuer": rule("GET", public=True),
        "credentials.jwks": rule("GET", public=True),
        "credentials.status_list": rule("GET", "status_list", public=True),
        "credentials.document_credentials": rule(
            "GET", "credential_document", **CREDENTIAL_VIEWERS
        ),
        "credentials.credential_download": rule("GET", "credential", **CREDENTIAL_VIEWERS),
        "api.documents_credentials": rule("GET", "credential_document", **CREDENTIAL_VIEWERS),
    }
)
# --- end credentials (creds) ---
