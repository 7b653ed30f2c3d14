"""A fake "YouTube": pages real yt-dlp extracts and small real clips, with speed and failure controls.

Media answers support ``HEAD`` and single ``Range: bytes=`` requests (206/416). Transfer speed is
unlimited by default; :meth:`FakeYouTube.set_speed` (or per item) slows it so progress can be watched.
An item can fail with an HTTP status or stall after some bytes (headers promise the full length, then
nothing more comes until the fake is reset or stopped — only the client's socket timeout ends it).

Control endpoints (besides those in :mod:`fakes.base`):

* ``POST /__control/speed`` ``{"bytes_per_second": 20000}`` (0 = unlimited).
* ``POST /__control/items/<video id>`` ``{"fail": 404, "stall_after": 1000, "speed": 5000}`` (null clears).
* ``GET  /__control/hits`` — media requests per video id.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, jsonify, request

from fakes.base import FakeService
from fakes.youtube import pages
from fakes.youtube.media import ensure_clips

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


class FakeYouTube(FakeService):
    """Serves :mod:`fakes.youtube.pages` videos and playlists from cached ffmpeg clips."""

    name = "youtube"

    def __init__(self, speed: int = 0) -> None:
        self.clips: list[bytes] = [Path(p).read_bytes() for p in ensure_clips()]
        self.initial_speed = speed
        self._release = threading.Event()
        super().__init__()

    def reset_state(self) -> None:
        """Seed videos and playlists, no failures, initial speed; stalled transfers are let go."""
        self._release.set()
        self._release = threading.Event()
        self.videos, self.playlists = pages.seed()
        self.speed = self.initial_speed
        self.item_rules: dict[str, dict[str, Any]] = {}
        self.hits: dict[str, int] = {}

    def stop(self) -> None:
        """Stop serving and let stalled transfers end."""
        self._release.set()
        super().stop()

    def describe(self) -> dict[str, Any]:
        """URL and the ready-made playlist/video URLs."""
        return {"url": self.url, "demo_playlist": self.playlist_url(pages.DEMO_PLAYLIST),
                "hostile_playlist_feed": self.feed_url(pages.HOSTILE_PLAYLIST),
                "video": self.watch_url("nestdemo001"), "media": self.media_url("nestdemo001")}

    # -- Python control API ----------------------------------------------------------------------
    def watch_url(self, video_id: str) -> str:
        """Single-video page URL."""
        return f"{self.url}/watch/{video_id}"

    def playlist_url(self, playlist_id: str) -> str:
        """HTML playlist URL."""
        return f"{self.url}/playlist/{playlist_id}"

    def feed_url(self, playlist_id: str) -> str:
        """RSS playlist URL."""
        return f"{self.url}/feed/{playlist_id}.xml"

    def media_url(self, video_id: str) -> str:
        """Direct media URL."""
        return f"{self.url}/media/{video_id}.mp4"

    def set_speed(self, bytes_per_second: int) -> None:
        """Throttle every transfer (0 = unlimited)."""
        self.speed = max(0, int(bytes_per_second))

    def set_item(self, video_id: str, *, fail: int | None = None, stall_after: int | None = None,
                 speed: int | None = None) -> None:
        """Per-video behaviour: HTTP ``fail`` status, stall after N bytes, own speed."""
        with self.lock:
            self.item_rules[video_id] = {"fail": fail, "stall_after": stall_after, "speed": speed}

    def add_video(self, video_id: str, title: str, clip: int = 0, playlist: str | None = None) -> None:
        """Serve another video (optionally appended to a playlist, created if new)."""
        with self.lock:
            self.videos[video_id] = pages.Video(video_id, title, clip % len(self.clips))
            if playlist is not None:
                pl = self.playlists.setdefault(playlist, pages.Playlist(playlist, playlist))
                pl.videos.append(video_id)

    # -- routes ----------------------------------------------------------------------------------
    def build_app(self, app: Flask) -> None:
        """Pages, feeds and media."""

        @app.get("/")
        def index() -> Response:
            return _html(pages.index_page(self.videos, self.playlists))

        @app.get("/watch/<video_id>")
        def watch(video_id: str) -> Response:
            video = self.videos.get(video_id) or abort(404)
            return _html(pages.watch_page(video))

        @app.get("/playlist/<playlist_id>")
        def playlist(playlist_id: str) -> Response:
            pl = self.playlists.get(playlist_id) or abort(404)
            return _html(pages.playlist_page(pl, self.videos))

        @app.get("/feed/<playlist_id>.xml")
        def feed(playlist_id: str) -> Response:
            pl = self.playlists.get(playlist_id) or abort(404)
            sizes = {v: len(self.clips[self.videos[v].clip]) for v in pl.videos if v in self.videos}
            return Response(pages.feed(pl, self.videos, self.url, sizes), content_type="application/rss+xml")

        app.add_url_rule("/media/<video_id>.mp4", "media", self._media, methods=["GET"])
        self._add_youtube_controls(app)

    def _media(self, video_id: str) -> Response:
        video = self.videos.get(video_id) or abort(404)
        with self.lock:
            rule = dict(self.item_rules.get(video_id, {}))
            if request.method == "GET":
                self.hits[video_id] = self.hits.get(video_id, 0) + 1
        if rule.get("fail"):
            code = int(rule["fail"])
            return Response(f"<html><body><h1>HTTP {code}</h1></body></html>", status=code, content_type="text/html")
        data = self.clips[video.clip]
        total = len(data)
        start, end, status = 0, total - 1, 200
        header = request.headers.get("Range")
        m = RANGE_RE.match(header or "")
        if header and m and (m.group(1) or m.group(2)):
            if m.group(1):
                start = int(m.group(1))
                end = min(int(m.group(2)), total - 1) if m.group(2) else total - 1
            else:
                start = max(0, total - int(m.group(2)))
            if start >= total or start > end:
                return Response(status=416, headers={"Content-Range": f"bytes */{total}"})
            status = 206
        headers = {"Accept-Ranges": "bytes", "Content-Length": str(end - start + 1),
                   "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"}
        if status == 206:
            headers["Content-Range"] = f"bytes {start}-{end}/{total}"
        speed = rule.get("speed") if rule.get("speed") is not None else self.speed
        body = self._stream(data[start:end + 1], speed, rule.get("stall_after"), self._release)
        return Response(body, status=status, headers=headers, content_type="video/mp4", direct_passthrough=True)

    @staticmethod
    def _stream(chunk: bytes, speed: int, stall_after: int | None, release: threading.Event) -> Iterator[bytes]:
        step = max(1024, speed // 10) if speed else 64 * 1024
        sent = 0
        while sent < len(chunk):
            if stall_after is not None and sent >= stall_after:
                release.wait()  # promised more bytes than it will send: the client must time out
                return
            size = step if stall_after is None else min(step, stall_after - sent)
            piece = chunk[sent:sent + size]
            yield piece
            sent += len(piece)
            if speed:
                time.sleep(len(piece) / speed)

    def _add_youtube_controls(self, app: Flask) -> None:
        @app.post("/__control/speed")
        def control_speed() -> Any:
            value = (request.get_json(silent=True) or {}).get("bytes_per_second")
            if not isinstance(value, int) or value < 0:
                return jsonify({"error": "bytes_per_second must be an integer >= 0"}), 400
            self.set_speed(value)
            return jsonify({"bytes_per_second": self.speed})

        @app.post("/__control/items/<video_id>")
        def control_item(video_id: str) -> Any:
            body = request.get_json(silent=True) or {}
            if video_id not in self.videos:
                return jsonify({"error": "unknown video"}), 404
            values = {k: body.get(k) for k in ("fail", "stall_after", "speed")}
            if any(v is not None and (not isinstance(v, int) or v < 0) for v in values.values()):
                return jsonify({"error": "fail, stall_after and speed are integers >= 0 or null"}), 400
            self.set_item(video_id, **values)
            return jsonify({video_id: values})

        @app.get("/__control/hits")
        def control_hits() -> Any:
            with self.lock:
                return jsonify(self.hits)


def _html(text: str) -> Response:
    return Response(text, content_type="text/html; charset=utf-8")
