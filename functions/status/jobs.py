"""The periodic service checks (run by the RQ worker, scheduled by `functions/status/cron.py`).

Every service is probed at once, each on its own thread with its own timeout, so one hanging service
delays nobody. Results go to a Redis cache (what `GET /` reads) and to the history table; a change of
state is published on topic `status`, and a service going down notifies the admins.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import UTC, datetime, timedelta
from typing import Any

import redis

from functions.status.probes import CheckResult, probe
from medianest import events, integrations
from medianest.config import Settings, load_settings
from medianest.crypto import Sealer
from medianest.db import Database, get_database
from medianest.redisconn import get_redis
from medianest.store import notifications, service_checks, users

log = logging.getLogger(__name__)

CACHE_KEY = "mn:status:current"
HISTORY_DAYS = 7
DOWNSAMPLE_AFTER = timedelta(days=1)
STALE_AFTER_INTERVALS = 3


def check_timeout(settings: Settings) -> float:
    return max(0.5, min(settings.http_read_timeout, 10.0, settings.check_interval / 3))


def _own_stores(db: Database, client: redis.Redis) -> list[CheckResult]:
    results = []
    for name, display, ping in (("database", "MediaNest database", db.ping), ("redis", "MediaNest cache", client.ping)):
        started = datetime.now(UTC)
        try:
            ping()
            ms = int((datetime.now(UTC) - started).total_seconds() * 1000)
            results.append(CheckResult(name, display, "up", ms, "Answering."))
        except Exception:
            results.append(CheckResult(name, display, "down", None, f"{display} is not answering."))
    return results


def check_all(settings: Settings, configs: dict[str, integrations.ServiceConfig | None]) -> list[CheckResult]:
    timeout = check_timeout(settings)
    with ThreadPoolExecutor(max_workers=len(configs), thread_name_prefix="check") as pool:
        futures = {pool.submit(probe, settings, name, cfg, timeout): name for name, cfg in configs.items()}
        done, _ = wait(futures, timeout=timeout + settings.http_connect_timeout + 1)
        results: list[CheckResult] = []
        for future, name in futures.items():
            if future in done and future.exception() is None:
                results.extend(future.result())
            else:
                display = integrations.DISPLAY_NAMES[name]
                results.append(CheckResult(name, display, "down", None, f"{display} did not answer in time."))
        # a hung probe thread is left to its own read timeout; nobody waits for it
        pool.shutdown(wait=False, cancel_futures=True)
    return results


def read_cache(client: redis.Redis) -> dict[str, Any] | None:
    raw = client.get(CACHE_KEY)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def current(client: redis.Redis, interval: int, now: datetime | None = None) -> list[dict[str, Any]]:
    """What `GET /` shows: the cached results, or `unknown` for each once they are too old."""
    cached = read_cache(client)
    if cached is None:
        return []
    now = now or datetime.now(UTC)
    checked_at = datetime.fromisoformat(cached["checked_at"])
    stale = now - checked_at > timedelta(seconds=interval * STALE_AFTER_INTERVALS)
    services = cached.get("services", [])
    if stale:
        return [{**s, "status": "unknown", "message": "No recent check: the MediaNest worker may be stopped."}
                for s in services]
    return services


def _notify_admins_down(conn: Any, client: redis.Redis, result: CheckResult) -> None:
    title = f"{result.display_name} is down"
    for admin in users.list_active_admins(conn):
        note = notifications.create(conn, admin["id"], "service_down", title, result.message, "/admin/services")
        events.publish(client, events.user_topic(admin["id"]), "user:notification", {"id": str(note["id"]),
                                                                                     "title": title})
    events.publish(client, "admin", "system:alert", {"service": result.name, "status": result.status,
                                                     "message": result.message})


def run_checks(settings: Settings | None = None) -> dict[str, Any]:
    """One round of checks; returns what was cached."""
    settings = settings or load_settings()
    db = get_database(settings.database_url, settings.db_pool_size)
    client = get_redis(settings.redis_url)
    sealer = Sealer(settings.encryption_keys)
    configs: dict[str, integrations.ServiceConfig | None] = dict.fromkeys(integrations.SERVICES)
    try:
        with db.connection() as conn:
            configs = {name: integrations.load(conn, sealer, name) for name in integrations.SERVICES}
    except Exception:
        log.exception("could not read service settings")
    results = check_all(settings, configs) + _own_stores(db, client)
    now = datetime.now(UTC)
    previous = {s["name"]: s["status"] for s in (read_cache(client) or {}).get("services", [])}
    uptimes: dict[str, float] = {}
    try:
        with db.connection() as conn:
            service_checks.record_many(conn, [
                {"service": r.name, "status": r.status, "response_ms": r.response_ms, "message": r.message}
                for r in results if r.status != "disabled"], now)
            uptimes = service_checks.uptime(conn, now - timedelta(hours=24))
            service_checks.prune(conn, now - timedelta(days=HISTORY_DAYS), now - DOWNSAMPLE_AFTER)
            for result in results:
                if result.status == "down" and previous.get(result.name) not in (None, "down"):
                    _notify_admins_down(conn, client, result)
    except Exception:
        log.exception("could not record the checks")
    services = [{**r.to_dict(), "checked_at": now.isoformat(), "uptime_24h": uptimes.get(r.name)} for r in results]
    payload = {"checked_at": now.isoformat(), "interval": settings.check_interval, "services": services}
    client.set(CACHE_KEY, json.dumps(payload), ex=HISTORY_DAYS * 86400)
    for entry in services:
        if previous.get(entry["name"]) != entry["status"]:
            events.publish(client, "status", "service:status", entry)
    return payload
