"""service_checks: the health-check history behind sparklines, uptime and insights."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg


def record_many(conn: psycopg.Connection[Any], results: list[dict[str, Any]], checked_at: datetime) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO service_checks (service, status, response_ms, message, checked_at)"
            " VALUES (%(service)s, %(status)s, %(response_ms)s, %(message)s, %(checked_at)s)",
            [{**r, "checked_at": checked_at} for r in results],
        )


def history(conn: psycopg.Connection[Any], service: str, since: datetime, bucket_seconds: int) -> list[dict]:
    """One point per time bucket: the worst status in it and the mean response time."""
    return conn.execute(
        "SELECT to_timestamp(floor(extract(epoch FROM checked_at) / %(b)s) * %(b)s) AS at,"
        " (array_agg(status ORDER BY CASE status WHEN 'down' THEN 0 WHEN 'degraded' THEN 1 WHEN 'unknown' THEN 2"
        " WHEN 'up' THEN 3 ELSE 4 END))[1] AS status,"
        " round(avg(response_ms))::int AS response_ms"
        " FROM service_checks WHERE service = %(s)s AND checked_at >= %(since)s"
        " GROUP BY 1 ORDER BY 1",
        {"b": bucket_seconds, "s": service, "since": since},
    ).fetchall()


def uptime(conn: psycopg.Connection[Any], since: datetime) -> dict[str, float]:
    """Share of checks that were up (degraded counts as up: the service answered), per service."""
    rows = conn.execute(
        "SELECT service, avg(CASE WHEN status IN ('up', 'degraded') THEN 1.0 ELSE 0.0 END) AS ratio"
        " FROM service_checks WHERE checked_at >= %s AND status NOT IN ('disabled', 'unknown') GROUP BY service",
        (since,),
    ).fetchall()
    return {r["service"]: float(r["ratio"]) for r in rows}


def daily_availability(conn: psycopg.Connection[Any], since: datetime) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT service, date_trunc('day', checked_at) AS day,"
        " avg(CASE WHEN status IN ('up', 'degraded') THEN 1.0 ELSE 0.0 END)::float AS availability"
        " FROM service_checks WHERE checked_at >= %s AND status NOT IN ('disabled', 'unknown')"
        " GROUP BY 1, 2 ORDER BY 2, 1",
        (since,),
    ).fetchall()


def prune(conn: psycopg.Connection[Any], older_than: datetime, downsample_before: datetime) -> int:
    """Drop checks older than the retention window; keep one check in five beyond the first day."""
    deleted = conn.execute("DELETE FROM service_checks WHERE checked_at < %s", (older_than,)).rowcount
    deleted += conn.execute(
        "DELETE FROM service_checks WHERE checked_at < %s AND id %% 5 <> 0", (downsample_before,)
    ).rowcount
    return deleted
