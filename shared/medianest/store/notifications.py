"""notifications: what each user is told about their requests, downloads and the system."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

COLUMNS = "id, user_id, type, title, body, link, (read_at IS NOT NULL) AS read, read_at, created_at"


def create(conn: psycopg.Connection[Any], user_id: object, type_: str, title: str, body: str = "",
           link: str | None = None) -> dict[str, Any]:
    """Add one notification for `user_id`."""
    return conn.execute(
        f"INSERT INTO notifications (user_id, type, title, body, link) VALUES (%s, %s, %s, %s, %s)"
        f" RETURNING {COLUMNS}",
        (user_id, type_, title, body, link),
    ).fetchone()


def list_for_user(conn: psycopg.Connection[Any], user_id: object, *, unread_only: bool = False,
                  limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """A user's notifications, newest first."""
    unread = " AND read_at IS NULL" if unread_only else ""
    return conn.execute(
        f"SELECT {COLUMNS} FROM notifications WHERE user_id = %s{unread}"
        " ORDER BY created_at DESC, id LIMIT %s OFFSET %s",
        (user_id, limit, offset),
    ).fetchall()


def count_unread(conn: psycopg.Connection[Any], user_id: object) -> int:
    """How many of a user's notifications are unread."""
    row = conn.execute(
        "SELECT count(*) AS n FROM notifications WHERE user_id = %s AND read_at IS NULL", (user_id,)
    ).fetchone()
    return int(row["n"]) if row else 0


def mark_read(conn: psycopg.Connection[Any], user_id: object, ids: Sequence[object] | None = None) -> int:
    """Mark the user's notifications with these ids (all of them when `ids` is None) read; returns how many.

    Ids of other users' notifications are ignored by the `user_id` condition, never an error.
    """
    if ids is None:
        cur = conn.execute(
            "UPDATE notifications SET read_at = now() WHERE user_id = %s AND read_at IS NULL", (user_id,)
        )
    else:
        cur = conn.execute(
            "UPDATE notifications SET read_at = now()"
            " WHERE user_id = %s AND read_at IS NULL AND id = ANY(%s::uuid[])",
            (user_id, [str(i) for i in ids]),
        )
    return cur.rowcount
