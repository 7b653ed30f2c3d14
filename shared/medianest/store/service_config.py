"""service_config: one row per outside service (URL, sealed API key, options; Plex's machineIdentifier)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb


def get(conn: psycopg.Connection[Any], name: str) -> dict[str, Any] | None:
    """The row for service `name` (its API key still sealed), or None when it was never configured."""
    return conn.execute(
        "SELECT name, url, api_key_sealed, enabled, options, machine_identifier, updated_at, updated_by"
        " FROM service_config WHERE name = %s",
        (name,),
    ).fetchone()


def linked_plex_server(conn: psycopg.Connection[Any]) -> str | None:
    """The machineIdentifier of the linked Plex server, or None before one is linked."""
    row = conn.execute(
        "SELECT machine_identifier FROM service_config WHERE name = 'plex' AND machine_identifier IS NOT NULL"
        " AND machine_identifier <> ''",
    ).fetchone()
    return None if row is None else row["machine_identifier"]


def list_all(conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT name, url, api_key_sealed, enabled, options, machine_identifier, updated_at, updated_by"
        " FROM service_config ORDER BY name"
    ).fetchall()


KEEP = object()  # `api_key_sealed=KEEP` leaves the stored key as it is


def upsert(
    conn: psycopg.Connection[Any],
    name: str,
    *,
    url: str | None,
    enabled: bool,
    options: dict[str, Any],
    updated_by: object | None,
    api_key_sealed: Any = KEEP,
    machine_identifier: Any = KEEP,
) -> dict[str, Any]:
    """Create or replace a service's settings; the key and machine id change only when given."""
    keep_key = api_key_sealed is KEEP
    keep_machine = machine_identifier is KEEP
    return conn.execute(
        "INSERT INTO service_config (name, url, enabled, options, updated_by, api_key_sealed, machine_identifier)"
        " VALUES (%(name)s, %(url)s, %(enabled)s, %(options)s, %(by)s, %(key)s, %(machine)s)"
        " ON CONFLICT (name) DO UPDATE SET url = EXCLUDED.url, enabled = EXCLUDED.enabled,"
        " options = EXCLUDED.options, updated_by = EXCLUDED.updated_by, updated_at = now(),"
        " api_key_sealed = CASE WHEN %(keep_key)s THEN service_config.api_key_sealed ELSE EXCLUDED.api_key_sealed END,"
        " machine_identifier = CASE WHEN %(keep_machine)s THEN service_config.machine_identifier"
        " ELSE EXCLUDED.machine_identifier END"
        " RETURNING name, url, api_key_sealed, enabled, options, machine_identifier, updated_at, updated_by",
        {"name": name, "url": url, "enabled": enabled, "options": Jsonb(options), "by": updated_by,
         "key": None if keep_key else api_key_sealed, "machine": None if keep_machine else machine_identifier,
         "keep_key": keep_key, "keep_machine": keep_machine},
    ).fetchone()
