"""Crash recovery: the periodic reconcile job that keeps downloads from staying "downloading" for ever.

A running download refreshes a Redis heartbeat every few seconds (`progress.Reporter`). A worker killed
with SIGKILL (or out of memory, or a machine that went away) stops doing that, and RQ itself would only
notice when its own maintenance runs (every 10 minutes by default). So every `INTERVAL` seconds this job
looks at unfinished downloads whose heartbeat is gone and whose row has not changed for as long:

* running (`downloading`/`processing`): re-queued under a new job, which resumes from the folder's
  download archive (finished items are skipped, a partial file is continued) — at most `MAX_RECOVERIES`
  times in a row, then marked `failed` with a plain reason; a cancel request pending is honoured instead;
* `queued` whose RQ job is gone (Redis emptied, or the enqueue never happened): queued again.

Worst case from a kill to a re-queue: the heartbeat TTL plus one interval, well under two minutes.
"""

from __future__ import annotations

import logging
import shutil
from typing import Any

from rq.job import JobStatus

from functions.downloads import jobs, state
from functions.downloads.names import incomplete_folder
from medianest import events
from medianest.config import Settings, load_settings
from medianest.store import downloads

log = logging.getLogger(__name__)

INTERVAL = 30
MAX_RECOVERIES = 2
WAITING = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
REQUEUED_NOTE = "The worker stopped during this download; it was queued again and continues where it stopped."
FAILED_NOTE = ("The worker stopped during this download {n} times (it was restarted or ran out of memory). "
               "Retry to continue where it stopped.")


def reconcile(settings: Settings | None = None) -> dict[str, int]:
    """One pass over unfinished downloads; returns how many were re-queued, failed or cancelled."""
    settings = settings or load_settings()
    db, client = jobs.stores(settings)
    counts = {"requeued": 0, "failed": 0, "cancelled": 0}
    with db.connection() as conn:
        candidates = downloads.active(conn, state.ALIVE_TTL)
    for row in candidates:
        download_id = str(row["id"])
        if client.exists(state.alive_key(download_id)):
            continue
        if row["status"] == "queued":
            if state.job_status(settings.redis_url, row["job_id"]) in WAITING:
                continue
            outcome = _requeue(settings, row, recovery=False)
        elif state.cancel_requested(client, download_id):
            outcome = _end(settings, row, "cancelled")
        elif row["recoveries"] < MAX_RECOVERIES:
            outcome = _requeue(settings, row, recovery=True)
        else:
            outcome = _end(settings, row, "failed", FAILED_NOTE.format(n=row["recoveries"] + 1))
        if outcome:
            counts[outcome] += 1
            log.warning("download recovered", extra={"download_id": download_id, "outcome": outcome,
                                                     "previous_status": row["status"]})
    return counts


def _requeue(settings: Settings, row: dict[str, Any], recovery: bool) -> str | None:
    db, client = jobs.stores(settings)
    new_job = state.new_job_id(row["id"])
    with db.connection() as conn:
        if not downloads.requeue(conn, row["id"], row["job_id"], new_job, recovery=recovery,
                                 note=REQUEUED_NOTE if recovery else None):
            return None
        fresh = downloads.get(conn, row["id"]) or row
    state.enqueue(settings.redis_url, row["id"], new_job, row["items_total"])
    _event(client, fresh)
    return "requeued"


def _end(settings: Settings, row: dict[str, Any], status: str, error: str | None = None) -> str | None:
    db, client = jobs.stores(settings)
    with db.connection() as conn:
        if not downloads.finish(conn, row["id"], row["job_id"], status, error=error):
            return None
        fresh = downloads.get(conn, row["id"]) or row
        note = jobs.notify(conn, fresh, status) if status == "failed" else None
    if status == "cancelled":
        shutil.rmtree(incomplete_folder(settings.media_root, row["id"]), ignore_errors=True)
        client.delete(state.cancel_key(row["id"]))
    _event(client, fresh)
    if note is not None:
        jobs.publish_note(client, fresh, note)
    return status


def _event(client: Any, row: dict[str, Any]) -> None:
    events.publish(client, events.downloads_topic(row["user_id"]), "download:progress", {
        "id": str(row["id"]), "status": row["status"], "title": row["title"], "error": row["error"],
        "progress": state.progress_of(row, None)})
