"""The download job, run by `rq worker` on the downloads queue: yt-dlp, files, then Plex.

The job takes the download id only and re-reads everything from the database. It claims the download
for its own RQ job id first; every later write is conditional on that claim, so if the reconcile job ever
re-queues a download it wrongly presumed dead, the old run stops at its next progress report.
Cancelling, crash recovery and warm shutdown: see `progress.py` (hook, heartbeat) and `recovery.py`.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import redis
from rq.job import get_current_job
from rq.timeouts import JobTimeoutException
from yt_dlp.utils import DownloadCancelled, DownloadError

from functions.downloads import plexsync, state
from functions.downloads.names import (
    VIDEO_EXTENSIONS,
    UnsafePath,
    find_item_file,
    forget_archived,
    incomplete_folder,
    inside,
    library_root,
)
from functions.downloads.progress import Reporter, Stop
from functions.downloads.urls import UrlRefused, check_url
from functions.downloads.ytdlp import Downloader, Entry, ExtractFailed, Listing, list_url, plain_error
from medianest import events, integrations
from medianest.clients.plex import PlexClient
from medianest.config import Settings, load_settings
from medianest.crypto import Sealer
from medianest.db import Database, get_database
from medianest.redisconn import get_redis
from medianest.store import downloads, notifications

log = logging.getLogger(__name__)
INTERNAL_ERROR = "Something went wrong on our side; it has been logged. Retry to continue where it stopped."


class JobFailed(Exception):
    """The download cannot go on; the message is shown to the user as is."""


@dataclass
class Run:
    """One run of one download: where things are and who reports on them."""

    settings: Settings
    db: Database
    client: redis.Redis
    row: dict[str, Any]
    job_id: str
    reporter: Reporter
    folder: Path
    temp: Path

    @property
    def download_id(self) -> str:
        return str(self.row["id"])


def stores(settings: Settings) -> tuple[Database, redis.Redis]:
    return get_database(settings.database_url, settings.db_pool_size), get_redis(settings.redis_url)


def run_download(download_id: str) -> str:
    """Download a queued download; returns what happened (the RQ result)."""
    job = get_current_job()
    if job is None:
        raise RuntimeError("run_download runs inside an RQ worker")
    settings = load_settings()
    db, client = stores(settings)
    with db.connection() as conn:
        row = downloads.claim(conn, download_id, job.id)
    if row is None:  # cancelled while queued, or re-queued under another job
        log.info("download not claimed", extra={"download_id": download_id, "job_id": job.id})
        return "not-claimed"
    reporter = Reporter(db, client, row, job.id)
    run = Run(settings, db, client, row, job.id, reporter, Path(row["folder"]),
              incomplete_folder(settings.media_root, download_id))
    reporter.start()
    try:
        return _run(run)
    except Stop as stop:
        if stop.reason == "superseded":
            log.warning("download taken over by another run; stopping", extra={"download_id": download_id})
            return "superseded"
        finish(run, "cancelled")
        return "cancelled"
    except (JobFailed, ExtractFailed, UrlRefused, plexsync.PlexStepFailed) as exc:
        finish(run, "failed", error=str(exc))
        return "failed"
    except JobTimeoutException:
        finish(run, "failed", error="The download ran past its time limit; retry to continue where it stopped.")
        return "failed"
    except (redis.RedisError, psycopg.OperationalError):
        # A store went away mid-run: not the download's fault. The row stays as it is and its heartbeat
        # stops, so the reconcile job queues it again once the store is back; it resumes where it stopped.
        log.warning("a store went away mid-download; leaving it to recovery", exc_info=True,
                    extra={"download_id": download_id})
        return "interrupted"
    except Exception:
        log.exception("download failed", extra={"download_id": download_id})
        finish(run, "failed", error=INTERNAL_ERROR)
        return "failed"
    finally:
        reporter.close()


def _run(run: Run) -> str:
    with run.db.connection() as conn:
        options = integrations.youtube_options(conn)
    hosts = options.allowed_hosts
    try:
        check_url(run.row["url"], hosts)
    except UrlRefused:
        raise JobFailed("This address is no longer on the list of sites MediaNest downloads from.") from None
    listing = _listing(run, hosts, options.max_items)
    inside(run.folder, run.settings.media_root)  # the stored folder was built there; make sure it still is
    run.folder.mkdir(parents=True, exist_ok=True)
    run.temp.mkdir(parents=True, exist_ok=True)
    entries = [(e.position, e.video_id, e.title) for e in listing.entries]
    with run.db.connection() as conn:
        if not downloads.save_listing(conn, run.download_id, run.row["user_id"], run.job_id, listing.title,
                                      listing.kind, entries):
            raise Stop("superseded")
        items = {item["position"]: item for item in downloads.items(conn, run.download_id)}
    run.reporter.title = listing.title or run.row["title"]
    run.reporter.load_items(list(items.values()))
    files, failures = _download_items(run, listing, items, hosts)
    if files is None:
        return "checkpoint"
    run.reporter.check_cancel(force=True)
    if not files:
        raise JobFailed(f"None of the {len(listing.entries)} items could be downloaded: {failures[0]}"
                        if failures else "The playlist is empty.")
    with run.db.connection() as conn:
        if not downloads.finish(conn, run.download_id, run.job_id, "processing"):
            raise Stop("superseded")
    run.reporter.event("processing", force=True)
    notes = [f"{len(failures)} of {len(listing.entries)} items failed; retry to try them again."] if failures else []
    collection_key, plex_note = _into_plex(run, options.library_folder, files)
    notes += [plex_note] if plex_note else []
    finish(run, "completed", error=" ".join(notes) or None, collection_key=collection_key)
    return "completed"


def _listing(run: Run, hosts: list[str], limit: int) -> Listing:
    """The playlist as the submit listed it for this run, else as it reads now (a retry, a re-queued run)."""
    kept = state.take_listing(run.client, run.job_id)
    if kept is not None:
        try:
            return Listing.from_json(kept, limit)
        except ValueError:
            log.warning("unreadable kept listing", extra={"download_id": run.download_id})
    return list_url(run.row["url"], hosts, limit)


def _download_items(run: Run, listing: Listing, items: dict[int, dict[str, Any]],
                    hosts: list[str]) -> tuple[dict[int, Path] | None, list[str]]:
    """Every entry in order; one that fails is recorded and the rest go on. None files = checkpointed."""
    files: dict[int, Path] = {}
    failures: list[str] = []
    downloader = Downloader(run.folder, run.temp, run.row["quality"], hosts, run.reporter.hook,
                            numbered=listing.kind == "playlist")
    try:
        for entry in listing.entries:
            run.reporter.check_cancel(force=True)
            if run.reporter.shutdown_requested():
                checkpoint(run)
                return None, failures
            item = items[entry.position]
            done = item["file_path"] and Path(item["file_path"]).is_file()
            if item["status"] in ("completed", "skipped") and done:
                files[entry.position] = Path(item["file_path"])
                continue
            path, error = _download_one(run, downloader, entry)
            if path is not None:
                files[entry.position] = path
            elif error:
                failures.append(error)
    finally:
        downloader.close()
    return files, failures


def _download_one(run: Run, downloader: Downloader, entry: Entry) -> tuple[Path | None, str | None]:
    run.reporter.begin_item(entry.position)
    try:
        result = downloader.download(entry)
        path = result.path or find_item_file(run.folder, result.video_id)
        if path is None:  # in the folder's archive, but someone removed the file: fetch it again
            forget_archived(run.folder, {result.video_id or ""})
            result = downloader.download(entry)
            path = result.path
        if path is None:
            raise DownloadError("The file of this video is missing from the folder.")
    except Stop:
        raise
    except (DownloadError, UrlRefused, UnsafePath, DownloadCancelled) as exc:
        error = plain_error(exc)
        run.reporter.end_item(entry.position, "failed", error=error)
        return None, error
    run.reporter.end_item(entry.position, result.status, file_path=str(path), total_bytes=path.stat().st_size,
                          video_id=result.video_id, title=result.title)
    return path, None


def _into_plex(run: Run, library_folder: str, files: dict[int, Path]) -> tuple[str | None, str | None]:
    """Scan and collect in Plex; returns the collection's key and a note for the user."""
    with run.db.connection() as conn:
        cfg = integrations.load(conn, Sealer(run.settings.encryption_keys), "plex")
    if cfg is None or not cfg.configured:
        return None, "Plex is not linked, so the files were not added to a Plex library."
    videos = {pos: path for pos, path in files.items() if path.suffix.lstrip(".").lower() in VIDEO_EXTENSIONS}
    if not videos:
        return None, "Audio files stay in the folder: a Plex video library does not show them."
    client = PlexClient(cfg.url or "", cfg.api_key, **integrations.client_kwargs(run.settings))
    machine_id = cfg.machine_identifier or client.identity().machine_identifier
    root = library_root(run.settings.media_root, library_folder)
    result = plexsync.publish(client, machine_id, run.folder, root, videos, run.row["collection"],
                              lambda: run.reporter.check_cancel(force=True))
    with run.db.connection() as conn:
        for position, rating_key in result.rating_keys.items():
            downloads.update_item(conn, run.download_id, position, plex_rating_key=rating_key)
    return result.collection_key, result.note


