"""Uptime Kuma's public status page JSON (the only HTTP surface without a socket.io login).

Written against `contracts/uptime-kuma.md`: monitors come from the page's public groups; the current
state of a monitor is the last beat of its heartbeat list (oldest first); uptime is a ratio from 0 to 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from medianest.http import ServiceClient, UpstreamError

SERVICE = "uptime_kuma"
KUMA_STATES = {0: "down", 1: "up", 2: "degraded", 3: "degraded"}  # pending and maintenance read as degraded


@dataclass(frozen=True)
class Monitor:
    id: int
    name: str
    status: str
    ping_ms: int | None
    uptime_24h: float | None


class UptimeKumaClient(ServiceClient):
    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(SERVICE, "Uptime Kuma", base_url, headers={"Accept": "application/json"}, **kwargs)

    def monitors(self, slug: str) -> list[Monitor]:
        page = self.json(self.request("GET", f"/api/status-page/{quote(slug, safe='')}"))
        beats = self.json(self.request("GET", f"/api/status-page/heartbeat/{quote(slug, safe='')}"))
        if not isinstance(page, dict) or not isinstance(beats, dict):
            raise UpstreamError(SERVICE, "bad_response", "Uptime Kuma sent a status page MediaNest could not read.")
        heartbeats = beats.get("heartbeatList") or {}
        uptimes = beats.get("uptimeList") or {}
        monitors: list[Monitor] = []
        for group in page.get("publicGroupList") or []:
            for entry in (group or {}).get("monitorList") or []:
                if not isinstance(entry, dict) or "id" not in entry:
                    continue
                history = heartbeats.get(str(entry["id"])) or []
                last = history[-1] if history and isinstance(history[-1], dict) else {}
                status = KUMA_STATES.get(last.get("status"), "unknown") if last else "unknown"
                ping = last.get("ping")
                uptime = uptimes.get(f"{entry['id']}_24")
                monitors.append(Monitor(
                    id=int(entry["id"]), name=str(entry.get("name") or f"Monitor {entry['id']}"), status=status,
                    ping_ms=int(ping) if isinstance(ping, int | float) else None,
                    uptime_24h=float(uptime) if isinstance(uptime, int | float) else None,
                ))
        return monitors
