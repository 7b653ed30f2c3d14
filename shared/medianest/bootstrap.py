"""First start: the local admin account exists (password from settings, else generated and shown once)."""

from __future__ import annotations

from dataclasses import dataclass

from medianest.config import Settings
from medianest.db import get_database
from medianest.passwords import generate_password, hash_password
from medianest.store import audit, users


@dataclass(frozen=True)
class BootstrapResult:
    username: str
    created: bool
    generated_password: str | None  # shown once, never stored in clear


def ensure_admin(settings: Settings) -> BootstrapResult:
    password = settings.admin_password or generate_password()
    db = get_database(settings.database_url)
    with db.connection() as conn:
        row = users.create_local_admin(conn, settings.admin_username, hash_password(password))
        if row is None:
            return BootstrapResult(settings.admin_username, False, None)
        audit.record(conn, None, "admin.bootstrap", "user", row["id"], {"username": settings.admin_username})
    return BootstrapResult(settings.admin_username, True, None if settings.admin_password else password)
