"""youtube_downloads and youtube_download_items: the download queue, each download's items and progress.

Every read and change that a user can cause takes `user_id` (None only for admins and the worker), so a
download of someone else is simply not found. Item rows carry the owner too; the composite foreign key
(download_id, user_id) makes an item of one user's download impossible to file under another user.
Worker writes are conditional on the RQ job id that claimed the download, so a superseded job (its worker
was presumed dead and the download re-queued) can no longer change anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg

ACTIVE = ("queued", "downloading", "processing")
FINISHED = ("completed", "failed", "cancelled")
COLUMNS = (
    "d.id, d.user_id, u.username, d.url, d.title, d.kind, d.quality, d.collection, d.status, d.folder, d.job_id,"
    " d.items_total, d.items_done, d.bytes_total, d.bytes_done, d.plex_collection_key, d.error, d.recoveries,"
    " d.created_at, d.updated_at, d.started_at, d.completed_at"
)
ITEM_COLUMNS = ("id, download_id, position, video_id, title, status, percent, downloaded_bytes, total_bytes,"
                " file_path, plex_rating_key, error, updated_at")
_FROM = "FROM youtube_downloads d JOIN users u ON u.id = d.user_id"


def _owner(user_id: object | None) -> tuple[str, tuple[Any, ...]]:
    return ("", ()) if user_id is None else (" AND d.user_id = %s", (user_id,))


def create(conn: psycopg.Connection[Any], *, download_id: object, user_id: object, url: str, quality: str,
           title: str | None, kind: str, collection: str | None, folder: str, items_total: int,
           job_id: str) -> dict[str, Any]:
    """A new queued download, to be run by the RQ job `job_id` (enqueued once this row is committed)."""
    conn.execute(
        "INSERT INTO youtube_downloads (id, user_id, url, quality, title, kind, collection, folder, items_total,"
        " job_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (download_id, user_id, url, quality, title, kind, collection, folder, items_total, job_id),
    )
    return get(conn, download_id)  # type: ignore[return-value]


def get(conn: psycopg.Connection[Any], download_id: object, user_id: object | None = None) -> dict[str, Any] | None:
    """One download; with `user_id`, only when that user owns it."""
    owner, args = _owner(user_id)
    return conn.execute(f"SELECT {COLUMNS} {_FROM} WHERE d.id = %s{owner}", (download_id, *args)).fetchone()


def list_downloads(conn: psycopg.Connection[Any], user_id: object | None, status: str | None, offset: int,
                   limit: int) -> tuple[list[dict[str, Any]], int]:
    """A page of downloads, newest first (one user's, or everyone's when `user_id` is None), and the total."""
    owner, args = _owner(user_id)
    where = f"WHERE true{owner}" + (" AND d.status = %s" if status else "")
    params = (*args, status) if status else args
    total = conn.execute(f"SELECT count(*) AS n {_FROM} {where}", params).fetchone()
    rows = conn.execute(f"SELECT {COLUMNS} {_FROM} {where} ORDER BY d.created_at DESC, d.id LIMIT %s OFFSET %s",
                        (*params, limit, offset)).fetchall()
    return rows, int(total["n"]) if total else 0


def items(conn: psycopg.Connection[Any], download_id: object) -> list[dict[str, Any]]:
    """A download's items in playlist order."""
    return conn.execute(f"SELECT {ITEM_COLUMNS} FROM youtube_download_items WHERE download_id = %s"
                        " ORDER BY position", (download_id,)).fetchall()


def claim(conn: psycopg.Connection[Any], download_id: object, job_id: str) -> dict[str, Any] | None:
    """Start a queued download for the job it was enqueued with; None when that is no longer the case."""
    row = conn.execute(
        "UPDATE youtube_downloads SET status = 'downloading', error = NULL, updated_at = now(),"
        " started_at = coalesce(started_at, now()) WHERE id = %s AND status = 'queued' AND job_id = %s RETURNING id",
        (download_id, job_id),
    ).fetchone()
    return None if row is None else get(conn, download_id)


