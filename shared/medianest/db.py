"""PostgreSQL access: one psycopg connection pool per process, and the migrations runner.

Views and jobs borrow a connection with `with get_db().connection() as conn:`; the block commits on
success and rolls back on an exception. SQL itself lives only in `medianest.store`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any fixed 64-bit number, shared by every process that migrates this database.
MIGRATION_LOCK_ID = 0x4D4E_4D49_4752  # "MNMIGR"

DatabaseUnavailable = (psycopg.OperationalError, PoolTimeout)


class Database:
    """A lazily opened connection pool; connections are checked before use so a restarted server heals."""

    def __init__(self, url: str, size: int = 5, timeout: float = 5.0) -> None:
        self.url = url
        self.timeout = timeout
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=size,
            open=False,
            timeout=timeout,
            check=ConnectionPool.check_connection,
            kwargs={"row_factory": dict_row, "connect_timeout": 3},
            name="medianest",
        )
        self._opened = False
        self._lock = threading.Lock()

    def _ensure_open(self) -> None:
        if not self._opened:
            with self._lock:
                if not self._opened:
                    self.pool.open(wait=False)
                    self._opened = True

    @contextmanager
    def connection(self, timeout: float | None = None) -> Iterator[psycopg.Connection[Any]]:
        self._ensure_open()
        with self.pool.connection(timeout=timeout or self.timeout) as conn:
            yield conn

    def ping(self, timeout: float = 2.0) -> None:
        """Run a real query; raises a DatabaseUnavailable error when PostgreSQL does not answer."""
        with self.connection(timeout=timeout) as conn:
            conn.execute("SELECT 1").fetchone()

    def close(self) -> None:
        if self._opened:
            self.pool.close()
            self._opened = False


_databases: dict[str, Database] = {}
_registry_lock = threading.Lock()


def get_database(url: str, size: int = 5) -> Database:
    """The process-wide pool for `url` (functions mounted together share one)."""
    with _registry_lock:
        db = _databases.get(url)
        if db is None:
            db = _databases[url] = Database(url, size=size)
        return db


def close_all() -> None:
    with _registry_lock:
        for db in _databases.values():
            db.close()
        _databases.clear()


def _yoyo_url(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"postgresql+psycopg://{rest}" if scheme in ("postgres", "postgresql") else url


def migrate(url: str, migrations_dir: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations in order, each in its own transaction; returns the ids applied.

    A PostgreSQL advisory lock serialises concurrent runs (several containers starting at once), so the
    second runner waits and then finds nothing left to do.
    """
    from yoyo import get_backend, read_migrations

    with psycopg.connect(url, autocommit=True) as lock_conn:
        lock_conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_ID,))
        try:
            backend = get_backend(_yoyo_url(url), migration_table="schema_migrations")
            try:
                pending = backend.to_apply(read_migrations(str(migrations_dir)))
                backend.apply_migrations(pending)
                applied = [m.id for m in pending]
            finally:
                backend.connection.close()
        finally:
            lock_conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_ID,))
    if applied:
        log.info("migrations applied", extra={"migrations": applied})
    return applied
