"""`medianest backup FILE` and `medianest restore FILE`: the database, whole, in one gzip file.

The file is text lines: a JSON manifest (format, MediaNest version, creation time, the schema's migrations,
the tables with their columns and row counts, the key ids that sealed the stored secrets), then per table a
JSON header line followed by its rows in COPY text format (medianest.store.dump), then an end marker.
Stored secrets stay sealed: the backup holds no key and nothing is decrypted, so restoring needs the same
MEDIANEST_ENCRYPTION_KEYS. Redis (sessions, caches, queues) is not included: nothing there needs keeping.

A backup is one REPEATABLE READ snapshot, so it is consistent while the portal runs. A restore replaces every
table's rows in one transaction (all or nothing; running it twice gives the same result) and refuses a file
made at another schema version.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import psycopg

from medianest.db import migrate
from medianest.store import dump

FORMAT = "medianest-backup"
FORMAT_VERSION = 1


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    path: Path
    schema_version: str
    tables: int
    rows: int


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("medianest")
    except PackageNotFoundError:
        return "unknown"


def backup(database_url: str, path: Path) -> Summary:
    """Write the database to `path` (replaced atomically; readable by the owner only)."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    with psycopg.connect(database_url) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        dump.prepare_session(conn)
        migrations = dump.schema_version(conn)
        if not migrations:
            raise BackupError("the database has no MediaNest schema (run `medianest migrate` first)")
        tables = [{"name": t, "columns": dump.columns(conn, t), "rows": dump.count(conn, t)} for t in dump.tables(conn)]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "medianest_version": _version(),
            "created_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "schema_version": migrations[-1],
            "migrations": migrations,
            "tables": tables,
            "sealed_key_ids": sorted(dump.sealed_key_ids(conn)),
        }
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8", newline="\n") as out:
                out.write(json.dumps(manifest) + "\n")
                for table in tables:
                    out.write(json.dumps({"table": table["name"], "rows": table["rows"]}) + "\n")
                    written = 0
                    for line in dump.copy_out(conn, table["name"], table["columns"]):
                        out.write(line + "\n")
                        written += 1
                    if written != table["rows"]:  # cannot happen inside one snapshot; never write a bad file
                        raise BackupError(f"table {table['name']} changed while it was read")
                out.write(json.dumps({"end": True}) + "\n")
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return Summary(path, migrations[-1], len(tables), sum(t["rows"] for t in tables))


def read_manifest(path: Path) -> dict[str, Any]:
    with _open(path) as src:
        return _manifest(src)


def _open(path: Path) -> IO[str]:
    try:
        return gzip.open(path, "rt", encoding="utf-8", newline="\n")
    except FileNotFoundError:
        raise BackupError(f"no such backup file: {path}") from None


def _manifest(src: IO[str]) -> dict[str, Any]:
    try:
        manifest = json.loads(src.readline())
    except (OSError, EOFError, ValueError):
        raise BackupError("not a MediaNest backup (unreadable or not gzip)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not a MediaNest backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format {manifest.get('format_version')} is not supported by this version")
    return manifest


def _rows(src: IO[str], count: int, table: str) -> Iterator[str]:
    for _ in range(count):
        line = src.readline()
        if not line.endswith("\n"):
            raise BackupError(f"the backup ends in the middle of table {table} (truncated file?)")
        yield line[:-1]


def restore(database_url: str, path: Path, key_ids: list[str]) -> Summary:
    """Replace the database's rows with the backup's, in one transaction.

    An empty database is migrated first. `key_ids` are the ids of the configured encryption keys: a backup
    whose secrets were sealed with a key that is not configured is refused (those values could never open).
    """
    path = Path(path)
    manifest = read_manifest(path)
    missing = sorted(set(manifest["sealed_key_ids"]) - set(key_ids))
    if missing:
        raise BackupError(
            f"the backup's secrets are sealed with key id(s) {', '.join(missing)}, which MEDIANEST_ENCRYPTION_KEYS "
            "does not hold: add those keys (after the current one) and restore again")
    with psycopg.connect(database_url, autocommit=True) as conn:
        empty = not dump.schema_version(conn)
    if empty:
        migrate(database_url)
    try:
        return _restore(database_url, path, manifest)
    except (EOFError, OSError, ValueError) as exc:  # gzip damage, cut-off file, unreadable JSON
        raise BackupError(f"the backup file is damaged ({type(exc).__name__}); nothing was restored") from None


def _restore(database_url: str, path: Path, manifest: dict[str, Any]) -> Summary:
    with psycopg.connect(database_url) as conn, _open(path) as src:
        _manifest(src)
        dump.prepare_session(conn)
        conn.execute("SET lock_timeout = '30s'")  # a busy portal makes the restore fail, not hang
        current = dump.schema_version(conn)
        if current != manifest["migrations"]:
            raise BackupError(
                f"the backup was made at schema {manifest['schema_version']} (MediaNest "
                f"{manifest['medianest_version']}), the database is at {current[-1] if current else 'none'}: restore "
                "with the MediaNest version that made the backup, then upgrade")
        tables = manifest["tables"]
        expected = {t["name"]: t["columns"] for t in tables}
        actual = {name: dump.columns(conn, name) for name in dump.tables(conn)}
        if actual != expected:
            raise BackupError("the database's tables differ from the backup's at the same schema version "
                              "(changed by hand?); restore into a freshly migrated database")
        dump.truncate(conn, expected)
        for table in tables:
            header = json.loads(src.readline() or "{}")
            if header != {"table": table["name"], "rows": table["rows"]}:
                raise BackupError(f"the backup is damaged near table {table['name']}")
            loaded = dump.copy_in(conn, table["name"], table["columns"], _rows(src, table["rows"], table["name"]))
            if loaded != table["rows"]:
                raise BackupError(f"table {table['name']}: {loaded} rows loaded, {table['rows']} expected")
            dump.reset_sequences(conn, table["name"])
        if json.loads(src.readline() or "{}") != {"end": True}:
            raise BackupError("the backup has no end marker (truncated file?)")
    return Summary(path, manifest["schema_version"], len(tables), sum(t["rows"] for t in tables))
