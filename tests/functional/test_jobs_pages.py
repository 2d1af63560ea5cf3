"""The background job pages (/lavori, /lavori/<id>), their API and the retry action."""

from __future__ import annotations

from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.jobs import services
from lms.jobs.models import Job, JobState
from tests import jobs_kind
from tests.conftest import IsolatedClient, login
from tests.jobs_kind import KIND, connection, rq_app, work

ITEMS = [("item:1", "Primo <b>elemento</b>"), ("item:2", "Secondo"), ("item:3", "Terzo")]
__all__ = ["connection", "rq_app"]  # fixtures


def _job(creator, params=None):
    job = services.enqueue(creator, KIND, ITEMS, params or {}, title_params={"what": "il corso"})
    db.session.commit()
    return job.id


def test_the_progress_page_of_a_finished_job(app, make, login_as):
    jobs_kind.register(app)
    coordinator = make.user(Role.COORDINATOR)
    job_id = _job(coordinator, {"broken": ["item:2"]})
    client = login_as(coordinator)

    page = client.get(f"/lavori/{job_id}").get_data(as_text=True)

    assert "Test job for il corso" in page
    assert '<progress id="job-bar"' in page and 'max="3" value="3"' in page
    assert "2 di 3 completati, 1 non riuscito" in page
    assert "Completata con errori" in page
    assert "item:2 cannot be processed" in page
    assert "Primo &lt;b&gt;elemento&lt;/b&gt;" in page  # labels are text, never markup
    assert "Riprova gli elementi non riusciti" in page
    assert "data-job-retry hidden" not in page.replace("data-job-retry\n", "data-job-retry ")
    assert 'http-equiv="refresh"' not in page  # no reload that steals the focus
    assert "js/job-progress.js" in page
    assert client.get("/static/js/job-progress.js").status_code == 200


def test_retry_from_the_page(app, make, login_as):
    jobs_kind.register(app)
    coordinator = make.user(Role.COORDINATOR)
    job_id = _job(coordinator, {"flaky": {"item:3": 3}})
    client = login_as(coordinator)

    resp = client.post(f"/lavori/{job_id}/riprova")

    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/lavori/{job_id}")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "1 elemento non riuscito verrà riprovato." in page
    assert "3 di 3 completati" in page
    assert db.session.get(Job, job_id).state == JobState.DONE
    again = client.post(f"/lavori/{job_id}/riprova", follow_redirects=True)  # nothing failed
    assert "Questa attività non ha elementi non riusciti da riprovare." in again.get_data(
        as_text=True
    )


def test_a_running_job_page_works_without_javascript(rq_app, connection, make):
    coordinator = make.user(Role.COORDINATOR)
    job_id = _job(coordinator)  # on the queue: not started yet
    rq_app.test_client_class = IsolatedClient
    client = rq_app.test_client()
    login(client, coordinator)

    page = client.get(f"/lavori/{job_id}").get_data(as_text=True)
    assert "In attesa di avvio" in page and "0 di 3 completati" in page
    assert 'data-finished="false"' in page
    assert f'<a href="/lavori/{job_id}">Aggiorna</a>' in page
    assert "data-job-retry hidden" in page  # the script shows it if the job ends with failures
    api = client.get(f"/api/v1/jobs/{job_id}").json
    assert (api["state"], api["finished"], api["progress_text"]) == (
        "queued",
        False,
        "0 di 3 completati",
    )

    work(rq_app, connection)

    page = client.get(f"/lavori/{job_id}").get_data(as_text=True)
    assert "3 di 3 completati" in page and 'data-finished="true"' in page
    assert client.get(f"/api/v1/jobs/{job_id}").json["state"] == "done"


def test_the_api_lists_my_jobs_and_shows_one_with_its_items(app, make, login_as):
    jobs_kind.register(app)
    coordinator = make.user(Role.COORDINATOR)
    first = _job(coordinator)
    second = _job(coordinator, {"broken": ["item:1"]})
    client = login_as(coordinator)

    listing = client.get("/api/v1/jobs").json
    assert [j["id"] for j in listing["items"]] == [second, first]
    assert listing["total"] == 2

    detail = client.get(f"/api/v1/jobs/{second}").json
    assert detail["title"] == "Test job for il corso"
    assert (detail["state"], detail["done"], detail["failed"], detail["total"]) == (
        "partly_failed",
        2,
        1,
        3,
    )
    assert detail["url"] == f"/lavori/{second}"
    first_item = detail["items"][0]
    assert first_item["key"] == "item:1" and first_item["state"] == "failed"
    assert first_item["attempts"] == 3 and first_item["last_error"] == "item:1 cannot be processed"
    assert detail["items"][1]["result"]["notification_id"] > 0

    retried = client.post(f"/api/v1/jobs/{second}/retry", json={})
    assert retried.status_code == 200
    assert retried.json["state"] == "partly_failed"  # ran again, failed again
    assert retried.json["items"][0]["attempts"] == 6
    assert client.post(f"/api/v1/jobs/{first}/retry", json={}).status_code == 409


def test_another_person_gets_404_on_the_page_and_the_api(app, make, login_as):
    jobs_kind.register(app)
    coordinator = make.user(Role.COORDINATOR)
    job_id = _job(coordinator, {"broken": ["item:1"]})
    client = login_as(make.user(Role.COORDINATOR))

    assert client.get(f"/lavori/{job_id}").status_code == 404
    assert client.get(f"/api/v1/jobs/{job_id}").status_code == 404
    assert client.post(f"/lavori/{job_id}/riprova").status_code == 404
    assert client.post(f"/api/v1/jobs/{job_id}/retry", json={}).status_code == 404
    assert client.get("/api/v1/jobs").json["items"] == []
    assert "Non hai attività in background." in client.get("/lavori").get_data(as_text=True)
    assert db.session.scalar(select(Job.failed).where(Job.id == job_id)) == 1


def test_an_admin_follows_and_retries_anyones_job(app, make, login_as):
    jobs_kind.register(app)
    coordinator = make.user(Role.COORDINATOR)
    job_id = _job(coordinator, {"flaky": {"item:1": 3}})
    client = login_as(make.user(Role.ADMIN))

    assert client.get(f"/lavori/{job_id}").status_code == 200
    assert client.post(f"/api/v1/jobs/{job_id}/retry", json={}).json["state"] == "done"


def test_my_jobs_page_lists_mine(app, make, login_as):
    jobs_kind.register(app)
    coordinator = make.user(Role.COORDINATOR)
    job_id = _job(coordinator)
    client = login_as(coordinator)

    page = client.get("/lavori").get_data(as_text=True)

    assert "Le mie attività" in page
    assert f'href="/lavori/{job_id}"' in page and "Test job for il corso" in page
    assert "Completata" in page and "3 di 3 completati" in page
    assert 'href="/lavori"' in client.get("/").get_data(as_text=True)  # staff navigation
