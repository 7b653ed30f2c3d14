"""RQ queues: names, the JSON serializer (never pickle), and the worker's own Redis connection.

RQ itself is imported by `get_queue`, when something is queued: a web function that imports this module for
the names does not pay for RQ (and multiprocessing, which it pulls in) at start."""

from __future__ import annotations

from typing import TYPE_CHECKING

import redis

if TYPE_CHECKING:
    from rq import Queue

DOWNLOADS = "medianest-downloads"
DEFAULT = "medianest-default"
ALL_QUEUES = (DOWNLOADS, DEFAULT)
SERIALIZER = "rq.serializers.JSONSerializer"
# the job code is imported before the first fork (functions/worker.py); every worker command names it
WORKER_CLASS = "functions.worker.Worker"


def rq_connection(url: str) -> redis.Redis:
    """RQ stores bytes, so it gets its own undecoded connection (not the app's decoded one)."""
    return redis.Redis.from_url(url, socket_connect_timeout=2, health_check_interval=30)


def get_queue(name: str, connection: redis.Redis) -> Queue:
    from rq import Queue
    from rq.serializers import JSONSerializer

    return Queue(name, connection=connection, serializer=JSONSerializer)
