"""A fake Uptime Kuma: the public status-page JSON, its heartbeat list, and ``/metrics``.

One status page (slug :data:`STATUS_PAGE_SLUG`) with four monitors. Heartbeats are one a minute, oldest
first, the last 50 (1.x) or 100 (2.x); uptime is a 24-hour ratio under ``"<id>_24"``; times are UTC
``YYYY-MM-DD HH:mm:ss.SSS`` without a zone. ``version`` picks 1.x behaviour (key ``incident``, and an
unknown slug on ``/api/status-page/{slug}`` is never answered — the client's timeout must fire) or 2.x
(key ``incidents``, unknown slug 404). Heartbeats for an unknown slug are ``{}`` lists with 200 in both.
``/metrics`` wants HTTP Basic auth with the API key as the password.

Control endpoints (besides those in :mod:`fakes.base`):

* ``POST /__control/monitors/<id>`` ``{"status": 0|1|2|3, "ping": 42}`` — append a beat with that
  status (0 DOWN, 1 UP, 2 PENDING, 3 MAINTENANCE); the monitor's current state is its last beat.
* ``POST /__control/version`` ``{"version": 1|2}``.
* ``POST /__control/incident`` ``{"title": ..., "content": ..., "style": "warning"}`` (``{}`` clears it).
"""

from __future__ import annotations

import base64
import threading
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, jsonify, request

from fakes.base import FakeService

STATUS_PAGE_SLUG = "home"
UPTIME_KUMA_API_KEY = "uk1_fakeUptimeKumaMetricsKey"
DOWN, UP, PENDING, MAINTENANCE = 0, 1, 2, 3

MONITORS = (
    {"id": 1, "name": "Plex", "type": "http", "url": "http://plex.local:32400/identity", "sendUrl": 0},
    {"id": 2, "name": "Overseerr", "type": "http", "url": "http://overseerr.local:5055/api/v1/status", "sendUrl": 1},
    {"id": 3, "name": "MediaNest", "type": "keyword", "url": "http://medianest.local/healthz", "sendUrl": 0},
    {"id": 4, "name": "NAS", "type": "ping", "sendUrl": 0},
)


def _stamp(ts: float) -> str:
    dt = datetime.fromtimestamp(ts, UTC)
    return dt.strftime("%Y-%m-%d %H:%M:%S.") + f"{dt.microsecond // 1000:03d}"


