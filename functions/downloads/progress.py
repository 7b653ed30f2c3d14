"""A running download's progress: per item and in total, to the database, to Redis and as events.

yt-dlp calls the progress hook for every block it writes (often hundreds of times a second); what leaves
the process is throttled to one database write and at most one `download:progress` tick per half second
per job. A change of state (processing, completed, ...) is published at once, never held back behind a
tick. The hook is also where a cancel request or a lost claim stops yt-dlp, and a heartbeat thread tells
the reconcile job that this worker is still alive.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import threading
import time
from typing import Any

import redis
from rq.job import get_current_job
from rq.worker import Worker
from yt_dlp.utils import DownloadCancelled

from functions.downloads import state
from medianest import events
from medianest.db import Database
from medianest.store import downloads

log = logging.getLogger(__name__)

EVENT_INTERVAL = 0.5  # at most two progress ticks a second per job
CANCEL_CHECK_INTERVAL = 0.25
SHUTDOWN_CHECK_INTERVAL = 1.0
HEARTBEAT_INTERVAL = 3.0
FINISHED_ITEM = ("completed", "skipped", "failed")


class Stop(DownloadCancelled):
    """Raised from the hook to stop yt-dlp: `reason` is `cancelled` or `superseded`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Reporter:
    """Progress of one run of one download (one RQ job)."""

    def __init__(self, db: Database, client: redis.Redis, row: dict[str, Any], job_id: str) -> None:
        self.db, self.client, self.job_id = db, client, job_id
        self.download_id, self.user_id = str(row["id"]), str(row["user_id"])
        self.title: str | None = row["title"]
        self.items: dict[int, dict[str, Any]] = {}
        self.current: int | None = None
        self.speed: float | None = None
        self.eta: float | None = None
        self._formats: dict[str, tuple[int, int | None]] = {}
        self._last_flush = self._last_event = self._last_cancel = self._last_shutdown = 0.0
        self._shutdown = threading.Event()
        self._stop_beat = threading.Event()
        self._beat: threading.Thread | None = None
        self._old_sigterm: Any = None

    # --- lifetime -----------------------------------------------------------------------------------
    def start(self) -> None:
        """Heartbeat now and every few seconds; in a work horse, SIGTERM becomes a checkpoint request."""
        self._heartbeat()
        self._beat = threading.Thread(target=self._beat_loop, name=f"heartbeat-{self.download_id}", daemon=True)
        self._beat.start()
        if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            # RQ's work horse dies on SIGTERM by default; finish the current item instead
            self._old_sigterm = signal.signal(signal.SIGTERM, lambda *_: self._shutdown.set())

    def close(self) -> None:
        self._stop_beat.set()
        if self._beat is not None:
            self._beat.join(timeout=5)
        if self._old_sigterm is not None:
            signal.signal(signal.SIGTERM, self._old_sigterm)
        try:
            raw = self.client.get(state.alive_key(self.download_id))
            if raw and json.loads(raw).get("job") == self.job_id:  # a run that took over keeps its heartbeat
                self.client.delete(state.alive_key(self.download_id), state.live_key(self.download_id))
        except redis.RedisError:  # both keys expire by themselves
            log.warning("could not clear the heartbeat", extra={"download_id": self.download_id})

    def _heartbeat(self) -> None:
        value = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "job": self.job_id})
        self.client.set(state.alive_key(self.download_id), value, ex=state.ALIVE_TTL)

    def _beat_loop(self) -> None:
        while not self._stop_beat.wait(HEARTBEAT_INTERVAL):
            try:
                self._heartbeat()
            except redis.RedisError:
                log.warning("heartbeat failed", extra={"download_id": self.download_id})

    # --- requests from outside --------------------------------------------------------------------
    def check_cancel(self, force: bool = False) -> None:
        """Raise Stop('cancelled') once the API has asked to cancel (looked up at most four times a second)."""
        now = time.monotonic()
        if not force and now - self._last_cancel < CANCEL_CHECK_INTERVAL:
            return
        self._last_cancel = now
        if state.cancel_requested(self.client, self.download_id):
            raise Stop("cancelled")

    def shutdown_requested(self) -> bool:
        """The worker is shutting down warmly (SIGTERM to it or to us): time to checkpoint."""
        if self._shutdown.is_set():
            return True
        now = time.monotonic()
        if now - self._last_shutdown >= SHUTDOWN_CHECK_INTERVAL:
            self._last_shutdown = now
            job = get_current_job()
            if job is not None and job.worker_name:
                key = Worker.redis_worker_namespace_prefix + job.worker_name
                if job.connection.hget(key, "shutdown_requested_date"):
                    self._shutdown.set()
        return self._shutdown.is_set()

    # --- items --------------------------------------------------------------------------------------
    def load_items(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.items[row["position"]] = {"title": row["title"], "status": row["status"],
                                           "downloaded": row["downloaded_bytes"], "total": row["total_bytes"]}

    def begin_item(self, position: int) -> None:
        self.current, self.speed, self.eta = position, None, None
        self._formats = {}
        self.items[position].update(status="downloading", downloaded=0)
        with self.db.connection() as conn:
            downloads.update_item(conn, self.download_id, position, status="downloading", percent=0,
                                  downloaded_bytes=0, error=None)
        self.flush()

    def end_item(self, position: int, status: str, **fields: Any) -> None:
        item = self.items[position]
        item["status"] = status
        if status in ("completed", "skipped") and fields.get("total_bytes") is not None:
            item["downloaded"] = item["total"] = fields["total_bytes"]
        if fields.get("title"):
            item["title"] = fields["title"]
        with self.db.connection() as conn:
            downloads.update_item(conn, self.download_id, position, status=status,
                                  percent=100 if status in ("completed", "skipped") else item_percent(item),
                                  downloaded_bytes=item["downloaded"] or 0, **fields)
        self.current = None
        self.flush(write_now=True, item_finished=status == "completed")

    def hook(self, d: dict[str, Any]) -> None:
        """yt-dlp's progress hook."""
        self.check_cancel()
        if self.current is None or d.get("status") not in ("downloading", "finished"):
            return
        name = str(d.get("filename") or d.get("tmpfilename") or "")
        total = d.get("total_bytes") or d.get("total_bytes_estimate")
        self._formats[name] = (int(d.get("downloaded_bytes") or 0), int(total) if total else None)
        item = self.items[self.current]
        item["downloaded"] = sum(done for done, _ in self._formats.values())
        totals = [t for _, t in self._formats.values()]
        item["total"] = sum(totals) if all(t is not None for t in totals) else None  # type: ignore[arg-type]
        self.speed, self.eta = d.get("speed"), d.get("eta")
        self.flush()

    # --- output -------------------------------------------------------------------------------------
    def progress(self) -> dict[str, Any]:
        total = len(self.items)
        done = sum(1 for i in self.items.values() if i["status"] in ("completed", "skipped"))
        finished = sum(1.0 if i["status"] in FINISHED_ITEM else item_percent(i) / 100 for i in self.items.values())
        current = self.items.get(self.current) if self.current is not None else None
        return {
            "percent": round(100.0 * finished / total, 1) if total else 0.0,
            "downloaded_bytes": sum(i["downloaded"] or 0 for i in self.items.values()),
            "total_bytes": sum(i["total"] or 0 for i in self.items.values()) or None,
            "speed": self.speed, "eta": self.eta, "current_item": current["title"] if current else None,
            "current_position": self.current, "items_done": done, "items_total": total,
        }

    def flush(self, write_now: bool = False, item_finished: bool = False) -> None:
        """Database and live progress (throttled unless `write_now`), then an event if one is due."""
        now = time.monotonic()
        if not write_now and now - self._last_flush < EVENT_INTERVAL:
            return
        self._last_flush = now
        progress = self.progress()
        with self.db.connection() as conn:
            owned = downloads.update_progress(conn, self.download_id, self.job_id, items_done=progress["items_done"],
                                              bytes_done=progress["downloaded_bytes"],
                                              bytes_total=progress["total_bytes"] or 0, item_finished=item_finished)
            if owned and self.current is not None:
                item = self.items[self.current]
                downloads.update_item(conn, self.download_id, self.current, percent=item_percent(item),
                                      downloaded_bytes=item["downloaded"] or 0, total_bytes=item["total"])
        if not owned:
            raise Stop("superseded")
        try:
            self.client.set(state.live_key(self.download_id), json.dumps(progress), ex=state.LIVE_TTL)
        except redis.RedisError:  # live figures only: the database row above is the record
            log.warning("could not store live progress", extra={"download_id": self.download_id})
        self.event("downloading", progress=progress)

    def event(self, status: str, *, force: bool = False, **data: Any) -> None:
        """Publish `download:progress`: a forced one (a change of state) at once, a progress tick only when
        the last event is half a second old."""
        now = time.monotonic()
        if not force and now - self._last_event < EVENT_INTERVAL:
            return
        self._last_event = now
        payload = {"id": self.download_id, "status": status, "title": self.title,
                   "progress": data.pop("progress", None) or self.progress(), **data}
        try:
            events.publish(self.client, events.downloads_topic(self.user_id), "download:progress", payload)
        except redis.RedisError:
            log.warning("could not publish progress", extra={"download_id": self.download_id})


def item_percent(item: dict[str, Any]) -> float:
    if item["status"] in ("completed", "skipped"):
        return 100.0
    total, done = item.get("total"), item.get("downloaded") or 0
    return round(min(100.0, 100.0 * done / total), 1) if total else 0.0
