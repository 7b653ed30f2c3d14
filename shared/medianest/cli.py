"""`medianest` command: migrate, rotate-keys, bootstrap, check-config, backup, restore.

Every command reads the settings first; a missing or bad one ends the command with one line naming it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from medianest.config import Settings, SettingsError, load_settings


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from medianest.db import migrate

    applied = migrate(settings.database_url)
    print(f"migrations applied: {', '.join(applied)}" if applied else "database is up to date")
    return 0


def _rotate_keys(settings: Settings, args: argparse.Namespace) -> int:
    from medianest.crypto import Sealer
    from medianest.db import get_database
    from medianest.store import sealed

    with get_database(settings.database_url).connection() as conn:
        counts = sealed.rotate(conn, Sealer(settings.encryption_keys))
    for purpose, changed in counts.items():
        print(f"{purpose}: {changed} re-sealed")
    return 0


def _bootstrap(settings: Settings, args: argparse.Namespace) -> int:
    from medianest.bootstrap import ensure_admin

    result = ensure_admin(settings)
    if result.created and result.generated_password:
        print(f"Created the local admin '{result.username}' with password: {result.generated_password}")
        print("This password is shown once. Set MEDIANEST_ADMIN_PASSWORD to choose your own.")
    elif result.created:
        print(f"Created the local admin '{result.username}' (password from MEDIANEST_ADMIN_PASSWORD).")
    else:
        print(f"The local admin '{result.username}' already exists.")
    return 0


def _check_config(settings: Settings, args: argparse.Namespace) -> int:
    print("settings ok")
    return 0


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    from medianest.backup import BackupError, backup

    try:
        summary = backup(settings.database_url, args.file)
    except BackupError as exc:
        print(f"medianest: {exc}", file=sys.stderr)
        return 1
    print(f"backup written to {summary.path}: {summary.rows} rows in {summary.tables} tables, "
          f"schema {summary.schema_version} (secrets still sealed: keep MEDIANEST_ENCRYPTION_KEYS)")
    return 0


def _restore(settings: Settings, args: argparse.Namespace) -> int:
    from medianest.backup import BackupError, restore

    try:
        summary = restore(settings.database_url, args.file, [kid for kid, _ in settings.encryption_keys])
    except BackupError as exc:
        print(f"medianest: {exc}", file=sys.stderr)
        return 1
    print(f"restored {summary.rows} rows in {summary.tables} tables from {summary.path} "
          f"(schema {summary.schema_version})")
    return 0


COMMANDS: dict[str, tuple[str, Callable[[Settings, argparse.Namespace], int]]] = {
    "migrate": ("apply pending database migrations", _migrate),
    "rotate-keys": ("re-seal every stored secret under the current encryption key", _rotate_keys),
    "bootstrap": ("create the local admin on first start", _bootstrap),
    "check-config": ("validate the settings and exit", _check_config),
    "backup": ("write the database (secrets still sealed) to FILE", _backup),
    "restore": ("replace the database's contents with the backup in FILE", _restore),
}
# Commands that take the backup file as their argument.
FILE_COMMANDS = ("backup", "restore")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="medianest", description="MediaNest administration")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, _) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text)
        if name in FILE_COMMANDS:
            command.add_argument("file", type=Path, help="the backup file")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"medianest: {exc}", file=sys.stderr)
        return 2
    return COMMANDS[args.command][1](settings, args)


if __name__ == "__main__":
    sys.exit(main())
