"""The admin's view of the download queue, read from RQ: depth, running jobs and the workers alive."""

from __future__ import annotations

from typing import Any

from functions.downloads import state
from medianest.queues import DOWNLOADS, get_queue


def queue_view(redis_url: str, counts: dict[str, int]) -> dict[str, Any]:
    """What GET /queue answers; `counts` are the downloads per status from the database."""
    # RQ is imported by the first admin who looks, not at the function's start (see medianest.queues)
    from rq.job import Job
    from rq.registry import StartedJobRegistry
    from rq.serializers import JSONSerializer
    from rq.worker import Worker

    connection = state.rq_for(redis_url)
    queue = get_queue(DOWNLOADS, connection)
    running = []
    for job_id in StartedJobRegistry(queue=queue).get_job_ids():
        job = Job.fetch_many([job_id], connection=connection, serializer=JSONSerializer)[0]
        if job is None:
            continue
        running.append({"job_id": job.id, "download_id": str(job.args[0]) if job.args else None,
                        "worker": job.worker_name, "started_at": job.started_at})
    # a worker is listed while its key lives, i.e. it sent a heartbeat within its TTL
    workers = [{"name": w.name, "state": str(w.get_state()), "queues": w.queue_names(),
                "current_job": w.get_current_job_id(), "last_heartbeat": w.last_heartbeat}
               for w in Worker.all(connection=connection, serializer=JSONSerializer)]
    return {"queue": DOWNLOADS, "depth": queue.count, "running": running, "workers": workers,
            "workers_alive": len(workers), "downloads": counts}
