"""media_requests and media_request_history: what people asked Overseerr for, and each status it went through."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg

COLUMNS = ("r.id, r.user_id, u.username, r.overseerr_id, r.tmdb_id, r.media_type, r.title, r.year, r.poster_path,"
           " r.seasons, r.status, r.created_at, r.updated_at")
FROM = "media_requests r JOIN users u ON u.id = r.user_id"
# A request in one of these may still change in Overseerr; the others are settled.
UNSETTLED = ("pending", "approved", "processing", "partially_available", "failed")
# Statuses that hold a title: another request for it would be a duplicate.
HOLDING = ("pending", "approved", "processing", "partially_available", "available")


def create(conn: psycopg.Connection[Any], *, user_id: object, overseerr_id: int | None, tmdb_id: int,
           media_type: str, title: str, year: int | None, poster_path: str | None, seasons: Sequence[int],
           status: str) -> dict[str, Any]:
    """Record a request Overseerr accepted."""
    row = conn.execute(
        "INSERT INTO media_requests (user_id, overseerr_id, tmdb_id, media_type, title, year, poster_path, seasons,"
        " status) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (user_id, overseerr_id, tmdb_id, media_type, title, year, poster_path, list(seasons), status),
    ).fetchone()
    return get(conn, row["id"])  # type: ignore[return-value]


def get(conn: psycopg.Connection[Any], request_id: object) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {COLUMNS} FROM {FROM} WHERE r.id = %s", (request_id,)).fetchone()


def get_by_overseerr_id(conn: psycopg.Connection[Any], overseerr_id: int) -> dict[str, Any] | None:
    """The request Overseerr knows by this id (what its webhooks name)."""
    return conn.execute(f"SELECT {COLUMNS} FROM {FROM} WHERE r.overseerr_id = %s", (overseerr_id,)).fetchone()


def lock(conn: psycopg.Connection[Any], request_id: object) -> dict[str, Any] | None:
    """Re-read a request and hold it until the transaction ends (status changes are serialised)."""
    return conn.execute(f"SELECT {COLUMNS} FROM {FROM} WHERE r.id = %s FOR UPDATE OF r", (request_id,)).fetchone()


def _filters(user_id: object | None, status: str | None) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if user_id is not None:
        clauses.append("r.user_id = %s")
        params.append(user_id)
    if status is not None:
        clauses.append("r.status = %s")
        params.append(status)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def list_requests(conn: psycopg.Connection[Any], *, user_id: object | None = None, status: str | None = None,
                  offset: int = 0, limit: int = 50) -> list[dict[str, Any]]:
    """Requests newest first; one user's when `user_id` is given."""
    where, params = _filters(user_id, status)
    return conn.execute(
        f"SELECT {COLUMNS} FROM {FROM}{where} ORDER BY r.created_at DESC, r.id LIMIT %s OFFSET %s",
        (*params, limit, offset),
    ).fetchall()


def count(conn: psycopg.Connection[Any], *, user_id: object | None = None, status: str | None = None) -> int:
    where, params = _filters(user_id, status)
    row = conn.execute(f"SELECT count(*) AS n FROM media_requests r{where}", params).fetchone()
    return int(row["n"]) if row else 0


def holding_title(conn: psycopg.Connection[Any], media_type: str, tmdb_id: int) -> list[dict[str, Any]]:
    """Requests (anyone's) that already hold this title: not declined, not failed."""
    return conn.execute(
        f"SELECT {COLUMNS} FROM {FROM} WHERE r.media_type = %s AND r.tmdb_id = %s AND r.status = ANY(%s)"
        " ORDER BY r.created_at",
        (media_type, tmdb_id, list(HOLDING)),
    ).fetchall()


def open_for_title(conn: psycopg.Connection[Any], media_type: str, tmdb_id: int) -> list[dict[str, Any]]:
    """Requests for this title still waiting for it (what Plex's `library.new` can settle)."""
    return conn.execute(
        f"SELECT {COLUMNS} FROM {FROM} WHERE r.media_type = %s AND r.tmdb_id = %s AND r.status = ANY(%s)"
        " ORDER BY r.created_at",
        (media_type, tmdb_id, [s for s in UNSETTLED if s != "failed"]),
    ).fetchall()


def quota_usage(conn: psycopg.Connection[Any], user_id: object, media_type: str,
                since: datetime) -> list[dict[str, Any]]:
    """A user's requests of one kind since `since` (declined ones do not count), oldest first, with `units`."""
    return conn.execute(
        "SELECT created_at, CASE WHEN media_type = 'tv' THEN greatest(cardinality(seasons), 1) ELSE 1 END AS units"
        " FROM media_requests WHERE user_id = %s AND media_type = %s AND created_at >= %s AND status <> 'declined'"
        " ORDER BY created_at",
        (user_id, media_type, since),
    ).fetchall()


def set_status(conn: psycopg.Connection[Any], request_id: object, status: str) -> None:
    conn.execute("UPDATE media_requests SET status = %s, updated_at = now() WHERE id = %s", (status, request_id))


def delivery_seen(conn: psycopg.Connection[Any], request_id: object, delivery_id: str) -> bool:
    """True when this webhook delivery was already applied to the request."""
    return conn.execute(
        "SELECT 1 FROM media_request_history WHERE request_id = %s AND delivery_id = %s", (request_id, delivery_id)
    ).fetchone() is not None


def add_history(conn: psycopg.Connection[Any], request_id: object, status: str, source: str, *,
                actor_id: object | None = None, note: str | None = None,
                delivery_id: str | None = None) -> dict[str, Any] | None:
    """One history row; None when the same delivery was recorded before (the unique index says so)."""
    return conn.execute(
        "INSERT INTO media_request_history (request_id, status, source, actor_id, note, delivery_id)"
        " VALUES (%s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (request_id, delivery_id) WHERE delivery_id IS NOT NULL DO NOTHING"
        " RETURNING id, status, source, actor_id, note, created_at",
        (request_id, status, source, actor_id, note, delivery_id),
    ).fetchone()


def history(conn: psycopg.Connection[Any], request_id: object) -> list[dict[str, Any]]:
    """A request's status changes, oldest first."""
    return conn.execute(
        "SELECT status, source, note, created_at FROM media_request_history WHERE request_id = %s"
        " ORDER BY created_at, id",
        (request_id,),
    ).fetchall()


def delete(conn: psycopg.Connection[Any], request_id: object) -> bool:
    return conn.execute("DELETE FROM media_requests WHERE id = %s", (request_id,)).rowcount > 0


def unsettled(conn: psycopg.Connection[Any], limit: int = 200) -> list[dict[str, Any]]:
    """Requests Overseerr may have moved on since we last heard, least recently updated first."""
    return conn.execute(
        f"SELECT {COLUMNS} FROM {FROM} WHERE r.overseerr_id IS NOT NULL AND r.status = ANY(%s)"
        " ORDER BY r.updated_at, r.id LIMIT %s",
        (list(UNSETTLED), limit),
    ).fetchall()