class FakeUptimeKuma(FakeService):
    """Uptime Kuma's status page for four monitors."""

    name = "uptimekuma"

    def __init__(self, version: int = 1, slug: str = STATUS_PAGE_SLUG, api_key: str = UPTIME_KUMA_API_KEY) -> None:
        self.slug = slug
        self.api_key = api_key
        self.initial_version = version
        self._unanswered = threading.Event()
        super().__init__()

    def reset_state(self) -> None:
        """All monitors up for the last 50 minutes (Overseerr with one blip), version as constructed."""
        self._unanswered.set()  # let any 1.x unknown-slug request go
        self._unanswered = threading.Event()
        self.version = self.initial_version
        self.incident: dict[str, Any] | None = None
        now = time.time()
        self.beats: dict[int, list[dict[str, Any]]] = {}
        for monitor in MONITORS:
            beats = []
            for n in range(50, 0, -1):
                status = DOWN if monitor["id"] == 2 and n == 30 else UP
                beats.append({"status": status, "time": _stamp(now - n * 60), "msg": "",
                              "ping": None if status == DOWN else 20 + (monitor["id"] * 7 + n) % 40})
            self.beats[monitor["id"]] = beats

    def describe(self) -> dict[str, Any]:
        """URL, slug and metrics key."""
        return {"url": self.url, "slug": self.slug, "api_key": self.api_key,
                "monitors": {m["id"]: m["name"] for m in MONITORS}}

    def set_status(self, monitor_id: int, status: int, ping: int | None = None) -> None:
        """Append a heartbeat: the monitor is now ``status``."""
        with self.lock:
            beats = self.beats[monitor_id]
            beats.append({"status": status, "time": _stamp(time.time()), "msg": "",
                          "ping": None if status != UP else (ping if ping is not None else 25)})
            del beats[:-100]

    def stop(self) -> None:
        """Stop serving; a 1.x unknown-slug request still waiting is let go."""
        self._unanswered.set()
        super().stop()

    def _known(self, slug: str) -> bool:
        # 2.x lower-cases the slug; 1.x compares it as given.
        return (slug.lower() if self.version >= 2 else slug) == self.slug

    def build_app(self, app: Flask) -> None:
        """Status page, heartbeat and metrics routes."""

        @app.get("/api/status-page/<slug>")
        def status_page(slug: str) -> Any:
            if not self._known(slug):
                if self.version < 2:
                    self._unanswered.wait()  # 1.x returns without replying; only reset/stop ends this
                    return Response(status=504)
                return jsonify({"status": "fail", "msg": "Status Page Not Found"}), 404
            return jsonify(self._page())

        @app.get("/api/status-page/heartbeat/<slug>")
        def heartbeat(slug: str) -> Any:
            if not self._known(slug):
                return jsonify({"heartbeatList": {}, "uptimeList": {}})
            keep = 50 if self.version < 2 else 100
            with self.lock:
                beats = {str(mid): [dict(b) for b in bs[-keep:]] for mid, bs in self.beats.items()}
            uptime = {f"{mid}_24": round(sum(b["status"] == UP for b in bs) / len(bs), 5) if bs else 1
                      for mid, bs in beats.items()}
            return jsonify({"heartbeatList": beats, "uptimeList": uptime})

        @app.get("/metrics")
        def metrics() -> Any:
            if not self._authorized():
                return Response("Unauthorized", status=401, headers={"WWW-Authenticate": 'Basic realm="Application"'})
            return Response(self._metrics(), content_type="text/plain; version=0.0.4; charset=utf-8")

        self._add_kuma_controls(app)

    def _page(self) -> dict[str, Any]:
        monitors = []
        for m in MONITORS:
            entry = {"id": m["id"], "name": m["name"], "sendUrl": m["sendUrl"], "type": m["type"]}
            if m["sendUrl"]:
                entry["url"] = m["url"]
            monitors.append(entry)
        config: dict[str, Any] = {"slug": self.slug, "title": "Home", "description": None, "icon": "/icon.svg",
                                  "theme": "auto", "published": True, "showTags": False, "customCSS": "",
                                  "footerText": None, "showPoweredBy": True, "showCertificateExpiry": False}
        page: dict[str, Any] = {"config": config}
        with self.lock:
            incident = dict(self.incident) if self.incident else None
        if self.version < 2:
            config["googleAnalyticsId"] = None
            page["incident"] = incident
        else:
            config |= {"analyticsId": None, "analyticsScriptUrl": None, "analyticsType": None,
                       "autoRefreshInterval": 300, "showOnlyLastHeartbeat": False, "rssTitle": None}
            page["incidents"] = [incident | {"active": True, "pin": True, "status_page_id": 1}] if incident else []
        page["publicGroupList"] = [{"id": 1, "name": "Services", "weight": 1, "monitorList": monitors}]
        page["maintenanceList"] = []
        return page

    def _authorized(self) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            _, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return password == self.api_key

    def _metrics(self) -> str:
        lines = ["# HELP monitor_status Monitor Status (1 = UP, 0= DOWN, 2= PENDING, 3= MAINTENANCE)",
                 "# TYPE monitor_status gauge"]
        with self.lock:
            last = {mid: bs[-1] for mid, bs in self.beats.items()}
        for m in MONITORS:
            labels = (f'monitor_name="{m["name"]}",monitor_type="{m["type"]}",monitor_url="{m.get("url", "")}",'
                      'monitor_hostname="null",monitor_port="null"')
            lines.append(f"monitor_status{{{labels}}} {last[m['id']]['status']}")
        lines += ["# HELP monitor_response_time Monitor Response Time (ms)", "# TYPE monitor_response_time gauge"]
        for m in MONITORS:
            ping = last[m["id"]]["ping"]
            lines.append(f'monitor_response_time{{monitor_name="{m["name"]}"}} {-1 if ping is None else ping}')
        return "\n".join(lines) + "\n"

    def _add_kuma_controls(self, app: Flask) -> None:
        @app.post("/__control/monitors/<int:monitor_id>")
        def control_monitor(monitor_id: int) -> Any:
            body = request.get_json(silent=True) or {}
            if monitor_id not in self.beats or body.get("status") not in (DOWN, UP, PENDING, MAINTENANCE):
                return jsonify({"error": "unknown monitor, or status not 0-3"}), 400
            self.set_status(monitor_id, body["status"], body.get("ping"))
            return jsonify(self.beats[monitor_id][-1])

        @app.post("/__control/version")
        def control_version() -> Any:
            version = (request.get_json(silent=True) or {}).get("version")
            if version not in (1, 2):
                return jsonify({"error": "version must be 1 or 2"}), 400
            self.version = version
            return jsonify({"version": version})

        @app.post("/__control/incident")
        def control_incident() -> Any:
            body = request.get_json(silent=True) or {}
            with self.lock:
                self.incident = None if not body.get("title") else {
                    "id": 1, "style": body.get("style", "warning"), "title": body["title"],
                    "content": body.get("content", ""), "pin": 1, "createdDate": _stamp(time.time()),
                    "lastUpdatedDate": None}
            return jsonify({"incident": self.incident})
