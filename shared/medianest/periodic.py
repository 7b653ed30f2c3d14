"""Periodic jobs: one small loop that enqueues each scheduled job on its interval (JSON serializer).

RQ 3.0's own `rq cron` enqueues with pickle regardless of the configured serializer, so MediaNest keeps
this loop instead. A job is not enqueued again while its previous run is still queued or running (fixed
job ids), so a slow round never piles up behind itself. Run exactly one scheduler per installation.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import redis
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from medianest.queues import get_queue

log = logging.getLogger(__name__)
BUSY = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    func: str  # dotted path, so the scheduler never imports the job's code
    interval: int  # seconds
    queue: str
    timeout: int = 300


def enqueue_if_idle(connection: redis.Redis, job: PeriodicJob) -> bool:
    """Enqueue one run unless the previous one is still waiting or running."""
    job_id = f"periodic-{job.name}"
    try:
        if Job.fetch(job_id, connection=connection).get_status(refresh=True) in BUSY:
            return False
    except NoSuchJobError:
        pass
    get_queue(job.queue, connection).enqueue(job.func, job_id=job_id, job_timeout=job.timeout, result_ttl=600,
                                             failure_ttl=86400)
    return True


def run(connection: redis.Redis, schedule: Sequence[PeriodicJob], stop: threading.Event | None = None,
        tick: float = 1.0) -> None:
    """Loop until `stop` is set (or SIGTERM/SIGINT in the main thread); every job runs at start, then on time."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    next_run = dict.fromkeys((job.name for job in schedule), 0.0)
    while not stop.is_set():
        now = time.monotonic()
        for job in schedule:
            if now >= next_run[job.name]:
                try:
                    queued = enqueue_if_idle(connection, job)
                    log.info("periodic job %s", "enqueued" if queued else "still running", extra={"job": job.name})
                except redis.RedisError:
                    log.warning("could not enqueue periodic job; retrying next tick", extra={"job": job.name})
                    continue
                next_run[job.name] = now + job.interval
        stop.wait(tick)
