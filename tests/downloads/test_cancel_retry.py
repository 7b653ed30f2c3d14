"""Cancelling, retrying, and the reconcile job that recovers downloads whose worker died."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from rq import SimpleWorker
from rq.job import Job
from rq.serializers import JSONSerializer

from fakes.youtube import DEMO_PLAYLIST
from functions.downloads import recovery, state
from functions.schedule import schedule
from medianest.periodic import enqueue_if_idle
from medianest.queues import DOWNLOADS, get_queue, rq_connection
from medianest.store import notifications
from tests.downloads.conftest import files_in, submit


def act_when(client: FlaskClient, download_id: str, ready: Callable[[dict[str, Any]], bool],
             action: Callable[[], Any]) -> dict[str, Any]:
    """In a thread: wait until the download's detail satisfies `ready`, then run `action` (and time it)."""
    out: dict[str, Any] = {}

    def watch() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not ready(client.get(f"/{download_id}").get_json()):
            time.sleep(0.05)
        out["at"] = time.monotonic()
        out["result"] = action()

    out["thread"] = threading.Thread(target=watch, daemon=True)
    out["thread"].start()
    return out


def downloading(position: int) -> Callable[[dict[str, Any]], bool]:
    def ready(body: dict[str, Any]) -> bool:
        item = body["files"][position - 1] if len(body["files"]) >= position else None
        return bool(item and item["status"] == "downloading" and item["downloaded_bytes"] > 0)

    return ready


def test_cancel_mid_download_stops_within_two_seconds(user, youtube, plex, run_worker, dl_settings) -> None:
    fake = youtube()
    fake.set_speed(20_000)
    download_id = submit(user, fake.playlist_url(DEMO_PLAYLIST))
    cancel = act_when(user, download_id, downloading(1), lambda: user.post(f"/{download_id}/cancel"))
    run_worker()
    stopped = time.monotonic()
    cancel["thread"].join(timeout=5)
    response = cancel["result"]
    assert response.status_code == 202
    assert response.get_json() == {"id": download_id, "status": "downloading", "cancel_requested": True}
    assert stopped - cancel["at"] < 2.0
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "cancelled"
    assert [f["status"] for f in body["files"]] == ["cancelled"] * 4
    assert files_in(dl_settings.media_root / body["folder"]) == []
    assert not (dl_settings.media_root / ".incomplete" / download_id).exists()  # the partial file is gone
    assert plex.refreshes == []
    assert user.post(f"/{download_id}/cancel").status_code == 409


def test_cancel_a_queued_download(user, youtube, run_worker, redis_url) -> None:
    fake = youtube()
    download_id = submit(user, fake.playlist_url(DEMO_PLAYLIST))
    response = user.post(f"/{download_id}/cancel")
    assert response.get_json() == {"id": download_id, "status": "cancelled", "cancel_requested": False}
    assert get_queue(DOWNLOADS, rq_connection(redis_url)).count == 0
    run_worker()
    assert user.get(f"/{download_id}").get_json()["status"] == "cancelled"
    assert fake.hits == {}


def test_retry_skips_the_items_already_downloaded(user, youtube, plex, run_worker, dl_settings) -> None:
    fake = youtube()
    fake.set_item("nestdemo003", speed=15_000)
    download_id = submit(user, fake.playlist_url(DEMO_PLAYLIST))
    assert user.post(f"/{download_id}/retry").status_code == 409  # only failed or cancelled ones
    cancel = act_when(user, download_id, downloading(3), lambda: user.post(f"/{download_id}/cancel"))
    run_worker()
    cancel["thread"].join(timeout=5)
    body = user.get(f"/{download_id}").get_json()
    assert [f["status"] for f in body["files"]] == ["completed", "completed", "cancelled", "cancelled"]
    fake.set_item("nestdemo003")
    response = user.post(f"/{download_id}/retry")
    assert response.status_code == 202
    assert response.get_json() == {"id": download_id, "status": "queued"}
    run_worker()
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "completed"
    assert [f["status"] for f in body["files"]] == ["completed"] * 4
    assert fake.hits == {"nestdemo001": 1, "nestdemo002": 1, "nestdemo003": 2, "nestdemo004": 1}
    folder = dl_settings.media_root / body["folder"]
    assert [(folder / f["name"]).read_bytes() for f in body["files"]] == fake.clips


def test_a_run_that_lost_its_claim_stops_and_changes_nothing(user, youtube, run_worker, db_conn) -> None:
    fake = youtube()
    fake.set_speed(20_000)
    download_id = submit(user, fake.playlist_url(DEMO_PLAYLIST))

    def take_over() -> None:
        db_conn.execute("UPDATE youtube_downloads SET job_id = 'download-other-run' WHERE id = %s", (download_id,))

    act_when(user, download_id, downloading(1), take_over)
    run_worker()
    row = db_conn.execute("SELECT status, job_id FROM youtube_downloads WHERE id = %s", (download_id,)).fetchone()
    assert row == {"status": "downloading", "job_id": "download-other-run"}
    assert sum(fake.hits.values()) == 1


