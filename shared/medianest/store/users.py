"""users: local and Plex accounts."""

from __future__ import annotations

from typing import Any

import psycopg

PUBLIC_COLUMNS = (
    "id, plex_id, username, email, thumb, role, status, created_at, updated_at, last_login_at,"
    " (password_hash IS NOT NULL) AS is_local"
)


def get(conn: psycopg.Connection[Any], user_id: object) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {PUBLIC_COLUMNS} FROM users WHERE id = %s", (user_id,)).fetchone()


def get_local_by_username(conn: psycopg.Connection[Any], username: str) -> dict[str, Any] | None:
    return conn.execute(
        f"SELECT {PUBLIC_COLUMNS}, password_hash FROM users WHERE plex_id IS NULL AND lower(username) = lower(%s)",
        (username,),
    ).fetchone()


def create_local_admin(conn: psycopg.Connection[Any], username: str, password_hash: str) -> dict[str, Any] | None:
    """Insert the bootstrap admin unless a local account of that name exists; returns the new row or None."""
    return conn.execute(
        "INSERT INTO users (username, role, password_hash) VALUES (%s, 'admin', %s)"
        f" ON CONFLICT DO NOTHING RETURNING {PUBLIC_COLUMNS}",
        (username, password_hash),
    ).fetchone()


def count_active_admins(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT count(*) AS n FROM users WHERE role = 'admin' AND status = 'active'").fetchone()
    return int(row["n"]) if row else 0


def get_by_plex_id(conn: psycopg.Connection[Any], plex_id: int, *, for_update: bool = False) -> dict[str, Any] | None:
    """The account of this plex.tv id; `for_update` locks it until the transaction ends."""
    lock = " FOR UPDATE" if for_update else ""
    return conn.execute(f"SELECT {PUBLIC_COLUMNS} FROM users WHERE plex_id = %s{lock}", (plex_id,)).fetchone()


def upsert_plex_sign_in(conn: psycopg.Connection[Any], *, plex_id: int, plex_uuid: str | None, username: str,
                        email: str | None, thumb: str | None, owner: bool) -> dict[str, Any]:
    """Create or refresh a Plex account at sign-in and stamp `last_login_at`.

    The server's owner is always an admin; anyone else keeps the role an admin gave them (new: `user`).
    """
    return conn.execute(
        "INSERT INTO users (plex_id, plex_uuid, username, email, thumb, role, last_login_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, now())"
        " ON CONFLICT (plex_id) DO UPDATE SET plex_uuid = EXCLUDED.plex_uuid, username = EXCLUDED.username,"
        " email = EXCLUDED.email, thumb = EXCLUDED.thumb,"
        " role = CASE WHEN EXCLUDED.role = 'admin' THEN 'admin' ELSE users.role END,"
        " last_login_at = now(), updated_at = now()"
        f" RETURNING {PUBLIC_COLUMNS}",
        (plex_id, plex_uuid, username, email, thumb, "admin" if owner else "user"),
    ).fetchone()


def import_plex_user(conn: psycopg.Connection[Any], *, plex_id: int, username: str, email: str | None,
                     thumb: str | None) -> tuple[dict[str, Any], bool]:
    """Add (or refresh the profile of) a shared user before their first sign-in; returns (row, created).

    Role and status are left alone for existing accounts: an import never undoes an admin's decision.
    """
    row = conn.execute(
        "INSERT INTO users (plex_id, username, email, thumb) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (plex_id) DO UPDATE SET username = EXCLUDED.username, email = EXCLUDED.email,"
        " thumb = EXCLUDED.thumb, updated_at = now()"
        f" RETURNING {PUBLIC_COLUMNS}, (xmax = 0) AS created",
        (plex_id, username, email, thumb),
    ).fetchone()
    created = bool(row.pop("created"))
    return row, created


def set_plex_tokens(conn: psycopg.Connection[Any], user_id: object, plex_token_sealed: str,
                    server_token_sealed: str | None) -> None:
    """Store the (already sealed) plex.tv token and server access token of an account."""
    conn.execute(
        "UPDATE users SET plex_token_sealed = %s, server_token_sealed = %s, updated_at = now() WHERE id = %s",
        (plex_token_sealed, server_token_sealed, user_id),
    )


def record_login(conn: psycopg.Connection[Any], user_id: object) -> dict[str, Any] | None:
    """Stamp `last_login_at` and return the account."""
    return conn.execute(
        f"UPDATE users SET last_login_at = now() WHERE id = %s RETURNING {PUBLIC_COLUMNS}", (user_id,)
    ).fetchone()


def list_with_counts(conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    """Every account with how many media requests and downloads it made (the admin's users page)."""
    return conn.execute(
        f"SELECT {PUBLIC_COLUMNS},"
        " (SELECT count(*) FROM media_requests r WHERE r.user_id = users.id) AS request_count,"
        " (SELECT count(*) FROM youtube_downloads d WHERE d.user_id = users.id) AS download_count"
        " FROM users ORDER BY (role = 'admin') DESC, lower(username), id"
    ).fetchall()


def get_for_update(conn: psycopg.Connection[Any], user_id: object) -> dict[str, Any] | None:
    """The account, locked until the transaction ends."""
    return conn.execute(f"SELECT {PUBLIC_COLUMNS} FROM users WHERE id = %s FOR UPDATE", (user_id,)).fetchone()


def lock_active_admins(conn: psycopg.Connection[Any]) -> list[object]:
    """Lock every active admin row and return their ids, so two admins demoting each other at once
    cannot both succeed and leave nobody in charge."""
    rows = conn.execute(
        "SELECT id FROM users WHERE role = 'admin' AND status = 'active' ORDER BY id FOR UPDATE"
    ).fetchall()
    return [row["id"] for row in rows]


def update_role_status(conn: psycopg.Connection[Any], user_id: object, role: str, status: str) -> dict[str, Any]:
    """Set an account's role and status."""
    return conn.execute(
        f"UPDATE users SET role = %s, status = %s, updated_at = now() WHERE id = %s RETURNING {PUBLIC_COLUMNS}",
        (role, status, user_id),
    ).fetchone()


def get_status(conn: psycopg.Connection[Any], user_id: object) -> str | None:
    """`active`, `disabled`, or None when the account is gone."""
    row = conn.execute("SELECT status FROM users WHERE id = %s", (user_id,)).fetchone()
    return None if row is None else row["status"]


def list_active_admins(conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    return conn.execute(f"SELECT {PUBLIC_COLUMNS} FROM users WHERE role = 'admin' AND status = 'active'").fetchall()


def name_is_shared(conn: psycopg.Connection[Any], user_id: object, username: str) -> bool:
    """Whether another account has this name, ignoring case (download folders are named after users)."""
    row = conn.execute("SELECT 1 FROM users WHERE lower(username) = lower(%s) AND id <> %s LIMIT 1",
                       (username, user_id)).fetchone()
    return row is not None
