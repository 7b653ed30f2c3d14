"""The columns that hold sealed secrets, and the key-rotation pass over them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from medianest.crypto import Sealer, aad


@dataclass(frozen=True)
class SealedColumn:
    table: str
    key_column: str
    column: str

    @property
    def purpose(self) -> str:
        return f"{self.table}.{self.column}"

    def aad(self, row_key: object) -> bytes:
        return aad(self.purpose, row_key)


USER_PLEX_TOKEN = SealedColumn("users", "id", "plex_token_sealed")
USER_SERVER_TOKEN = SealedColumn("users", "id", "server_token_sealed")
SERVICE_API_KEY = SealedColumn("service_config", "name", "api_key_sealed")
APP_SETTING = SealedColumn("app_settings", "key", "sealed")

SEALED_COLUMNS: tuple[SealedColumn, ...] = (USER_PLEX_TOKEN, USER_SERVER_TOKEN, SERVICE_API_KEY, APP_SETTING)


def rotate(conn: psycopg.Connection[Any], sealer: Sealer) -> dict[str, int]:
    """Re-seal every stored secret under the current key; returns how many values each column changed.

    Rows are locked as they are read, so a concurrent writer cannot slip an old-key value in between.
    """
    counts: dict[str, int] = {}
    for col in SEALED_COLUMNS:
        select = sql.SQL("SELECT {key}, {col} FROM {table} WHERE {col} IS NOT NULL FOR UPDATE").format(
            key=sql.Identifier(col.key_column), col=sql.Identifier(col.column), table=sql.Identifier(col.table)
        )
        update = sql.SQL("UPDATE {table} SET {col} = %s WHERE {key} = %s").format(
            key=sql.Identifier(col.key_column), col=sql.Identifier(col.column), table=sql.Identifier(col.table)
        )
        changed = 0
        for row in conn.execute(select).fetchall():
            row_key, envelope = row[col.key_column], row[col.column]
            if sealer.needs_rotation(envelope):
                conn.execute(update, (sealer.reseal(envelope, col.aad(row_key)), row_key))
                changed += 1
        counts[col.purpose] = changed
    return counts
