"""The periodic reconcile (run by the RQ worker): asks Overseerr about requests that may have moved on
and applies what changed, so a missed webhook delays an update by one round at most."""

from __future__ import annotations

import logging
from typing import Any

from functions.media.upstream import overseerr_from
from medianest import integrations
from medianest.config import Settings, load_settings
from medianest.crypto import Sealer
from medianest.db import get_database
from medianest.errors import ApiError
from medianest.http import UpstreamError
from medianest.redisconn import get_redis
from medianest.requests_lifecycle import apply_status, status_from_overseerr_request
from medianest.store import media_requests

log = logging.getLogger(__name__)
BATCH = 200  # requests asked about per round, least recently updated first


def reconcile(settings: Settings | None = None) -> dict[str, Any]:
    """One round; returns how many requests were checked and changed."""
    settings = settings or load_settings()
    db = get_database(settings.database_url, settings.db_pool_size)
    client_redis = get_redis(settings.redis_url)
    with db.connection() as conn:
        cfg = integrations.load(conn, Sealer(settings.encryption_keys), "overseerr")
        rows = media_requests.unsettled(conn, BATCH)
    try:
        client = overseerr_from(settings, cfg)
    except ApiError:
        return {"checked": 0, "changed": 0, "skipped": "overseerr is not configured"}
    checked = changed = 0
    for row in rows:
        try:
            found = client.get_request(row["overseerr_id"])
        except UpstreamError as exc:
            # the service is down or refusing us: the next round tries again
            log.warning("reconcile stopped: %s", exc.message)
            break
        checked += 1
        if found is None:
            continue  # removed in Overseerr; the row stays as it was last known
        status = status_from_overseerr_request(found, row["seasons"] or ())
        if status is None or status == row["status"]:
            continue
        with db.connection() as conn:
            if apply_status(conn, client_redis, row, status, "reconcile") is not None:
                changed += 1
    log.info("reconcile done", extra={"checked": checked, "changed": changed})
    return {"checked": checked, "changed": changed}