def checkpoint(run: Run) -> None:
    """Warm shutdown: the item in hand is finished; queue the rest as a new job for the next worker."""
    new_job = state.new_job_id(run.download_id)
    with run.db.connection() as conn:
        requeued = downloads.requeue(conn, run.download_id, run.job_id, new_job)
    if requeued:
        state.enqueue(run.settings.redis_url, run.download_id, new_job, len(run.reporter.items))
        run.reporter.event("queued", force=True)
        log.info("download checkpointed for shutdown", extra={"download_id": run.download_id})


def finish(run: Run, status: str, *, error: str | None = None, collection_key: str | None = None) -> None:
    """Record the end of a run, tidy the partial files, tell the user."""
    with run.db.connection() as conn:
        if not downloads.finish(conn, run.download_id, run.job_id, status, error=error,
                                plex_collection_key=collection_key):
            return
        row = downloads.get(conn, run.download_id) or run.row
        if status != "cancelled":
            note = notify(conn, row, status)
    if status in ("completed", "cancelled"):
        # failed runs keep their partial files so that a retry resumes them
        shutil.rmtree(run.temp, ignore_errors=True)
    if status == "cancelled":
        run.client.delete(state.cancel_key(run.download_id))
    run.reporter.event(status, force=True, error=error, collection=row["collection"],
                       progress=state.progress_of(row, None), completed_at=row["completed_at"])
    if status != "cancelled":
        publish_note(run.client, row, note)


def notify(conn: Any, row: dict[str, Any], status: str) -> dict[str, Any]:
    """The owner's notification for a finished download."""
    title = row["title"] or row["url"]
    if status == "completed":
        where = f" as the Plex collection “{row['collection']}”" if row["plex_collection_key"] else ""
        body = f"{row['items_done']} of {row['items_total']} videos downloaded{where}."
        if row["error"]:
            body += f" {row['error']}"
        return notifications.create(conn, row["user_id"], "download:completed", f"Downloaded: {title}", body,
                                    f"/downloads/{row['id']}")
    return notifications.create(conn, row["user_id"], "download:failed", f"Download failed: {title}",
                                row["error"] or "", f"/downloads/{row['id']}")


def publish_note(client: redis.Redis, row: dict[str, Any], note: dict[str, Any]) -> None:
    try:
        events.publish(client, events.user_topic(row["user_id"]), "user:notification",
                       {"id": str(note["id"]), "title": note["title"], "body": note["body"]})
    except redis.RedisError:
        log.warning("could not publish a notification", extra={"download_id": str(row["id"])})
