"""app_settings: per-installation values (plain JSON in `value`, or a sealed secret in `sealed`)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb


def get_value(conn: psycopg.Connection[Any], key: str) -> Any:
    """The plain value stored under `key`, or None."""
    row = conn.execute("SELECT value FROM app_settings WHERE key = %s", (key,)).fetchone()
    return None if row is None else row["value"]


def set_default(conn: psycopg.Connection[Any], key: str, value: Any) -> Any:
    """Store `value` under `key` unless a value is there already; returns whichever value is kept.

    Concurrent first calls race on the primary key: exactly one insert wins and every caller reads it.
    """
    conn.execute(
        "INSERT INTO app_settings (key, value) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
        (key, Jsonb(value)),
    )
    return get_value(conn, key)


def set_value(conn: psycopg.Connection[Any], key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO app_settings (key, value, sealed) VALUES (%s, %s, NULL)"
        " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, sealed = NULL, updated_at = now()",
        (key, Jsonb(value)),
    )


def get_sealed(conn: psycopg.Connection[Any], key: str) -> str | None:
    """The sealed envelope stored under `key` (open it with sealed.APP_SETTING.aad(key)), or None."""
    row = conn.execute("SELECT sealed FROM app_settings WHERE key = %s", (key,)).fetchone()
    return None if row is None else row["sealed"]


def set_sealed(conn: psycopg.Connection[Any], key: str, envelope: str, *, only_if_missing: bool = False) -> None:
    conflict = "NOTHING" if only_if_missing else "UPDATE SET sealed = EXCLUDED.sealed, value = NULL, updated_at = now()"
    conn.execute(
        f"INSERT INTO app_settings (key, sealed) VALUES (%s, %s) ON CONFLICT (key) DO {conflict}",
        (key, envelope),
    )
