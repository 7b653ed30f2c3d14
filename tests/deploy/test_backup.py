"""`medianest backup` / `medianest restore`: every table's rows come back exactly, secrets still sealed and
still opening with the same keys; restores are idempotent, all-or-nothing, and refuse a foreign schema."""

from __future__ import annotations

import gzip
import json
import secrets
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from medianest import devstack
from medianest.backup import BackupError, read_manifest, restore
from medianest.cli import main
from medianest.config import SETTINGS, Settings
from medianest.crypto import Sealer
from medianest.store import dump
from medianest.store.sealed import APP_SETTING, SERVICE_API_KEY, USER_PLEX_TOKEN, USER_SERVER_TOKEN
from tests.conftest import TABLES

# Values that stress COPY's escaping: newline, tab, backslash, quotes, non-ASCII, an empty string.
AWKWARD = 'line one\nline two\t"quoted" \\ back\\slash — Zoë 🎬'


def fill(conn: psycopg.Connection[Any], sealer: Sealer) -> dict[str, str]:
    """A row or more in every table; returns the plaintext of each sealed value by its place."""
    plain: dict[str, str] = {}
    admin = conn.execute("INSERT INTO users (username, role, password_hash) VALUES ('admin', 'admin', 'argon2$x')"
                         " RETURNING id").fetchone()[0]
    users = []
    for n in range(3):
        uid = conn.execute("INSERT INTO users (plex_id, plex_uuid, username, email, thumb, last_login_at)"
                           " VALUES (%s, %s, %s, %s, %s, now() - interval '1 day') RETURNING id",
                           (1000 + n, f"uuid-{n}", f"viewer {n} {AWKWARD if n == 0 else ''}", f"v{n}@example.org",
                            None if n else "")).fetchone()[0]
        token, server = f"plex-token-{n}-{secrets.token_hex(4)}", f"server-token-{n}"
        conn.execute("UPDATE users SET plex_token_sealed = %s, server_token_sealed = %s WHERE id = %s",
                     (sealer.seal(token, USER_PLEX_TOKEN.aad(uid)), sealer.seal(server, USER_SERVER_TOKEN.aad(uid)),
                      uid))
        plain[f"users.plex_token_sealed:{uid}"] = token
        plain[f"users.server_token_sealed:{uid}"] = server
        users.append(uid)
    for n, uid in enumerate(users):
        rid = conn.execute("INSERT INTO media_requests (user_id, overseerr_id, tmdb_id, media_type, title, year,"
                           " seasons, status) VALUES (%s, %s, %s, %s, %s, 2024, %s, 'approved') RETURNING id",
                           (uid, 50 + n, 600 + n, "tv" if n else "movie", f"Title {n} {AWKWARD}",
                            [1, 2] if n else [])).fetchone()[0]
        for status in ("pending", "approved"):
            conn.execute("INSERT INTO media_request_history (request_id, status, source, actor_id, note, delivery_id)"
                         " VALUES (%s, %s, 'webhook', %s, %s, %s)", (rid, status, admin, AWKWARD, f"d-{status}"))
        did = conn.execute("INSERT INTO youtube_downloads (user_id, url, title, kind, quality, collection, status,"
                           " items_total, items_done, bytes_total, bytes_done) VALUES (%s, %s, %s, 'playlist',"
                           " '720p', %s, 'completed', 2, 2, 123456789012, 123456789012) RETURNING id",
                           (uid, f"https://www.youtube.com/playlist?list=PL{n}", AWKWARD, f"Coll {n}")).fetchone()[0]
        for position in (1, 2):
            conn.execute("INSERT INTO youtube_download_items (download_id, user_id, position, video_id, title, status,"
                         " percent, downloaded_bytes, file_path) VALUES (%s, %s, %s, %s, %s, 'completed', 99.5,"
                         " 10, %s)", (did, uid, position, f"vid{position}", AWKWARD, f"/media/YouTube/{position}.mp4"))
        conn.execute("INSERT INTO notifications (user_id, type, title, body, link, read_at) VALUES"
                     " (%s, 'request', %s, %s, '/requests', CASE WHEN %s THEN now() END)",
                     (uid, f"Available {n}", AWKWARD, n % 2 == 0))
    api_key = "overseerr-api-key-" + secrets.token_hex(8)
    conn.execute("INSERT INTO service_config (name, url, api_key_sealed, options, machine_identifier, updated_by)"
                 " VALUES ('overseerr', 'http://overseerr:5055', %s, %s, NULL, %s),"
                 " ('plex', 'http://plex:32400', NULL, '{}', 'machine-1', NULL)",
                 (sealer.seal(api_key, SERVICE_API_KEY.aad("overseerr")), Jsonb({"nested": {"list": [1, "two"]}}),
                  admin))
    plain["service_config.api_key_sealed:overseerr"] = api_key
    hook = secrets.token_urlsafe(24)
    conn.execute("INSERT INTO app_settings (key, value, sealed) VALUES ('plextv.client_id', %s, NULL),"
                 " ('webhooks.plex_secret', NULL, %s)", (Jsonb("client-123"), sealer.seal(hook, APP_SETTING.aad(
                     "webhooks.plex_secret"))))
    plain["app_settings.sealed:webhooks.plex_secret"] = hook
    conn.execute("INSERT INTO audit_log (actor_id, action, target_type, target_id, details, ip) VALUES"
                 " (%s, 'service.update', 'service', 'overseerr', %s, '192.0.2.7'),"
                 " (NULL, 'user.disable', 'user', %s, '{}', '2001:db8::1')",
                 (admin, Jsonb({"changed": ["url"], "note": AWKWARD}), str(users[0])))
    conn.execute("INSERT INTO service_checks (service, status, response_ms, message) VALUES"
                 " ('plex', 'up', 12, NULL), ('overseerr', 'down', NULL, %s)", (AWKWARD,))
    return plain


