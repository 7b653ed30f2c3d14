"""Weekly request quotas: movies, and seasons of shows, per user over a rolling seven days."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from medianest.errors import ApiError
from medianest.integrations import OverseerrOptions
from medianest.store import media_requests

WEEK = timedelta(days=7)


def _resets_at(usage: list[dict[str, Any]], used: int, units: int, limit: int) -> datetime | None:
    """When enough of the window's requests age out for `units` more; None when `units` alone is too many."""
    if units > limit:
        return None
    freed = 0
    for row in usage:
        freed += row["units"]
        if used - freed + units <= limit:
            return row["created_at"] + WEEK
    return None


def check(conn: psycopg.Connection[Any], user_id: object, media_type: str, units: int, options: OverseerrOptions,
          now: datetime | None = None) -> None:
    """Raise 429 `quota_exceeded` (saying when it resets) when `units` more would pass the user's quota."""
    limit = options.quota_movies_per_week if media_type == "movie" else options.quota_seasons_per_week
    if limit is None:
        return
    now = now or datetime.now(UTC)
    usage = media_requests.quota_usage(conn, user_id, media_type, now - WEEK)
    used = sum(row["units"] for row in usage)
    if used + units <= limit:
        return
    what = "movies" if media_type == "movie" else "seasons"
    resets_at = _resets_at(usage, used, units, limit)
    details = {"limit": limit, "used": used, "asked": units, "unit": what,
               "resets_at": resets_at.astimezone(UTC).isoformat().replace("+00:00", "Z") if resets_at else None}
    if resets_at is None:
        raise ApiError(429, "quota_exceeded", f"That is more than your weekly limit of {limit} {what}.",
                       details=details)
    retry_after = max(1, math.ceil((resets_at - now).total_seconds()))
    raise ApiError(429, "quota_exceeded",
                   f"You have used your weekly limit of {limit} {what}; you can ask again after "
                   f"{resets_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC.",
                   details=details, headers={"Retry-After": str(retry_after)})