def save_listing(conn: psycopg.Connection[Any], download_id: object, user_id: object, job_id: str,
                 title: str | None, kind: str, entries: Sequence[tuple[int, str | None, str | None]]) -> bool:
    """Record the playlist as the job read it: title, kind and items (position, video id, title)."""
    # an item whose video changed place since a previous run starts over; finished items are kept
    cur = conn.execute(
        "UPDATE youtube_downloads SET title = coalesce(%s, title), kind = %s, items_total = %s, updated_at = now()"
        " WHERE id = %s AND job_id = %s",
        (title, kind, len(entries), download_id, job_id),
    )
    if cur.rowcount == 0:
        return False
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO youtube_download_items (download_id, user_id, position, video_id, title)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (download_id, position) DO UPDATE SET"
            " title = coalesce(EXCLUDED.title, youtube_download_items.title),"
            " video_id = coalesce(EXCLUDED.video_id, youtube_download_items.video_id), updated_at = now(),"
            # a listing without ids (some feeds) cannot tell a moved video: the item keeps its state then
            " status = CASE WHEN EXCLUDED.video_id IS NULL OR youtube_download_items.video_id = EXCLUDED.video_id"
            "   THEN youtube_download_items.status ELSE 'queued' END",
            [(download_id, user_id, pos, vid, title) for pos, vid, title in entries],
        )
    positions = [pos for pos, _, _ in entries]
    conn.execute("DELETE FROM youtube_download_items WHERE download_id = %s AND NOT (position = ANY(%s))",
                 (download_id, positions))
    return True


def update_item(conn: psycopg.Connection[Any], download_id: object, position: int, **fields: Any) -> None:
    """Change one item: status, percent, downloaded_bytes, total_bytes, file_path, plex_rating_key, error."""
    allowed = {"status", "percent", "downloaded_bytes", "total_bytes", "file_path", "plex_rating_key", "error",
               "video_id", "title"}
    if not fields or not set(fields) <= allowed:
        raise ValueError(f"unknown item fields: {sorted(set(fields) - allowed)}")
    assignments = ", ".join(f"{name} = %s" for name in fields)
    conn.execute(f"UPDATE youtube_download_items SET {assignments}, updated_at = now()"
                 " WHERE download_id = %s AND position = %s", (*fields.values(), download_id, position))


def update_progress(conn: psycopg.Connection[Any], download_id: object, job_id: str, *, items_done: int,
                    bytes_done: int, bytes_total: int, item_finished: bool = False) -> bool:
    """Totals of a running download; False when this job no longer owns the download."""
    # a finished item proves the download moves again, so the count of crash recoveries in a row restarts
    cur = conn.execute(
        "UPDATE youtube_downloads SET items_done = %s, bytes_done = %s, bytes_total = %s, updated_at = now(),"
        " recoveries = CASE WHEN %s THEN 0 ELSE recoveries END"
        " WHERE id = %s AND job_id = %s AND status IN ('downloading', 'processing')",
        (items_done, bytes_done, bytes_total, item_finished, download_id, job_id),
    )
    return cur.rowcount == 1


def finish(conn: psycopg.Connection[Any], download_id: object, job_id: str | None, status: str, *,
           error: str | None = None, plex_collection_key: str | None = None) -> bool:
    """Move a download to `processing` or a final state; with `job_id`, only if that job still owns it."""
    if status not in ("processing", *FINISHED):
        raise ValueError(f"not a finishing status: {status}")
    job = "" if job_id is None else " AND job_id = %s"
    done = status in FINISHED
    cur = conn.execute(
        "UPDATE youtube_downloads SET status = %s, error = %s, updated_at = now(),"
        " plex_collection_key = coalesce(%s, plex_collection_key),"
        f" completed_at = CASE WHEN %s THEN now() ELSE completed_at END WHERE id = %s{job}"
        " AND status IN ('queued', 'downloading', 'processing')",
        (status, error, plex_collection_key, done, download_id, *(() if job_id is None else (job_id,))),
    )
    if done and cur.rowcount:
        # items that never finished share the download's fate
        item_status = "cancelled" if status == "cancelled" else "failed"
        conn.execute("UPDATE youtube_download_items SET status = %s, updated_at = now()"
                     " WHERE download_id = %s AND status IN ('queued', 'downloading', 'processing')",
                     (item_status, download_id))
    return cur.rowcount == 1


