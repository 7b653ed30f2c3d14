"""The downloads function: the YouTube download queue API (jobs run in the RQ worker, see jobs.py).

A user sees and acts on their own downloads only (anyone else's answers 404); admins see all of them.
Submissions are checked here before anything is queued: the host against the allowlist, the free space
on the media disk, the size of the playlist, and the hourly quota (counted only for accepted ones).
"""

from __future__ import annotations

import contextlib
import shutil
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import redis
from flask import Blueprint, Flask, g, request

from functions.downloads import removal, state
from functions.downloads.listing import ExtractFailed, Listing
from functions.downloads.names import download_folder, library_root, user_component
from functions.downloads.queueview import queue_view
from functions.downloads.schemas import (
    CancelOut,
    DeleteQuery,
    DownloadOut,
    DownloadPage,
    DownloadSummary,
    ListQuery,
    NewDownload,
    PreviewIn,
    PreviewOut,
    Queued,
    QueueView,
)
from functions.downloads.urls import UrlRefused, check_url
from medianest import events
from medianest.config import Settings
from medianest.errors import ApiError, not_found
from medianest.integrations import YoutubeOptions, youtube_options
from medianest.openapi import validate
from medianest.store import audit, downloads, users
from medianest.web import current_principal, limiter_of, make_app, require_admin, require_user, services

bp = Blueprint("downloads", __name__)
LIST_TIMEOUT = 20.0  # seconds a preview or a submission may spend reading the playlist
LIST_SOCKET_TIMEOUT = 10.0
_listing_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="yt-dlp-list")


def _options() -> YoutubeOptions:
    if "mn_youtube_options" not in g:
        with services().db.connection() as conn:
            g.mn_youtube_options = youtube_options(conn)
    return g.mn_youtube_options


def _allowed(url: str, options: YoutubeOptions) -> str:
    try:
        return check_url(url, options.allowed_hosts)
    except UrlRefused as exc:
        raise ApiError(422, "url_not_allowed", str(exc)) from None


def _listing(url: str, options: YoutubeOptions) -> Listing:
    """Title and entries without downloading, bounded in time (the caller waits for it)."""
    # yt-dlp is imported here, by the first preview or submission, not at start: it adds about 7 MB and 0.04 s
    # of CPU to a worker (more with the requests it imports), and the other routes never need it.
    from functions.downloads.ytdlp import list_url

    future = _listing_pool.submit(list_url, url, options.allowed_hosts, options.max_items + 1, LIST_SOCKET_TIMEOUT)
    try:
        return future.result(timeout=LIST_TIMEOUT)
    except FutureTimeout:
        raise ApiError(504, "upstream_timeout", "The site took too long to answer; try again.") from None
    except UrlRefused as exc:
        raise ApiError(422, "url_not_allowed", str(exc)) from None
    except ExtractFailed as exc:
        raise ApiError(422, "unsupported_url", str(exc)) from None


def _check_space(folder: Path, min_free_gb: float) -> None:
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if shutil.disk_usage(existing).free < min_free_gb * 1e9:
        raise ApiError(507, "insufficient_storage",
                       f"The media disk has less than {min_free_gb:g} GB free; downloads are paused until there "
                       "is more room.")


def _owned(conn: Any, download_id: uuid.UUID) -> dict[str, Any]:
    """The download, when the caller owns it or is an admin; 404 otherwise (never 403: no hint it exists)."""
    principal = current_principal()
    row = downloads.get(conn, download_id, None if principal.is_admin else principal.user_id)
    if row is None:
        raise not_found("That download")
    return row


def _relative(path: str | None) -> str | None:
    if not path:
        return None
    try:
        return Path(path).relative_to(services().settings.media_root).as_posix()
    except ValueError:
        return None


def _summary(row: dict[str, Any], live: dict[str, Any] | None) -> dict[str, Any]:
    return {**{k: row[k] for k in DownloadSummary.model_fields if k in row}, "id": str(row["id"]),
            "user_id": str(row["user_id"]), "progress": state.progress_of(row, live)}


