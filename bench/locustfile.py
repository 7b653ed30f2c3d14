"""Simulated portal users for locust (run by `bench/mixed.py` and `bench/soak.py` as a subprocess).

Each user is a signed-in person (cookies made by `bench.seed.members`, read from BENCH_MEMBERS) who keeps the
portal's WebSocket open and, with think time between actions, browses the library, searches, asks for a
title and downloads a video, as the web app does it. BENCH_PROFILE picks the pace and how often people
download; BENCH_SUMMARY receives what locust's own statistics do not hold: socket figures, the downloads
accepted, and every failure with its time (for the soak, to place errors against the restarts).

Expected refusals are not errors: a 409 when someone else requested the same title a moment earlier is
recorded under its own name, so it still shows in the per-route table.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import gevent
import websocket
from locust import FastHttpUser, between, events, task

PROFILES = {
    # think time (s), download task weight, downloads per user at most
    "mixed": {"wait": (2.0, 6.0), "download": 1, "max_downloads": 1},
    "soak": {"wait": (2.0, 6.0), "download": 1, "max_downloads": 8},
}
PROFILE = PROFILES[os.environ.get("BENCH_PROFILE", "mixed")]
MEMBERS = json.loads(Path(os.environ["BENCH_MEMBERS"]).read_text())
VIDEOS = [f"nestdemo00{n}" for n in range(1, 5)]
WORDS = ["the", "matrix", "dune", "blade", "ste", "an", "bear", "expanse", "iron", "spirited", "inter", "a"]
_next_member = itertools.count()
summary: dict[str, Any] = {"sockets_opened": 0, "socket_failures": 0, "sockets_dropped": 0, "socket_messages": 0,
                           "last_message_at": {}, "downloads": [], "failures": [], "drops": [], "open_at": {},
                           "probes": {}, "reconnect_attempts": 0}


@events.request.add_listener
def _remember_failure(request_type: str, name: str, response_time: float, response_length: int,
                      exception: Exception | None = None, response: Any = None, **_: Any) -> None:
    if exception is not None:
        # a refused WebSocket handshake carries its status on the exception
        source = response if response is not None else exception
        status = getattr(source, "status_code", 0) or 0
        summary["failures"].append({"at": time.time(), "route": f"{request_type} {name}", "status": status,
                                    "error": str(exception)[:200]})


@events.quitting.add_listener
def _write_summary(environment: Any, **_: Any) -> None:
    Path(os.environ["BENCH_SUMMARY"]).write_text(json.dumps(summary))


class PortalUser(FastHttpUser):
    wait_time = between(*PROFILE["wait"])
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        member = MEMBERS[next(_next_member) % len(MEMBERS)]
        self.user_id = member["user_id"]
        self.cookie = member["cookie"]
        self.headers = {"Cookie": member["cookie"]}
        self.write_headers = {**self.headers, "X-CSRF-Token": member["csrf"]}
        self.downloads: list[str] = []
        self.requested = False
        self.socket: websocket.WebSocket | None = None
        self.reader = None
        self.stopping = False
        self._open_socket()

    def on_stop(self) -> None:
        self.stopping = True  # the socket closed from here is not a drop
        if self.socket is not None:
            self.socket.close()
        if self.reader is not None:
            self.reader.kill(block=False)

    # --- the WebSocket the app keeps open ---------------------------------------------------------------
    def _connect(self) -> websocket.WebSocket:
        ws = websocket.create_connection(self.host.replace("http", "ws", 1) + "/ws",
                                         header=[f"Cookie: {self.cookie}"], origin=self.host, timeout=30)
        for topic in ("downloads", "status", "user"):
            ws.send(json.dumps({"type": "subscribe", "topic": topic}))
        summary["sockets_opened"] += 1
        summary["open_at"].setdefault(self.user_id, []).append(time.time())
        return ws

    def _open_socket(self) -> None:
        started = time.perf_counter()
        try:
            self.socket = self._connect()
        except Exception as exc:  # recorded as a failed connect; the user goes on without live updates
            summary["socket_failures"] += 1
            events.request.fire(request_type="WS", name="/ws connect", response_time=0, response_length=0,
                                exception=exc, context={})
            return
        events.request.fire(request_type="WS", name="/ws connect", response_time=(time.perf_counter() - started)
                            * 1000, response_length=0, exception=None, context={})
        self.reader = gevent.spawn(self._read_socket)

    def _reconnect(self) -> bool:
        """What the web app does after a drop (frontend/src/lib/socket.ts): retry with exponential backoff from
        1 s to 30 s, half fixed and half random. Failed attempts are not errors a person sees."""
        for attempt in range(30):
            ceiling = min(30.0, 2.0 ** attempt)
            gevent.sleep(ceiling / 2 + random.random() * ceiling / 2)
            if self.stopping:
                return False
            summary["reconnect_attempts"] += 1
            try:
                self.socket = self._connect()
                return True
            except Exception:  # noqa: S112 - the next attempt follows the backoff
                continue
        return False

    def _read_socket(self) -> None:
        while True:
            try:
                self.socket.settimeout(None)
                raw = self.socket.recv()
            except Exception as exc:
                if self.stopping:
                    return
                summary["sockets_dropped"] += 1
                summary["drops"].append({"at": time.time(), "error": f"{type(exc).__name__}: {exc}"[:200]})
                if not self._reconnect():
                    return
                continue
            summary["socket_messages"] += 1
            summary["last_message_at"][self.user_id] = time.time()
            if "bench-probe-" in raw:  # a marker event the soak publishes after its restarts
                probe = json.loads(raw)["data"]["name"]
                summary["probes"].setdefault(probe, []).append(self.user_id)

    # --- HTTP helpers -------------------------------------------------------------------------------------
    def _get(self, path: str, name: str | None = None) -> Any:
        with self.client.get(path, headers=self.headers, name=name or path, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return None
            return response.json()

    def _post(self, path: str, body: dict[str, Any], expected: int, name: str | None = None,
              refusals: tuple[int, ...] = ()) -> Any:
        with self.client.post(path, json=body, headers=self.write_headers, name=name or path,
                              catch_response=True) as response:
            if response.status_code in refusals:
                response.request_meta["name"] = f"{name or path} ({response.status_code}, expected refusal)"
                response.success()
                return None
            if response.status_code != expected:
                response.failure(f"status {response.status_code}")
                return None
            return response.json()

    # --- what people do ------------------------------------------------------------------------------------
    @task(5)
    def browse(self) -> None:
        self._get("/api/v1/status/")
        self._get("/api/v1/media/recent")
        libraries = self._get("/api/v1/media/libraries") or []
        if not libraries:
            return
        library = random.choice(libraries)
        offset = random.choice([0, 0, 0, 24])
        page = self._get(f"/api/v1/media/libraries/{library['id']}/items?offset={offset}&limit=24",
                         name="/api/v1/media/libraries/[id]/items")
        items = (page or {}).get("items") or []
        if items:
            item = random.choice(items)
            self._get(f"/api/v1/media/items/{item['id']}", name="/api/v1/media/items/[id]")
            if item.get("thumb_url"):
                with self.client.get(item["thumb_url"], headers=self.headers, name="/api/v1/media/thumb/[id]",
                                     catch_response=True) as response:
                    if response.status_code != 200:
                        response.failure(f"status {response.status_code}")

    @task(2)
    def search(self) -> None:
        word = random.choice(WORDS)
        self._get(f"/api/v1/media/search?q={word}", name="/api/v1/media/search")
        self._get(f"/api/v1/media/discover?q={word}", name="/api/v1/media/discover")

    @task(1)
    def request_title(self) -> None:
        self._get("/api/v1/media/requests")
        if self.requested:
            return
        found = self._get(f"/api/v1/media/discover?q={random.choice(WORDS)}", name="/api/v1/media/discover")
        wanted = [r for r in (found or {}).get("results", []) if r["status"] == "unknown"]
        if not wanted:
            return
        choice = random.choice(wanted)
        self.requested = True
        self._post("/api/v1/media/requests", {"media_type": choice["media_type"], "tmdb_id": choice["tmdb_id"]},
                   201, refusals=(409,))

    @task(PROFILE["download"])
    def download(self) -> None:
        self._get("/api/v1/downloads/")
        for download_id in self.downloads[-2:]:
            self._get(f"/api/v1/downloads/{download_id}", name="/api/v1/downloads/[id]")
        if len(self.downloads) >= PROFILE["max_downloads"]:
            return
        url = f"{os.environ['BENCH_YOUTUBE_URL']}/watch/{random.choice(VIDEOS)}"
        if not self._post("/api/v1/downloads/preview", {"url": url}, 200):
            return
        queued = self._post("/api/v1/downloads/", {"url": url, "quality": "480p"}, 202)
        if queued:
            self.downloads.append(queued["id"])
            summary["downloads"].append({"id": queued["id"], "user_id": self.user_id, "at": time.time()})