def snapshot(url: str) -> dict[str, set[tuple[Any, ...]]]:
    def frozen(value: Any) -> Any:
        if isinstance(value, list | dict):
            return json.dumps(value, sort_keys=True, default=str)
        return value

    with psycopg.connect(url) as conn:
        return {table: {tuple(frozen(v) for v in row) for row in conn.execute(f"SELECT * FROM {table}")}  # noqa: S608
                for table in TABLES}


def sealed_values_open(url: str, sealer: Sealer, plain: dict[str, str]) -> None:
    with psycopg.connect(url) as conn:
        for place, expected in plain.items():
            purpose, row_key = place.split(":", 1)
            table, column = purpose.split(".")
            key_column = "name" if table == "service_config" else "key" if table == "app_settings" else "id"
            envelope = conn.execute(f"SELECT {column} FROM {table} WHERE {key_column}::text = %s",  # noqa: S608
                                    (row_key,)).fetchone()[0]
            assert envelope.startswith("mn1.")
            assert expected not in envelope
            assert sealer.open(envelope, f"{purpose}:{row_key}".encode()) == expected


def wipe(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The `medianest` command reads its settings from the environment, as in a container."""
    for s in SETTINGS:
        monkeypatch.delenv(s.name, raising=False)
    for name, value in settings.raw.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def filled(settings: Settings, database_url: str) -> dict[str, str]:
    with psycopg.connect(database_url) as conn:
        return fill(conn, Sealer(settings.encryption_keys))


def test_backup_wipe_restore_returns_every_row(database_url: str, settings: Settings, filled: dict[str, str],
                                               cli_env: None, tmp_path: Path, capsys) -> None:
    before = snapshot(database_url)
    assert all(before[table] for table in TABLES), [t for t in TABLES if not before[t]]
    file = tmp_path / "medianest.backup"
    assert main(["backup", str(file)]) == 0
    assert "backup written" in capsys.readouterr().out
    assert file.stat().st_mode & 0o077 == 0
    manifest = read_manifest(file)
    assert manifest["schema_version"] == manifest["migrations"][-1]
    assert manifest["created_at"].endswith("Z")
    assert manifest["medianest_version"]
    carried = {t["name"] for t in manifest["tables"]}
    assert carried >= set(TABLES)
    assert not carried & dump.MIGRATION_TABLES  # the schema version travels in the manifest instead
    assert manifest["sealed_key_ids"] == [settings.encryption_keys[0][0]]
    text = gzip.decompress(file.read_bytes()).decode()
    assert all(value not in text for value in filled.values())  # nothing was decrypted

    wipe(database_url)
    assert not any(snapshot(database_url).values())
    assert main(["restore", str(file)]) == 0
    assert snapshot(database_url) == before
    sealed_values_open(database_url, Sealer(settings.encryption_keys), filled)

    # again, over the restored rows: the same result; and new rows get fresh identity values
    assert main(["restore", str(file)]) == 0
    assert snapshot(database_url) == before
    with psycopg.connect(database_url) as conn:
        highest = conn.execute("SELECT max(id) FROM audit_log").fetchone()[0]
        new = conn.execute("INSERT INTO audit_log (action) VALUES ('after.restore') RETURNING id").fetchone()[0]
        assert new > highest


def test_restore_into_an_empty_database_migrates_it_first(database_url: str, pg_admin_url: str, settings: Settings,
                                                           filled: dict[str, str], tmp_path: Path) -> None:
    from medianest.backup import backup

    file = tmp_path / "b.gz"
    backup(database_url, file)
    name = f"medianest_restore_{secrets.token_hex(4)}"
    fresh = devstack.create_database(pg_admin_url, name)
    try:
        summary = restore(fresh, file, [kid for kid, _ in settings.encryption_keys])
        assert summary.rows == sum(len(rows) for rows in snapshot(database_url).values())
        assert snapshot(fresh) == snapshot(database_url)
        sealed_values_open(fresh, Sealer(settings.encryption_keys), filled)
    finally:
        devstack.drop_database(pg_admin_url, name)


def rewrite(source: Path, target: Path, change) -> None:
    lines = gzip.decompress(source.read_bytes()).decode().splitlines(keepends=True)
    target.write_bytes(gzip.compress("".join(change(lines)).encode()))


def test_restore_refuses_what_it_cannot_restore_faithfully(database_url: str, settings: Settings,
                                                            filled: dict[str, str], tmp_path: Path) -> None:
    from medianest.backup import backup

    file = tmp_path / "b.gz"
    backup(database_url, file)
    before = snapshot(database_url)
    kids = [kid for kid, _ in settings.encryption_keys]

    def future_schema(lines: list[str]) -> list[str]:
        manifest = json.loads(lines[0])
        manifest["migrations"].append("9999_future")
        manifest["schema_version"] = "9999_future"
        return [json.dumps(manifest) + "\n", *lines[1:]]

    rewrite(file, tmp_path / "future.gz", future_schema)
    with pytest.raises(BackupError, match=r"made at schema 9999_future.*then upgrade"):
        restore(database_url, tmp_path / "future.gz", kids)

    with pytest.raises(BackupError, match="key id"):
        restore(database_url, file, ["someotherkey"])

    # a file cut off in the middle of the rows: nothing changes (one transaction)
    rewrite(file, tmp_path / "cut.gz", lambda lines: lines[: len(lines) // 2])
    with pytest.raises(BackupError, match=r"truncated|damaged"):
        restore(database_url, tmp_path / "cut.gz", kids)
    (tmp_path / "garbage.gz").write_bytes(b"not a backup at all")
    with pytest.raises(BackupError, match="not a MediaNest backup"):
        restore(database_url, tmp_path / "garbage.gz", kids)
    assert snapshot(database_url) == before