def _publish(row: dict[str, Any]) -> None:
    # the page refetches on reconnect; an event lost here is not worth failing the request
    with contextlib.suppress(redis.RedisError):
        events.publish(services().redis, events.downloads_topic(row["user_id"]), "download:progress",
                       {"id": str(row["id"]), "status": row["status"], "title": row["title"], "error": row["error"],
                        "progress": state.progress_of(row, None)})


def _store_download(body: NewDownload, url: str, listing: Listing, root: Path) -> dict[str, Any]:
    """The new queued row: files go to <root>/<user>/<playlist title> (single videos: the collection or Videos)."""
    principal = current_principal()
    playlist = listing.kind == "playlist"
    download_id = uuid.uuid4()
    with services().db.connection() as conn:
        user = users.get(conn, principal.user_id)
        if user is None:
            raise ApiError(401, "unauthenticated", "Sign in to continue.")
        mine = user_component(user["username"], user["id"], users.name_is_shared(conn, user["id"], user["username"]))
        folder = download_folder(root, mine, (listing.title if playlist else body.collection) or "Videos")
        return downloads.create(conn, download_id=download_id, user_id=principal.user_id, url=url,
                                quality=body.quality, title=listing.title, kind=listing.kind,
                                collection=body.collection or (listing.title if playlist else None),
                                folder=str(folder), items_total=listing.count, job_id=state.new_job_id(download_id))


@bp.post("/preview")
@require_user
@validate(body=PreviewIn, response=PreviewOut)
def preview(body: PreviewIn) -> Any:
    """Title and entries of a video or playlist, without downloading."""
    options = _options()
    listing = _listing(_allowed(body.url, options), options)
    entries = [{"id": e.video_id, "title": e.title, "duration": e.duration} for e in listing.entries]
    return PreviewOut(title=listing.title, kind=listing.kind, entries=entries[:options.max_items],
                      count=listing.count, max_items=options.max_items, too_many=listing.count > options.max_items)


@bp.post("/")
@require_user
@validate(body=NewDownload, response=Queued, status=202)
def submit(body: NewDownload) -> Any:
    """Queue a video or playlist for download into the Plex library."""
    svc, options = services(), _options()
    url = _allowed(body.url, options)
    root = library_root(svc.settings.media_root, options.library_folder)
    _check_space(root, options.min_free_gb)
    listing = _listing(url, options)
    if listing.count > options.max_items:
        raise ApiError(422, "too_many_items", f"This playlist has more than {options.max_items} videos, the most "
                                              "MediaNest downloads at once.")
    row = _store_download(body, url, listing, root)
    download_id, job_id = row["id"], row["job_id"]
    state.keep_listing(svc.redis, job_id, listing)  # the job starts downloading without listing it again
    try:
        state.enqueue(svc.settings.redis_url, download_id, job_id, listing.count)
    except redis.RedisError:
        with svc.db.connection() as conn:
            downloads.delete(conn, download_id)
        raise ApiError(503, "queue_unavailable", "The download queue is unavailable; try again shortly.") from None
    _publish(row)
    return Queued(id=str(download_id), status="queued"), 202


@bp.get("/")
@require_user
@validate(query=ListQuery, response=DownloadPage)
def list_downloads(query: ListQuery) -> Any:
    """Own downloads, newest first (admins: everyone's with `?all=1`)."""
    principal = current_principal()
    if query.all and not principal.is_admin:
        raise ApiError(403, "forbidden", "Only an admin can see everyone's downloads.")
    with services().db.connection() as conn:
        rows, total = downloads.list_downloads(conn, None if query.all else principal.user_id, query.status,
                                               query.offset, query.limit)
    live = state.read_live(services().redis, [r["id"] for r in rows if r["status"] in downloads.ACTIVE])
    return {"items": [_summary(r, live.get(str(r["id"]))) for r in rows], "total": total}


@bp.get("/queue")
@require_admin
@validate(response=QueueView)
def queue() -> Any:
    """Queue depth, running jobs and live workers."""
    with services().db.connection() as conn:
        counts = downloads.count_by_status(conn)
    return queue_view(services().settings.redis_url, counts)


