"""Migrations: fresh, re-run, concurrent runners, and the constraints the schema promises."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from medianest import devstack
from medianest.db import MIGRATIONS_DIR, migrate

ALL_MIGRATIONS = sorted(p.stem for p in MIGRATIONS_DIR.glob("*.sql"))
EXPECTED_TABLES = {"users", "media_requests", "media_request_history", "youtube_downloads",
                   "youtube_download_items", "service_config", "app_settings", "notifications", "audit_log",
                   "service_checks"}


@pytest.fixture
def empty_database(pg_admin_url: str) -> Iterator[str]:
    name = f"medianest_mig_{secrets.token_hex(5)}"
    url = devstack.create_database(pg_admin_url, name)
    yield url
    devstack.drop_database(pg_admin_url, name)


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return {r[0] for r in rows}


def test_fresh_database_gets_every_table_and_a_rerun_does_nothing(empty_database: str) -> None:
    assert migrate(empty_database) == ALL_MIGRATIONS
    assert _tables(empty_database) >= EXPECTED_TABLES
    assert migrate(empty_database) == []
    with psycopg.connect(empty_database) as conn:
        recorded = conn.execute("SELECT migration_id FROM schema_migrations").fetchall()
    assert sorted(r[0] for r in recorded) == ALL_MIGRATIONS


def test_concurrent_runners_apply_each_migration_once(empty_database: str) -> None:
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(migrate(empty_database))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert sorted(results, key=len) == [[], [], [], ALL_MIGRATIONS]


def test_a_failing_migration_leaves_nothing_half_applied(empty_database: str, tmp_path: Any) -> None:
    (tmp_path / "0001_initial.sql").write_text((MIGRATIONS_DIR / "0001_initial.sql").read_text())
    (tmp_path / "0002_broken.sql").write_text("CREATE TABLE half_done (id int);\nSELECT no_such_function();\n")
    with pytest.raises(psycopg.Error):
        migrate(empty_database, tmp_path)
    assert "half_done" not in _tables(empty_database)
    assert "users" in _tables(empty_database)


def test_download_items_cannot_belong_to_another_user(db_conn: psycopg.Connection[Any], make_user: Any) -> None:
    alice, bob = make_user(), make_user()
    download = db_conn.execute(
        "INSERT INTO youtube_downloads (user_id, url, quality) VALUES (%s, 'https://youtu.be/x', 'best') RETURNING id",
        (alice["id"],),
    ).fetchone()
    db_conn.execute("INSERT INTO youtube_download_items (download_id, user_id, position) VALUES (%s, %s, 1)",
                    (download["id"], alice["id"]))
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        db_conn.execute("INSERT INTO youtube_download_items (download_id, user_id, position) VALUES (%s, %s, 2)",
                        (download["id"], bob["id"]))


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        ("INSERT INTO users (username, role, password_hash) VALUES ('x', 'root', 'h')", ()),
        ("INSERT INTO users (username) VALUES ('nobody-without-login')", ()),
        ("INSERT INTO service_config (name, url) VALUES ('plex', 'file:///etc/passwd')", ()),
        ("INSERT INTO service_config (name, url) VALUES ('gopher', 'http://x')", ()),
    ],
)
def test_check_constraints_refuse_bad_rows(db_conn: psycopg.Connection[Any], sql: str, params: tuple) -> None:
    with pytest.raises(psycopg.errors.CheckViolation):
        db_conn.execute(sql, params)


def test_local_usernames_are_unique_regardless_of_case(db_conn: psycopg.Connection[Any]) -> None:
    db_conn.execute("INSERT INTO users (username, role, password_hash) VALUES ('Admin', 'admin', 'h')")
    with pytest.raises(psycopg.errors.UniqueViolation):
        db_conn.execute("INSERT INTO users (username, role, password_hash) VALUES ('admin', 'admin', 'h')")


def test_every_list_query_has_an_index(db_conn: psycopg.Connection[Any]) -> None:
    rows = db_conn.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'").fetchall()
    defs = "\n".join(r["indexdef"] for r in rows)
    for needle in ("media_requests USING btree (user_id, created_at DESC)",
                   "media_requests USING btree (status, created_at DESC)",
                   "youtube_downloads USING btree (user_id, created_at DESC)",
                   "youtube_downloads USING btree (status, created_at)",
                   "notifications USING btree (user_id, created_at DESC)",
                   "media_request_history USING btree (request_id, created_at)",
                   "audit_log USING btree (created_at DESC)",
                   "service_checks USING btree (service, checked_at DESC)"):
        assert needle in defs, needle
