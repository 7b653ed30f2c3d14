"""The whole database, table by table, for `medianest backup` / `medianest restore` (medianest.backup).

Rows travel in PostgreSQL's own COPY text format, which round-trips every column type exactly (uuid, arrays,
jsonb, inet, timestamptz) — one row a line, newlines inside values escaped. Tables are discovered from the
catalog, so a table added by a later migration is carried without changes here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from medianest.store.sealed import SEALED_COLUMNS

# yoyo's bookkeeping: the schema version is recorded in the manifest instead.
MIGRATION_TABLES = frozenset({"schema_migrations", "_yoyo_log", "_yoyo_migration", "_yoyo_version", "yoyo_lock"})
# Settings that make COPY's text output the same whatever the server's or the role's defaults are.
SESSION_SETTINGS = (
    "SET TIME ZONE 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    "SET extra_float_digits = 3",
    "SET bytea_output = 'hex'",
    "SET client_encoding = 'UTF8'",
)


def _rows(conn: psycopg.Connection[Any], query: Any, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """Rows as dicts whatever row factory the caller's connection has."""
    with conn.cursor(row_factory=dict_row) as cursor:
        return cursor.execute(query, params).fetchall()


def prepare_session(conn: psycopg.Connection[Any]) -> None:
    for statement in SESSION_SETTINGS:
        conn.execute(statement)


def schema_version(conn: psycopg.Connection[Any]) -> list[str]:
    """The migrations applied to this database, in order ([] before the first migration)."""
    if not _rows(conn, "SELECT to_regclass('schema_migrations') IS NOT NULL AS present")[0]["present"]:
        return []
    return [row["migration_id"] for row in _rows(conn, "SELECT migration_id FROM schema_migrations ORDER BY 1")]


def tables(conn: psycopg.Connection[Any]) -> list[str]:
    """MediaNest's tables in the current schema, each after the tables its foreign keys point at."""
    rows = _rows(
        conn,
        "SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace"
        " AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname",
    )
    names = [row["relname"] for row in rows if row["relname"] not in MIGRATION_TABLES]
    edges = _rows(
        conn,
        "SELECT child.relname AS child, parent.relname AS parent FROM pg_constraint k"
        " JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid"
        " WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace",
    )
    parents: dict[str, set[str]] = {name: set() for name in names}
    for row in edges:
        child, parent = row["child"], row["parent"]
        if child in parents and parent in parents and child != parent:
            parents[child].add(parent)
    ordered: list[str] = []
    while parents:
        ready = sorted(name for name, needs in parents.items() if not needs - set(ordered))
        if not ready:  # a foreign-key cycle: keep the rest alphabetical (none exists in the schema today)
            ready = sorted(parents)
        for name in ready:
            ordered.append(name)
            del parents[name]
    return ordered


def columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    """Stored columns in table order (generated columns are computed again on restore)."""
    rows = _rows(
        conn,
        "SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = %s"
        " AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum",
        (table,),
    )
    return [row["attname"] for row in rows]


def count(conn: psycopg.Connection[Any], table: str) -> int:
    return int(_rows(conn, sql.SQL("SELECT count(*) AS n FROM {}").format(sql.Identifier(table)))[0]["n"])


def _copy(table: str, cols: list[str], direction: str) -> sql.Composed:
    return sql.SQL("COPY {table} ({cols}) " + direction).format(
        table=sql.Identifier(table), cols=sql.SQL(", ").join(sql.Identifier(c) for c in cols))


def copy_out(conn: psycopg.Connection[Any], table: str, cols: list[str]) -> Iterator[str]:
    """The table's rows as COPY text lines (without the newline)."""
    pending = b""
    with conn.cursor().copy(_copy(table, cols, "TO STDOUT")) as copy:
        for block in copy:
            pending += bytes(block)
            *lines, pending = pending.split(b"\n")
            for line in lines:
                yield line.decode("utf-8")
    if pending:
        yield pending.decode("utf-8")


def copy_in(conn: psycopg.Connection[Any], table: str, cols: list[str], lines: Iterable[str]) -> int:
    """Load COPY text lines into the table; returns the number of rows loaded."""
    with conn.cursor() as cursor:
        with cursor.copy(_copy(table, cols, "FROM STDIN")) as copy:
            for line in lines:
                copy.write(line.encode("utf-8") + b"\n")
        return cursor.rowcount


def truncate(conn: psycopg.Connection[Any], names: Iterable[str]) -> None:
    conn.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
        sql.SQL(", ").join(sql.Identifier(name) for name in names)))


def reset_sequences(conn: psycopg.Connection[Any], table: str) -> None:
    """Point identity and serial sequences past the restored ids (COPY does not advance them)."""
    rows = _rows(
        conn,
        "SELECT a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS seq FROM pg_attribute a"
        " JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = current_schema()::regnamespace"
        " AND c.relname = %s AND a.attnum > 0 AND NOT a.attisdropped",
        (table,),
    )
    for row in rows:
        if row["seq"]:
            conn.execute(
                sql.SQL("SELECT setval(%s, COALESCE((SELECT max({col}) FROM {table}), 0) + 1, false)").format(
                    col=sql.Identifier(row["attname"]), table=sql.Identifier(table)),
                (row["seq"],),
            )


def sealed_key_ids(conn: psycopg.Connection[Any]) -> set[str]:
    """The key ids named by the stored sealed values (`mn1.<key id>.<...>`); the values stay sealed."""
    found: set[str] = set()
    for col in SEALED_COLUMNS:
        query = sql.SQL("SELECT DISTINCT split_part({col}, '.', 2) AS kid FROM {table} WHERE {col} IS NOT NULL")
        found.update(row["kid"] for row in _rows(
            conn, query.format(col=sql.Identifier(col.column), table=sql.Identifier(col.table))))
    return found