# --- reconcile -------------------------------------------------------------------------------------
def orphan(db_conn, download_id: str, status: str = "downloading", recoveries: int = 0) -> None:
    """Make a download look like its worker died a minute ago."""
    db_conn.execute("UPDATE youtube_downloads SET status = %s, recoveries = %s,"
                    " updated_at = now() - interval '1 minute' WHERE id = %s", (status, recoveries, download_id))


def test_an_orphaned_download_is_queued_again_and_finishes(user, youtube, plex, run_worker, db_conn,
                                                           dl_settings) -> None:
    fake = youtube()
    download_id = submit(user, fake.watch_url("nestdemo001"))
    old_job = user.get(f"/{download_id}").get_json()
    orphan(db_conn, download_id)
    assert recovery.reconcile(dl_settings) == {"requeued": 1, "failed": 0, "cancelled": 0}
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "queued"
    assert body["error"] == recovery.REQUEUED_NOTE
    assert old_job["status"] == "queued"
    run_worker()  # the old job finds the download taken by the new one and leaves it alone
    body = user.get(f"/{download_id}").get_json()
    assert (body["status"], body["error"]) == ("completed", None)
    assert fake.hits == {"nestdemo001": 1}


def test_an_orphan_that_keeps_killing_its_worker_is_failed(user, youtube, db_conn, dl_settings) -> None:
    download_id = submit(user, youtube().watch_url("nestdemo001"))
    orphan(db_conn, download_id, recoveries=recovery.MAX_RECOVERIES)
    assert recovery.reconcile(dl_settings)["failed"] == 1
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "failed"
    assert body["error"] == recovery.FAILED_NOTE.format(n=recovery.MAX_RECOVERIES + 1)
    assert notifications.list_for_user(db_conn, user.user["id"])[0]["type"] == "download:failed"
    assert user.post(f"/{download_id}/retry").status_code == 202


def test_reconcile_leaves_live_downloads_alone(user, youtube, db_conn, dl_settings, redis_client) -> None:
    fake = youtube()
    alive, waiting = submit(user, fake.watch_url("nestdemo001")), submit(user, fake.watch_url("nestdemo002"))
    orphan(db_conn, alive)
    redis_client.set(state.alive_key(alive), "{}", ex=30)
    orphan(db_conn, waiting, status="queued")  # its job is still in the queue
    assert recovery.reconcile(dl_settings) == {"requeued": 0, "failed": 0, "cancelled": 0}
    assert [user.get(f"/{i}").get_json()["status"] for i in (alive, waiting)] == ["downloading", "queued"]


def test_reconcile_honours_a_pending_cancel(user, youtube, db_conn, dl_settings, redis_client) -> None:
    download_id = submit(user, youtube().watch_url("nestdemo001"))
    orphan(db_conn, download_id)
    state.request_cancel(redis_client, download_id)
    assert recovery.reconcile(dl_settings)["cancelled"] == 1
    assert user.get(f"/{download_id}").get_json()["status"] == "cancelled"


def test_a_queued_download_whose_job_was_lost_is_queued_again(user, youtube, db_conn, dl_settings,
                                                               redis_url) -> None:
    download_id = submit(user, youtube().watch_url("nestdemo001"))
    lost = db_conn.execute("SELECT job_id FROM youtube_downloads WHERE id = %s", (download_id,)).fetchone()["job_id"]
    Job.fetch(lost, connection=rq_connection(redis_url)).delete()
    orphan(db_conn, download_id, status="queued")
    assert recovery.reconcile(dl_settings)["requeued"] == 1
    queue = get_queue(DOWNLOADS, rq_connection(redis_url))
    assert [job.args for job in queue.jobs] == [[download_id]]
    assert queue.jobs[0].id != lost


def test_the_scheduler_runs_reconcile_often_enough(user, youtube, db_conn, dl_settings, redis_url) -> None:
    download_id = submit(user, youtube().watch_url("nestdemo001"))
    orphan(db_conn, download_id, recoveries=recovery.MAX_RECOVERIES)
    periodic = next(job for job in schedule(dl_settings) if job.name == "downloads-reconcile")
    assert state.ALIVE_TTL + periodic.interval < 120  # an orphan is handled within two minutes
    connection = rq_connection(redis_url)
    assert enqueue_if_idle(connection, periodic)
    SimpleWorker([get_queue(periodic.queue, connection)], connection=connection,
                 serializer=JSONSerializer).work(burst=True)
    assert Job.fetch("periodic-downloads-reconcile", connection=connection,
                     serializer=JSONSerializer).return_value() == \
        {"requeued": 0, "failed": 1, "cancelled": 0}
    assert user.get(f"/{download_id}").get_json()["status"] == "failed"
