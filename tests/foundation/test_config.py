"""Settings: read when asked (not at import), secret files override the environment, one-line errors."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from medianest.config import SETTINGS, SettingsError, load_settings

KEY = base64.b64encode(b"k" * 32).decode()
VALID = {
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/medianest",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "MEDIANEST_SECRET_KEY": "s" * 40,
    "MEDIANEST_ENCRYPTION_KEYS": f"k1:{KEY}",
    "MEDIANEST_PUBLIC_URL": "https://media.example.org/",
    "MEDIA_ROOT": "/srv/media",
    "MEDIANEST_SECRETS_DIR": "/nonexistent",
}
ROOT = Path(__file__).resolve().parents[2]


def test_valid_environment_parses_with_defaults() -> None:
    settings = load_settings(environ=VALID)
    assert settings.public_url == "https://media.example.org"
    assert settings.secure_cookies is True
    assert settings.plextv_url == "https://plex.tv"
    assert settings.encryption_keys == (("k1", b"k" * 32),)
    assert settings.trusted_proxies == 0
    assert settings.admin_username == "admin"
    assert "s" * 40 not in repr(settings)


@pytest.mark.parametrize("name", [s.name for s in SETTINGS if s.required])
def test_missing_required_setting_names_it(name: str) -> None:
    env = {k: v for k, v in VALID.items() if k != name}
    with pytest.raises(SettingsError) as info:
        load_settings(environ=env)
    assert name in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL"),
        ("MEDIANEST_SECRET_KEY", "short", "at least 32"),
        ("MEDIANEST_ENCRYPTION_KEYS", "k1:notbase64!!", "base64"),
        ("MEDIANEST_ENCRYPTION_KEYS", f"k1:{base64.b64encode(b'x' * 16).decode()}", "32 bytes"),
        ("MEDIANEST_ENCRYPTION_KEYS", f"k1:{KEY},k1:{KEY}", "repeats"),
        ("MEDIANEST_PUBLIC_URL", "ftp://example.org", "MEDIANEST_PUBLIC_URL"),
        ("MEDIANEST_TRUSTED_PROXIES", "many", "whole number"),
        ("MEDIANEST_TRUSTED_PROXIES", "9", "between"),
        ("MEDIANEST_LOG_LEVEL", "LOUD", "MEDIANEST_LOG_LEVEL"),
    ],
)
def test_malformed_settings_are_refused_without_echoing_the_value(name: str, value: str, fragment: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(environ={**VALID, name: value})
    assert fragment in str(info.value)
    if "SECRET" in name or "KEYS" in name:
        assert value.split(":")[-1] not in str(info.value)


def test_secret_file_overrides_the_environment(tmp_path: Path) -> None:
    (tmp_path / "medianest-secret-key").write_text("f" * 48 + "\n")
    (tmp_path / "DATABASE_URL").write_text("postgresql://postgres@db:5432/fromfile")
    settings = load_settings(environ={**VALID, "MEDIANEST_SECRETS_DIR": str(tmp_path)})
    assert settings.secret_key == "f" * 48
    assert settings.database_url.endswith("/fromfile")


def test_required_setting_may_come_only_from_a_secret_file(tmp_path: Path) -> None:
    (tmp_path / "redis-url").write_text("redis://cache:6379/1")
    env = {k: v for k, v in VALID.items() if k != "REDIS_URL"}
    settings = load_settings(environ={**env, "MEDIANEST_SECRETS_DIR": str(tmp_path)})
    assert settings.redis_url == "redis://cache:6379/1"


def test_settings_are_not_read_at_import() -> None:
    """Importing every module with an empty environment must not fail or read settings."""
    code = ("import medianest.web, medianest.db, medianest.sessions, medianest.http, medianest.events, "
            "functions.dispatcher, functions.auth.app, functions.realtime.app")
    result = subprocess.run([sys.executable, "-c", code], env={"PATH": os.environ["PATH"]}, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_cli_reports_a_missing_setting_in_one_line() -> None:
    env = {"PATH": os.environ["PATH"], **{k: v for k, v in VALID.items() if k != "MEDIANEST_SECRET_KEY"}}
    result = subprocess.run([sys.executable, "-m", "medianest.cli", "check-config"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("medianest: missing required setting MEDIANEST_SECRET_KEY")


def test_readme_documents_every_setting_with_its_default() -> None:
    readme = (ROOT / "README.md").read_text()
    for setting in SETTINGS:
        row = re.search(rf"^\| `{setting.name}` \|(.*)$", readme, re.MULTILINE)
        assert row, f"README.md has no row for {setting.name}"
        if setting.default is not None:
            assert f"`{setting.default}`" in row.group(1), f"README.md row for {setting.name} lacks its default"
