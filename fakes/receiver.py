"""A tiny HTTP server that records what it receives — the other end of webhooks in tests."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, request

from fakes.server import FakeServer


@dataclass
class Received:
    """One request as it arrived."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


class Receiver:
    """Records every request to any path and answers ``status`` (204 by default)."""

    def __init__(self, status: int = 204) -> None:
        self.status = status
        self.received: list[Received] = []
        self._cond = threading.Condition()
        app = Flask("fakes.receiver")
        app.add_url_rule("/", "root", self._record, methods=["GET", "POST", "PUT", "DELETE"])
        app.add_url_rule("/<path:rest>", "any", self._record, methods=["GET", "POST", "PUT", "DELETE"])
        self.server = FakeServer(app, name="receiver")

    def _record(self, rest: str = "") -> Response:
        item = Received(request.method, request.path, dict(request.headers), request.get_data())
        with self._cond:
            self.received.append(item)
            self._cond.notify_all()
        return Response(status=self.status)

    def start(self) -> Receiver:
        """Serve on an ephemeral port."""
        self.server.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.server.stop()

    @property
    def url(self) -> str:
        """Base URL."""
        return self.server.url

    def clear(self) -> None:
        """Forget what was received; answer 204 again."""
        with self._cond:
            self.received.clear()
        self.status = 204

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Block until ``count`` requests arrived (or the timeout passed); returns them all."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.received) < count and time.monotonic() < deadline:
                self._cond.wait(max(0.0, deadline - time.monotonic()))
            return list(self.received)
