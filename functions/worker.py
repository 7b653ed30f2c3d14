"""The RQ worker class every deployment runs (`rq worker --worker-class functions.worker.Worker`).

RQ forks a work-horse for each job, and the horse imports the job's module; the download job brings yt-dlp
(about half a second of imports), so every download used to pay that before it started. This worker imports
the job modules once, before its first fork: each horse inherits them and starts the job at once. Nothing
else changes: every job still runs in its own horse, so a horse that dies takes only its own job with it.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from rq import Worker as RqWorker

log = logging.getLogger(__name__)

# the modules of every job the queues carry (state.JOB_FUNC and the periodic jobs of functions/schedule.py)
JOB_MODULES = (
    "functions.downloads.jobs",
    "functions.downloads.recovery",
    "functions.status.jobs",
    "functions.media.jobs",
)


def preload() -> None:
    """Import the job modules, and yt-dlp's list of extractors (which `YoutubeDL()` would load in each horse)."""
    for name in (*JOB_MODULES, "yt_dlp.extractor.extractors"):
        try:
            importlib.import_module(name)
        except Exception:  # the horse meets the same error and fails that job with it: keep serving the rest
            log.exception("could not preload a module", extra={"module": name})


class Worker(RqWorker):
    """RQ's forking worker, with the job code imported before the first fork."""

    def work(self, *args: Any, **kwargs: Any) -> bool:
        preload()
        return super().work(*args, **kwargs)