@bp.get("/<uuid:download_id>")
@require_user
@validate(response=DownloadOut)
def detail(download_id: uuid.UUID) -> Any:
    """One download with live progress and its files."""
    svc = services()
    with svc.db.connection() as conn:
        row = _owned(conn, download_id)
        items = downloads.items(conn, download_id)
    live = state.read_live(svc.redis, [download_id]).get(str(download_id))
    files = [{**{k: item[k] for k in ("position", "video_id", "title", "status", "percent", "downloaded_bytes",
                                      "total_bytes", "plex_rating_key", "error")},
              "name": Path(item["file_path"]).name if item["file_path"] else None,
              "path": _relative(item["file_path"])} for item in items]
    return {**_summary(row, live), "files": files, "folder": _relative(row["folder"]),
            "plex_collection_key": row["plex_collection_key"],
            "cancel_requested": row["status"] in downloads.ACTIVE and state.cancel_requested(svc.redis, download_id)}


@bp.post("/<uuid:download_id>/cancel")
@require_user
@validate(response=CancelOut, status=202)
def cancel(download_id: uuid.UUID) -> Any:
    """Stop a download; its partial files are removed."""
    svc = services()
    with svc.db.connection() as conn:
        row = _owned(conn, download_id)
        if row["status"] not in downloads.ACTIVE:
            raise ApiError(409, "not_cancellable", "This download has already finished.")
        cancelled_now = downloads.cancel_queued(conn, download_id)
        row = downloads.get(conn, download_id) or row
    if cancelled_now:
        state.cancel_job(svc.settings.redis_url, row["job_id"])
        _publish(row)
        return CancelOut(id=str(download_id), status="cancelled", cancel_requested=False), 202
    state.request_cancel(svc.redis, download_id)  # the running job sees it within a fraction of a second
    return CancelOut(id=str(download_id), status=row["status"], cancel_requested=True), 202


@bp.post("/<uuid:download_id>/retry")
@require_user
@validate(response=Queued, status=202)
def retry(download_id: uuid.UUID) -> Any:
    """Queue a failed or cancelled download (or its failed items) again; finished items are skipped."""
    svc, principal = services(), current_principal()
    job_id = state.new_job_id(download_id)
    with svc.db.connection() as conn:
        row = _owned(conn, download_id)
        if not downloads.retry(conn, download_id, None if principal.is_admin else principal.user_id, job_id):
            raise ApiError(409, "not_retryable", "Only a failed or cancelled download, or one with failed items, "
                                                 "can be retried.")
        row = downloads.get(conn, download_id) or row
    svc.redis.delete(state.cancel_key(download_id))  # an old cancel request must not stop the new run
    state.enqueue(svc.settings.redis_url, download_id, job_id, row["items_total"])
    _publish(row)
    return Queued(id=str(download_id), status="queued"), 202


@bp.delete("/<uuid:download_id>")
@require_user
@validate(query=DeleteQuery)
def delete(download_id: uuid.UUID, query: DeleteQuery) -> Any:
    """Remove a finished download's record (with `?files=1` also its files and Plex collection)."""
    svc = services()
    with svc.db.connection() as conn:
        row = _owned(conn, download_id)
        if row["status"] in downloads.ACTIVE:
            raise ApiError(409, "download_active", "Cancel the download before deleting it.")
        items = downloads.items(conn, download_id)
    outcome = removal.remove_files(svc, row, items) if query.files else {"files_removed": 0, "plex": None}
    removal.remove_partials(svc.settings.media_root, download_id)
    with svc.db.connection() as conn:
        downloads.delete(conn, download_id)
        audit.record(conn, current_principal().user_id, "download.delete", "download", download_id,
                     {"files": query.files, "owner": str(row["user_id"]), **outcome}, request.remote_addr)
    return {"id": str(download_id), "deleted": True, **outcome}


def _hourly_quota() -> str:
    return f"{_options().hourly_quota}/hour"


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the downloads function's app."""
    app = make_app("downloads", config)
    app.register_blueprint(bp)
    # accepted submissions only: a refused URL or a full disk does not use up the hour's quota
    quota = limiter_of(app).limit(_hourly_quota, key_func=lambda: f"user:{current_principal().user_id}",
                                  deduct_when=lambda response: response.status_code == 202, scope="downloads-submit")
    app.view_functions["downloads.submit"] = quota(app.view_functions["downloads.submit"])
    return app
