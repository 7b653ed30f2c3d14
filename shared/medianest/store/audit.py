"""audit_log: who changed what, for admin actions."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb


def record(
    conn: psycopg.Connection[Any],
    actor_id: object | None,
    action: str,
    target_type: str | None = None,
    target_id: object | None = None,
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO audit_log (actor_id, action, target_type, target_id, details, ip)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (actor_id, action, target_type, None if target_id is None else str(target_id), Jsonb(details or {}), ip),
    )


def recent(conn: psycopg.Connection[Any], limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT a.id, a.actor_id, u.username AS actor, a.action, a.target_type, a.target_id, a.details,"
        " host(a.ip) AS ip, a.created_at FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
        " ORDER BY a.created_at DESC, a.id DESC LIMIT %s OFFSET %s",
        (limit, offset),
    ).fetchall()


def count(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT count(*) AS n FROM audit_log").fetchone()
    return int(row["n"]) if row else 0