def requeue(conn: psycopg.Connection[Any], download_id: object, old_job_id: str | None, new_job_id: str, *,
            recovery: bool = False, note: str | None = None) -> bool:
    """Put a running download back in the queue under a new job (a checkpoint, or recovery from a dead worker)."""
    cur = conn.execute(
        "UPDATE youtube_downloads SET status = 'queued', job_id = %s, error = %s, updated_at = now(),"
        " recoveries = recoveries + %s WHERE id = %s AND job_id IS NOT DISTINCT FROM %s"
        " AND status IN ('queued', 'downloading', 'processing')",
        (new_job_id, note, 1 if recovery else 0, download_id, old_job_id),
    )
    if cur.rowcount:
        _reset_unfinished_items(conn, download_id, ("downloading", "processing"))
    return cur.rowcount == 1


def retry(conn: psycopg.Connection[Any], download_id: object, user_id: object | None, job_id: str) -> bool:
    """Queue a failed or cancelled download (or a completed one with failed items) again; finished items stay."""
    owner = "" if user_id is None else " AND d.user_id = %s"
    cur = conn.execute(
        "UPDATE youtube_downloads d SET status = 'queued', job_id = %s, error = NULL, completed_at = NULL,"
        " recoveries = 0, updated_at = now() WHERE d.id = %s AND (d.status IN ('failed', 'cancelled')"
        " OR (d.status = 'completed' AND EXISTS (SELECT 1 FROM youtube_download_items i"
        f"  WHERE i.download_id = d.id AND i.status = 'failed'))){owner}",
        (job_id, download_id, *(() if user_id is None else (user_id,))),
    )
    if cur.rowcount:
        _reset_unfinished_items(conn, download_id, ("failed", "cancelled", "downloading", "processing"))
    return cur.rowcount == 1


def _reset_unfinished_items(conn: psycopg.Connection[Any], download_id: object, states: Iterable[str]) -> None:
    conn.execute("UPDATE youtube_download_items SET status = 'queued', error = NULL, updated_at = now()"
                 " WHERE download_id = %s AND status = ANY(%s)", (download_id, list(states)))


def cancel_queued(conn: psycopg.Connection[Any], download_id: object) -> bool:
    """Cancel a download no worker has started; False when it is not (or no longer) queued."""
    return finish(conn, download_id, None, "cancelled") if _status(conn, download_id) == "queued" else False


def _status(conn: psycopg.Connection[Any], download_id: object) -> str | None:
    row = conn.execute("SELECT status FROM youtube_downloads WHERE id = %s FOR UPDATE", (download_id,)).fetchone()
    return None if row is None else row["status"]


def delete(conn: psycopg.Connection[Any], download_id: object) -> bool:
    """Remove a download and its items."""
    return conn.execute("DELETE FROM youtube_downloads WHERE id = %s", (download_id,)).rowcount == 1


def active(conn: psycopg.Connection[Any], idle_seconds: float) -> list[dict[str, Any]]:
    """Unfinished downloads whose row has not changed for `idle_seconds` (candidates for recovery)."""
    return conn.execute(
        f"SELECT {COLUMNS} {_FROM} WHERE d.status IN ('queued', 'downloading', 'processing')"
        " AND d.updated_at < now() - make_interval(secs => %s) ORDER BY d.created_at",
        (idle_seconds,),
    ).fetchall()


def count_by_status(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """How many downloads are in each state (the admin queue view)."""
    rows = conn.execute("SELECT status, count(*) AS n FROM youtube_downloads GROUP BY status").fetchall()
    return {row["status"]: int(row["n"]) for row in rows}


def files_elsewhere(conn: psycopg.Connection[Any], download_id: object, paths: Sequence[str]) -> set[str]:
    """Of `paths`, those another download still lists (deleting one download must not take them)."""
    rows = conn.execute(
        "SELECT DISTINCT file_path FROM youtube_download_items WHERE download_id <> %s AND file_path = ANY(%s)",
        (download_id, list(paths)),
    ).fetchall()
    return {row["file_path"] for row in rows}


def collection_shared(conn: psycopg.Connection[Any], download_id: object, collection_key: str) -> bool:
    """Whether another download also filled this Plex collection (deleting one must not remove it)."""
    row = conn.execute("SELECT 1 FROM youtube_downloads WHERE plex_collection_key = %s AND id <> %s LIMIT 1",
                       (collection_key, download_id)).fetchone()
    return row is not None
