"""AES-256-GCM sealing: round trip, tampering, associated data, key ids and rotation."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest

from medianest.config import Settings
from medianest.crypto import CryptoError, Sealer, aad
from medianest.store import sealed

K1 = ("k1", os.urandom(32))
K2 = ("k2", os.urandom(32))
ROOT = Path(__file__).resolve().parents[2]


def test_round_trip_and_fresh_nonce_each_time() -> None:
    sealer = Sealer([K1])
    data = aad("service_config.api_key_sealed", "overseerr")
    first, second = sealer.seal("api-key-123", data), sealer.seal("api-key-123", data)
    assert first != second  # random 96-bit nonce per seal
    assert first.startswith("mn1.k1.")
    assert "api-key-123" not in first
    assert sealer.open(first, data) == sealer.open(second, data) == "api-key-123"


def test_tampered_ciphertext_is_refused() -> None:
    sealer = Sealer([K1])
    data = aad("users.plex_token_sealed", "u1")
    envelope = sealer.seal("plex-token", data)
    raw = bytearray(base64.urlsafe_b64decode(envelope.split(".")[2] + "=="))
    raw[-1] ^= 1
    tampered = "mn1.k1." + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    with pytest.raises(CryptoError):
        sealer.open(tampered, data)
    with pytest.raises(CryptoError):
        sealer.open("mn1.k1.AAAA", data)
    with pytest.raises(CryptoError):
        sealer.open("garbage", data)


def test_value_moved_to_another_row_or_purpose_fails() -> None:
    sealer = Sealer([K1])
    envelope = sealer.seal("token", aad("users.plex_token_sealed", "alice"))
    with pytest.raises(CryptoError):
        sealer.open(envelope, aad("users.plex_token_sealed", "bob"))
    with pytest.raises(CryptoError):
        sealer.open(envelope, aad("users.server_token_sealed", "alice"))


def test_unknown_key_id_is_refused_and_old_keys_still_open() -> None:
    data = aad("app_settings.sealed", "x")
    old = Sealer([K1]).seal("secret", data)
    with pytest.raises(CryptoError, match="unknown key"):
        Sealer([K2]).open(old, data)
    rotated = Sealer([K2, K1])
    assert rotated.open(old, data) == "secret"
    assert rotated.needs_rotation(old)
    assert rotated.key_id(rotated.reseal(old, data)) == "k2"


def _keys_value(*keys: tuple[str, bytes]) -> str:
    return ",".join(f"{kid}:{base64.b64encode(key).decode()}" for kid, key in keys)


def test_rotate_keys_command_reseals_every_stored_secret(settings: Settings, db_conn: psycopg.Connection[Any],
                                                         make_user: Any) -> None:
    old = Sealer([K1])
    user = make_user()
    uid = user["id"]
    db_conn.execute("UPDATE users SET plex_token_sealed = %s, server_token_sealed = %s WHERE id = %s",
                    (old.seal("plex-1", sealed.USER_PLEX_TOKEN.aad(uid)),
                     old.seal("server-1", sealed.USER_SERVER_TOKEN.aad(uid)), uid))
    db_conn.execute("INSERT INTO service_config (name, url, api_key_sealed) VALUES ('overseerr', 'http://o', %s)",
                    (old.seal("ov-key", sealed.SERVICE_API_KEY.aad("overseerr")),))
    db_conn.execute("INSERT INTO app_settings (key, sealed) VALUES ('webhook_secret', %s)",
                    (old.seal("hook", sealed.APP_SETTING.aad("webhook_secret")),))
    env = {**os.environ, "DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url,
           "MEDIANEST_SECRET_KEY": settings.secret_key, "MEDIANEST_ENCRYPTION_KEYS": _keys_value(K2, K1),
           "MEDIANEST_PUBLIC_URL": settings.public_url, "MEDIA_ROOT": str(settings.media_root)}
    result = subprocess.run([sys.executable, "-m", "medianest.cli", "rotate-keys"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "users.plex_token_sealed: 1 re-sealed" in result.stdout
    new = Sealer([K2])  # the old key is gone: everything must open with the new one alone
    row = db_conn.execute("SELECT plex_token_sealed, server_token_sealed FROM users WHERE id = %s", (uid,)).fetchone()
    assert new.open(row["plex_token_sealed"], sealed.USER_PLEX_TOKEN.aad(uid)) == "plex-1"
    assert new.open(row["server_token_sealed"], sealed.USER_SERVER_TOKEN.aad(uid)) == "server-1"
    key = db_conn.execute("SELECT api_key_sealed FROM service_config WHERE name = 'overseerr'").fetchone()
    assert new.open(key["api_key_sealed"], sealed.SERVICE_API_KEY.aad("overseerr")) == "ov-key"
    hook = db_conn.execute("SELECT sealed FROM app_settings WHERE key = 'webhook_secret'").fetchone()
    assert new.open(hook["sealed"], sealed.APP_SETTING.aad("webhook_secret")) == "hook"
    # a second pass has nothing left to do
    with psycopg.connect(settings.database_url, row_factory=psycopg.rows.dict_row) as conn:
        assert set(sealed.rotate(conn, Sealer([K2, K1])).values()) == {0}
