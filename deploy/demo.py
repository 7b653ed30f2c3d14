"""`make demo`: the fakes of every outside service, and MediaNest's service settings pointed at them.

The fakes run as threads of the runner process, so they live exactly as long as the portal does.
"""

from __future__ import annotations

import json
from pathlib import Path

from fakes import accounts
from fakes.overseerr.app import OVERSEERR_API_KEY
from fakes.stack import FakeStack, start_all
from medianest import integrations, webhook_secrets
from medianest.config import Settings
from medianest.crypto import Sealer
from medianest.db import get_database
from medianest.store import sealed, service_config

YOUTUBE_SPEED = 400_000  # bytes per second: slow enough that progress bars visibly move


def start_fakes(media_root: Path, state_dir: Path) -> FakeStack:
    stack = start_all(media_root, youtube_speed=YOUTUBE_SPEED)
    (state_dir / "fakes.json").write_text(json.dumps(stack.describe(), indent=2))
    return stack


def configure(settings: Settings, stack: FakeStack) -> None:
    """Point Plex, Overseerr, Uptime Kuma and the download allowlist at the fakes (idempotent)."""
    sealer = Sealer(settings.encryption_keys)
    youtube = integrations.YoutubeOptions(
        allowed_hosts=[*integrations.DEFAULT_YOUTUBE_HOSTS, "127.0.0.1"], hourly_quota=20).model_dump()
    rows = {
        "plex": (stack.plex.url, accounts.OWNER_TOKEN, {}, accounts.PLEX_MACHINE_ID),
        "overseerr": (stack.overseerr.url, OVERSEERR_API_KEY, {"quota_movies_per_week": 10}, None),
        "uptime_kuma": (stack.uptimekuma.url, None, {"slug": stack.uptimekuma.slug}, None),
        "youtube": (None, None, youtube, None),
    }
    with get_database(settings.database_url).connection() as conn:
        for name, (url, key, options, machine) in rows.items():
            extra = {"machine_identifier": machine} if machine else {}
            if key:
                extra["api_key_sealed"] = sealer.seal(key, sealed.SERVICE_API_KEY.aad(name))
            service_config.upsert(conn, name, url=url, enabled=True, options=options, updated_by=None, **extra)
        secrets = webhook_secrets.get(conn, sealer)
    stack.overseerr.configure_webhook(f"{settings.public_url}/api/v1/webhooks/overseerr", secrets.overseerr)


def instructions(settings: Settings, stack: FakeStack) -> str:
    youtube = stack.youtube.describe()
    return f"""
  Demo mode: every outside service is a fake on 127.0.0.1 (details in state/demo/fakes.json).
  Open {settings.public_url} and press "Sign in with Plex"; the fake Plex page lets you choose who signs in:
    owner   nestowner  -> admin (owns the server)
    friend  alice, bob -> users (the server is shared with them)
    stranger mallory   -> refused: no access to this server
  Download something: {youtube['demo_playlist']}
"""
