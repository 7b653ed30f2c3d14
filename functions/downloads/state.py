"""What the API and the worker share about a running download: its RQ job, Redis flags and live progress.

Redis keys (all expire on their own):
* `mn:downloads:cancel:<id>` — set by the API; the job's progress hook stops yt-dlp when it sees it.
* `mn:downloads:alive:<id>` — the job's heartbeat (its pid and host); gone means the worker died.
* `mn:downloads:live:<id>` — speed, ETA and the current item, which the database does not keep.
* `mn:downloads:listing:<job id>` — the playlist as the submit listed it, for the job it queued (read once).
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from typing import TYPE_CHECKING, Any

import redis

from medianest.queues import DOWNLOADS, get_queue, rq_connection

if TYPE_CHECKING:
    from functions.downloads.listing import Listing

log = logging.getLogger(__name__)

JOB_FUNC = "functions.downloads.jobs.run_download"
CANCEL_TTL = 24 * 3600
ALIVE_TTL = 15  # seconds without a heartbeat before a running download counts as orphaned
LIVE_TTL = 60
# A job that waited longer in the queue lists the playlist itself (a video's media addresses expire).
LISTING_TTL = 600
LISTING_MAX_BYTES = 4_000_000
# RQ kills a job after its timeout; downloads are long, so it grows with the playlist. Stalled transfers
# end much earlier through yt-dlp's socket timeout.
BASE_TIMEOUT = 3600
PER_ITEM_TIMEOUT = 1800
MAX_TIMEOUT = 7 * 24 * 3600

_rq_connections: dict[str, redis.Redis] = {}
_lock = threading.Lock()


def cancel_key(download_id: object) -> str:
    return f"mn:downloads:cancel:{download_id}"


def alive_key(download_id: object) -> str:
    return f"mn:downloads:alive:{download_id}"


def live_key(download_id: object) -> str:
    return f"mn:downloads:live:{download_id}"


def listing_key(job_id: str) -> str:
    return f"mn:downloads:listing:{job_id}"


def new_job_id(download_id: object) -> str:
    """A fresh RQ job id for one run of a download (a retry or a re-queue gets another)."""
    return f"download-{download_id}-{secrets.token_hex(4)}"


def rq_for(redis_url: str) -> redis.Redis:
    """The process's undecoded connection for RQ."""
    with _lock:
        conn = _rq_connections.get(redis_url)
        if conn is None:
            conn = _rq_connections[redis_url] = rq_connection(redis_url)
        return conn


def job_timeout(items_total: int) -> int:
    return min(MAX_TIMEOUT, BASE_TIMEOUT + PER_ITEM_TIMEOUT * max(1, items_total))


def enqueue(redis_url: str, download_id: object, job_id: str, items_total: int) -> None:
    """Queue one run of a download; the job gets the download id only and re-reads everything else."""
    get_queue(DOWNLOADS, rq_for(redis_url)).enqueue(
        JOB_FUNC, str(download_id), job_id=job_id, job_timeout=job_timeout(items_total), result_ttl=24 * 3600,
        failure_ttl=7 * 24 * 3600, description=f"download {download_id}",
    )


def job_status(redis_url: str, job_id: str | None) -> str | None:
    """The RQ status of a job, or None when RQ no longer knows it."""
    if not job_id:
        return None
    from rq.job import Job  # RQ only when a job is looked at (see medianest.queues)

    try:
        return Job.fetch(job_id, connection=rq_for(redis_url)).get_status(refresh=True)
    except Exception:  # NoSuchJobError, or a hash that expired half-way
        return None


def cancel_job(redis_url: str, job_id: str | None) -> None:
    """Take a job that has not started out of the queue (no error when it is gone or running)."""
    if not job_id:
        return
    from rq.job import Job

    try:
        Job.fetch(job_id, connection=rq_for(redis_url)).cancel()
    except Exception as exc:  # gone already, or running (then the cancel flag stops it)
        log.debug("job not cancelled in RQ: %s", type(exc).__name__)


def keep_listing(client: redis.Redis, job_id: str, listing: Listing) -> None:
    """Hand the submit's listing to the job it is about to queue, so that the job need not list it again.
    Best effort: when it cannot be kept (not plain JSON, too big, Redis away) the job lists the playlist."""
    try:
        value = listing.to_json()
    except (TypeError, ValueError):  # an extractor left something in its info that JSON cannot carry
        return
    if len(value) <= LISTING_MAX_BYTES:
        try:
            client.set(listing_key(job_id), value, ex=LISTING_TTL)
        except redis.RedisError:
            log.warning("could not keep the listing for the job", extra={"job_id": job_id})


def take_listing(client: redis.Redis, job_id: str) -> str | None:
    """The listing kept for this job (`Listing.to_json`), removed as it is read; None when there is none (a
    retry, a re-queued run, a job that waited too long) or Redis cannot say."""
    try:
        return client.getdel(listing_key(job_id))
    except redis.RedisError:
        return None


def request_cancel(client: redis.Redis, download_id: object) -> None:
    client.set(cancel_key(download_id), "1", ex=CANCEL_TTL)


def cancel_requested(client: redis.Redis, download_id: object) -> bool:
    """Whether the API asked to cancel. While Redis is away nobody can have asked: the download goes on
    (a Redis restart must not fail a download that is half done)."""
    try:
        return bool(client.exists(cancel_key(download_id)))
    except redis.RedisError:
        return False


def read_live(client: redis.Redis, download_ids: list[object]) -> dict[str, dict[str, Any]]:
    """Live progress of running downloads, by id."""
    if not download_ids:
        return {}
    values = client.mget([live_key(i) for i in download_ids])
    out = {}
    for download_id, raw in zip(download_ids, values, strict=True):
        if raw:
            try:
                out[str(download_id)] = json.loads(raw)
            except ValueError:
                continue
    return out


def progress_of(row: dict[str, Any], live: dict[str, Any] | None) -> dict[str, Any]:
    """The `progress` object of API.md from a download row and its live progress (if it is running)."""
    running = row["status"] in ("downloading", "processing")
    done, total = row["items_done"], row["items_total"]
    percent = 100.0 if row["status"] == "completed" else (round(100.0 * done / total, 1) if total else 0.0)
    progress = {"percent": percent, "downloaded_bytes": row["bytes_done"], "total_bytes": row["bytes_total"] or None,
                "speed": None, "eta": None, "current_item": None, "current_position": None,
                "items_done": done, "items_total": total}
    if running and live:
        progress.update({k: live.get(k) for k in ("percent", "downloaded_bytes", "total_bytes", "speed", "eta",
                                                   "current_item", "current_position", "items_done")
                         if live.get(k) is not None})
    return progress
