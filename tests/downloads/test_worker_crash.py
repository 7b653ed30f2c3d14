"""A real `rq worker` killed mid-download (SIGKILL) or stopped warmly (SIGTERM): nothing stays stuck."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis as redis_lib

from fakes.youtube import DEMO_PLAYLIST
from functions.downloads import jobs, recovery, state
from medianest.queues import DOWNLOADS, SERIALIZER, WORKER_CLASS, get_queue, rq_connection
from tests.downloads.conftest import submit

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture
def rq_worker(dl_settings, redis_url: str, tmp_path: Path) -> Iterator[Callable[[], subprocess.Popen]]:
    """Start `rq worker` on the downloads queue as `make run` does (settings from the environment)."""
    started: list[subprocess.Popen] = []

    def _start() -> subprocess.Popen:
        log = (tmp_path / f"worker-{len(started)}.log").open("wb")
        command = [str(Path(sys.executable).parent / "rq"), "worker", "--url", redis_url, "--serializer", SERIALIZER,
                   "--worker-class", WORKER_CLASS, "--path", str(ROOT), DOWNLOADS]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        started.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True))
        return started[-1]

    yield _start
    for process in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_for(client, download_id: str, ready: Callable[[dict[str, Any]], bool], timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/{download_id}").get_json()
        if ready(body):
            return body
        time.sleep(0.05)
    pytest.fail(f"the download never got there: {body}")


def item_running(position: int) -> Callable[[dict[str, Any]], bool]:
    def ready(body: dict[str, Any]) -> bool:
        files = body["files"]
        return len(files) >= position and files[position - 1]["status"] == "downloading" \
            and files[position - 1]["downloaded_bytes"] > 0

    return ready


def test_sigkill_mid_download_then_recovery_resumes(user, youtube, plex, rq_worker, run_worker, dl_settings,
                                                    redis_client) -> None:
    fake = youtube()
    for video in ("nestdemo002", "nestdemo003", "nestdemo004"):
        fake.set_item(video, speed=8_000)
    download_id = submit(user, fake.playlist_url(DEMO_PLAYLIST))
    worker = rq_worker()
    wait_for(user, download_id, item_running(2))
    horse = json.loads(redis_client.get(state.alive_key(download_id)))["pid"]
    assert horse != worker.pid  # the job runs in RQ's work horse, a child in its own process group
    os.kill(horse, signal.SIGKILL)  # everything dies at once, as when a container or machine is killed
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    killed = time.monotonic()
    assert user.get(f"/{download_id}").get_json()["status"] == "downloading"
    # the periodic reconcile job (every 30 s in production) notices once the heartbeat has expired
    while (outcome := recovery.reconcile(dl_settings))["requeued"] == 0:
        assert time.monotonic() - killed < 60, "the orphaned download was never recovered"
        time.sleep(1)
    recovered_after = time.monotonic() - killed
    assert state.ALIVE_TTL <= recovered_after + 1 < recovery.INTERVAL * 4
    body = user.get(f"/{download_id}").get_json()
    assert (body["status"], body["error"]) == ("queued", recovery.REQUEUED_NOTE)
    assert outcome == {"requeued": 1, "failed": 0, "cancelled": 0}
    for video in ("nestdemo002", "nestdemo003", "nestdemo004"):
        fake.set_item(video)
    run_worker()
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "completed", body
    assert fake.hits["nestdemo001"] == 1  # the finished item was skipped
    assert fake.hits["nestdemo002"] == 2  # the interrupted one was continued
    folder = dl_settings.media_root / body["folder"]
    assert [(folder / f["name"]).read_bytes() for f in body["files"]] == fake.clips


def test_sigterm_lets_the_current_item_finish_then_checkpoints(user, admin, youtube, plex, rq_worker, run_worker,
                                                               redis_url) -> None:
    fake = youtube()
    fake.set_item("nestdemo001", speed=20_000)
    download_id = submit(user, fake.playlist_url(DEMO_PLAYLIST))
    worker = rq_worker()
    wait_for(user, download_id, item_running(1))
    queue = admin.get("/queue").get_json()
    assert [job["download_id"] for job in queue["running"]] == [download_id]
    assert queue["workers_alive"] == 1
    assert queue["workers"][0]["current_job"] == queue["running"][0]["job_id"]
    os.kill(worker.pid, signal.SIGTERM)  # a warm shutdown, as `docker stop` sends it
    assert worker.wait(timeout=30) == 0
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "queued"
    assert [f["status"] for f in body["files"]] == ["completed", "queued", "queued", "queued"]
    assert get_queue(DOWNLOADS, rq_connection(redis_url)).job_ids  # the rest waits for the next worker
    run_worker()
    assert user.get(f"/{download_id}").get_json()["status"] == "completed"
    assert fake.hits == {f"nestdemo00{n}": 1 for n in range(1, 5)}


def test_a_store_outage_mid_run_leaves_the_download_to_recovery(user, youtube, plex, run_worker, dl_settings,
                                                                monkeypatch) -> None:
    """Redis (or PostgreSQL) going away during a run is not the download's fault: it is not marked failed,
    and the reconcile job queues it again once the store is back."""
    fake = youtube()
    download_id = submit(user, fake.playlist_url(DEMO_PLAYLIST))

    def redis_gone(*args: Any, **kwargs: Any) -> None:
        raise redis_lib.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(jobs.plexsync, "publish", redis_gone)
        run_worker()
    body = user.get(f"/{download_id}").get_json()
    assert (body["status"], body["error"]) == ("processing", None)
    with monkeypatch.context() as patch:
        patch.setattr(state, "ALIVE_TTL", 0)  # the heartbeat is gone already: no need to wait out the row
        assert recovery.reconcile(dl_settings) == {"requeued": 1, "failed": 0, "cancelled": 0}
    run_worker()
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "completed", body
    assert sorted(fake.hits.values()) == [1, 1, 1, 1]  # the files were kept, not fetched again


def test_live_progress_in_redis_is_optional(user, youtube, plex, run_worker, monkeypatch) -> None:
    """Live figures that cannot be stored (Redis refusing) do not fail the download: the row is the record."""
    fake = youtube()
    download_id = submit(user, fake.playlist_url(DEMO_PLAYLIST))

    def refused(download_id: str) -> str:
        raise redis_lib.ConnectionError("Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(state, "live_key", refused)
        run_worker()
    assert user.get(f"/{download_id}").get_json()["status"] == "completed"
