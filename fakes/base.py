"""What every fake shares: a Flask app, a lock around its state, a server, and control endpoints.

Control endpoints (never affected by fault modes):

* ``GET  /__control/mode`` — the current fault mode.
* ``POST /__control/mode`` — JSON ``{"mode": "slow|hang|down|error|garbage|normal", "delay": s,
  "path_prefix": "/x", "duration": s}``. ``down`` over HTTP needs ``duration`` (a server that is down
  cannot be told to come back up); from Python use :meth:`FakeService.set_mode`.
* ``POST /__control/reset`` — back to the initial data and ``normal``.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask, jsonify, request

from fakes.server import MODES, FakeServer


class FakeService:
    """Base class: subclasses build routes in ``build_app`` and restore data in ``reset_state``."""

    name = "fake"

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.server: FakeServer | None = None
        self.app = Flask(f"fakes.{self.name}")
        self.app.json.sort_keys = False  # type: ignore[attr-defined]
        self.app.json.ensure_ascii = False  # type: ignore[attr-defined]
        self._add_control_routes()
        self.build_app(self.app)
        self.reset_state()

    # -- to override -----------------------------------------------------------------------------
    def build_app(self, app: Flask) -> None:
        """Register the service's routes on ``app``."""

    def reset_state(self) -> None:
        """Restore the initial data (called at construction and by :meth:`reset`)."""

    def describe(self) -> dict[str, Any]:
        """What a human or a test needs to talk to this fake (URL, tokens, keys)."""
        return {"url": self.url}

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self, port: int = 0, host: str = "127.0.0.1") -> FakeService:
        """Serve on ``host:port`` (0 = ephemeral) in a background thread; returns ``self``."""
        if self.server is None:
            self.server = FakeServer(self.app, host=host, port=port, name=self.name)
        self.server.start()
        return self

    def stop(self) -> None:
        """Stop serving and release any request stuck in ``hang``."""
        if self.server is not None:
            self.server.stop()

    @property
    def url(self) -> str:
        """Base URL of the running fake."""
        if self.server is None:
            raise RuntimeError(f"{self.name} fake is not started")
        return self.server.url

    def set_mode(self, mode: str, *, delay: float = 0.0, path_prefix: str = "",
                 duration: float | None = None) -> None:
        """Switch the fault mode (see :mod:`fakes.server`)."""
        if self.server is None:
            raise RuntimeError(f"{self.name} fake is not started")
        self.server.set_mode(mode, delay=delay, path_prefix=path_prefix, duration=duration)

    def reset(self) -> None:
        """Initial data, ``normal`` mode; a stopped-by-``down`` server listens again."""
        with self.lock:
            self.reset_state()
        if self.server is not None:
            self.server.set_mode("normal")

    def __enter__(self) -> FakeService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- control endpoints -----------------------------------------------------------------------
    def _add_control_routes(self) -> None:
        app = self.app

        @app.get("/__control/mode")
        def control_mode_get() -> Any:
            if self.server is None:
                return jsonify({"mode": "normal"})
            return jsonify(self.server.faults.snapshot())

        @app.post("/__control/mode")
        def control_mode_set() -> Any:
            body = request.get_json(silent=True) or {}
            mode = body.get("mode")
            if mode not in MODES:
                return jsonify({"error": f"mode must be one of {', '.join(MODES)}"}), 400
            try:
                delay = float(body.get("delay", 1.0 if mode == "slow" else 0.0))
                duration = None if body.get("duration") is None else float(body["duration"])
            except (TypeError, ValueError):
                return jsonify({"error": "delay and duration must be numbers"}), 400
            if mode == "down" and duration is None:
                return jsonify({"error": "down over HTTP needs a duration (seconds)"}), 400
            kwargs = {"delay": delay, "path_prefix": str(body.get("path_prefix", "")), "duration": duration}
            if self.server is not None and mode == "down":
                # Switch after this answer is sent: ``down`` would otherwise cut this very connection.
                self.server.set_mode_later(mode, **kwargs)
            elif self.server is not None:
                self.server.set_mode(mode, **kwargs)
            return jsonify({"mode": mode, **kwargs})

        @app.post("/__control/reset")
        def control_reset() -> Any:
            with self.lock:
                self.reset_state()
            if self.server is not None:
                self.server.set_mode("normal")
            return jsonify({"reset": True})
