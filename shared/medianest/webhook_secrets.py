"""The installation's webhook secrets: one in the Plex webhook path, one as Overseerr's Authorization value.

Generated on first use, stored sealed in `app_settings`, compared in constant time, rotated on request
(the old values stop working at once).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

import psycopg

from medianest.crypto import Sealer
from medianest.logs import redact
from medianest.store import app_settings, sealed

PLEX_KEY = "webhook_secret_plex"
OVERSEERR_KEY = "webhook_secret_overseerr"


@dataclass(frozen=True)
class WebhookSecrets:
    plex: str
    overseerr: str


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


def _load_or_create(conn: psycopg.Connection[Any], sealer: Sealer, key: str) -> str:
    envelope = app_settings.get_sealed(conn, key)
    if envelope is None:
        # concurrent first calls: one insert wins, everyone reads the winner
        app_settings.set_sealed(conn, key, sealer.seal(_new_secret(), sealed.APP_SETTING.aad(key)),
                                only_if_missing=True)
        envelope = app_settings.get_sealed(conn, key)
    value = sealer.open(envelope or "", sealed.APP_SETTING.aad(key))
    redact.register(value)
    return value


def get(conn: psycopg.Connection[Any], sealer: Sealer) -> WebhookSecrets:
    return WebhookSecrets(_load_or_create(conn, sealer, PLEX_KEY), _load_or_create(conn, sealer, OVERSEERR_KEY))


def rotate(conn: psycopg.Connection[Any], sealer: Sealer) -> WebhookSecrets:
    for key in (PLEX_KEY, OVERSEERR_KEY):
        app_settings.set_sealed(conn, key, sealer.seal(_new_secret(), sealed.APP_SETTING.aad(key)))
    return get(conn, sealer)


def matches(expected: str, presented: str | None) -> bool:
    """Constant-time comparison; an absent value never matches."""
    return bool(presented) and hmac.compare_digest(expected.encode(), (presented or "").encode())
