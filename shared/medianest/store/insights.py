"""Read-only aggregates over our own tables for the admin's insights page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg


def daily_active_users(conn: psycopg.Connection[Any], since: datetime) -> list[dict[str, Any]]:
    """People who signed in, requested or downloaded, per day."""
    return conn.execute(
        "SELECT day, count(DISTINCT user_id)::int AS users FROM ("
        " SELECT date_trunc('day', last_login_at) AS day, id AS user_id FROM users WHERE last_login_at >= %(s)s"
        " UNION ALL SELECT date_trunc('day', created_at), user_id FROM media_requests WHERE created_at >= %(s)s"
        " UNION ALL SELECT date_trunc('day', created_at), user_id FROM youtube_downloads WHERE created_at >= %(s)s"
        ") activity GROUP BY day ORDER BY day",
        {"s": since},
    ).fetchall()


def requests_per_day(conn: psycopg.Connection[Any], since: datetime) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT day, sum(submitted)::int AS submitted, sum(completed)::int AS completed FROM ("
        " SELECT date_trunc('day', created_at) AS day, 1 AS submitted, 0 AS completed"
        "  FROM media_requests WHERE created_at >= %(s)s"
        " UNION ALL SELECT date_trunc('day', created_at), 0, 1 FROM media_request_history"
        "  WHERE status = 'available' AND created_at >= %(s)s"
        ") r GROUP BY day ORDER BY day",
        {"s": since},
    ).fetchall()


def downloads_per_user(conn: psycopg.Connection[Any], since: datetime) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT u.id AS user_id, u.username, count(d.id)::int AS downloads,"
        " coalesce(sum(d.bytes_done), 0)::bigint AS bytes"
        " FROM youtube_downloads d JOIN users u ON u.id = d.user_id WHERE d.created_at >= %s"
        " GROUP BY u.id, u.username ORDER BY bytes DESC, downloads DESC",
        (since,),
    ).fetchall()


def queue_wait_per_day(conn: psycopg.Connection[Any], since: datetime) -> list[dict[str, Any]]:
    """Mean and worst seconds a download waited between submission and start."""
    return conn.execute(
        "SELECT date_trunc('day', created_at) AS day,"
        " round(avg(extract(epoch FROM started_at - created_at)))::int AS mean_seconds,"
        " round(max(extract(epoch FROM started_at - created_at)))::int AS max_seconds"
        " FROM youtube_downloads WHERE created_at >= %s AND started_at IS NOT NULL GROUP BY 1 ORDER BY 1",
        (since,),
    ).fetchall()
