"""Run a WSGI app on 127.0.0.1 in a background thread, with switchable fault modes.

Fault modes model what an outside service does on a bad day:

* ``normal``  — answer as usual.
* ``slow``    — wait ``delay`` seconds, then answer as usual.
* ``hang``    — accept the connection and read the request, but never answer (until the mode changes,
  the fake is reset or stopped). Only a client timeout gets the caller out.
* ``down``    — stop listening: new connections are refused and open keep-alive connections are cut.
* ``error``   — answer every request with a 500 and an HTML body, like a crashed upstream.
* ``garbage`` — answer 200 with a body that is not what the client expects (broken JSON/XML).

A mode can be limited to paths starting with ``path_prefix`` and can end by itself after ``duration``
seconds (the only way to leave ``down`` over HTTP, since a down server cannot hear the request).
Paths under ``/__control/`` are never affected, so a test can always steer the fake.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

log = logging.getLogger("fakes")

MODES = ("normal", "slow", "hang", "down", "error", "garbage")
CONTROL_PREFIX = "/__control/"
GARBAGE_BODY = b'{"MediaContainer": <<<\x00\xff not what you asked for'


class FaultState:
    """The current fault mode, shared by the server and its middleware."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.mode = "normal"
        self.delay = 0.0
        self.path_prefix = ""
        self._release = threading.Event()
        self._release.set()

    def set(self, mode: str, delay: float = 0.0, path_prefix: str = "") -> None:
        """Switch mode; leaving ``hang`` wakes every request that is stuck in it."""
        if mode not in MODES:
            raise ValueError(f"unknown fault mode {mode!r}; choose one of {', '.join(MODES)}")
        with self._lock:
            old_release = self._release
            self.mode, self.delay, self.path_prefix = mode, float(delay), path_prefix
            if mode == "hang":
                self._release = threading.Event()
            else:
                self._release = threading.Event()
                self._release.set()
        old_release.set()

    def release_all(self) -> None:
        """Wake hanging requests without changing the mode (used when stopping)."""
        with self._lock:
            self._release.set()

    def snapshot(self) -> dict[str, Any]:
        """The mode as a JSON-able dict."""
        with self._lock:
            return {"mode": self.mode, "delay": self.delay, "path_prefix": self.path_prefix}

    def applies_to(self, path: str) -> tuple[str, float, threading.Event]:
        """Mode, delay and hang-release event that apply to a request for ``path``."""
        with self._lock:
            if path.startswith(CONTROL_PREFIX) or not path.startswith(self.path_prefix):
                return "normal", 0.0, self._release
            return self.mode, self.delay, self._release


class FaultMiddleware:
    """WSGI middleware that applies the current fault mode before the app sees a request."""

    def __init__(self, app: Callable[..., Iterable[bytes]], faults: FaultState) -> None:
        self.app = app
        self.faults = faults

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        mode, delay, release = self.faults.applies_to(environ.get("PATH_INFO", ""))
        if mode == "hang":
            release.wait()
            start_response("503 Service Unavailable", [("Content-Length", "0"), ("Connection", "close")])
            return [b""]
        if mode == "slow":
            time.sleep(delay)
        if mode == "error":
            body = b"<html><body><h1>500 Internal Server Error</h1></body></html>"
            start_response(
                "500 Internal Server Error",
                [("Content-Type", "text/html"), ("Content-Length", str(len(body)))],
            )
            return [body]
        if mode == "garbage":
            start_response(
                "200 OK",
                [("Content-Type", "application/json"), ("Content-Length", str(len(GARBAGE_BODY)))],
            )
            return [GARBAGE_BODY]
        return self.app(environ, start_response)


class _QuietHandler(WSGIRequestHandler):
    """Request handler that logs at debug level and remembers its socket so ``down`` can cut it."""

    def setup(self) -> None:
        super().setup()
        self.server.open_connections.add(self.connection)  # type: ignore[attr-defined]

    def finish(self) -> None:
        self.server.open_connections.discard(self.connection)  # type: ignore[attr-defined]
        with contextlib.suppress(OSError):  # the peer (or ``down``) closed the socket first
            super().finish()

    def log(self, type: str, message: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), message % args if args else message)


class FakeServer:
    """One WSGI app served on 127.0.0.1 in a daemon thread (threaded werkzeug server)."""

    def __init__(self, app: Callable[..., Iterable[bytes]], *, host: str = "127.0.0.1", port: int = 0,
                 name: str = "fake") -> None:
        self.host = host
        self.port = port
        self.name = name
        self.faults = FaultState()
        self._wsgi = FaultMiddleware(app, self.faults)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.RLock()
        self._stopped = False  # stop() wins over a later set_mode()/reset(): no listening again

    @property
    def url(self) -> str:
        """Base URL without a trailing slash."""
        return f"http://{self.host}:{self.port}"

    @property
    def listening(self) -> bool:
        """True while the socket accepts connections (False when stopped or ``down``)."""
        return self._server is not None

    def start(self) -> FakeServer:
        """Bind (an ephemeral port the first time, the same port afterwards) and serve."""
        with self._lock:
            self._stopped = False
            if self._server is None:
                self._listen()
        return self

    def _listen(self) -> None:
        server = make_server(self.host, self.port, self._wsgi, threaded=True, request_handler=_QuietHandler)
        server.open_connections = set()  # type: ignore[attr-defined]
        self.port = server.server_port
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"fake-{self.name}", daemon=True
        )
        thread.start()
        self._server, self._thread = server, thread

    def _close(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        for conn in list(server.open_connections):  # type: ignore[attr-defined]
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if thread is not None:
            thread.join(timeout=5)

    def stop(self) -> None:
        """Stop serving and wake any request stuck in ``hang``."""
        with self._lock:
            self._stopped = True
            self._cancel_timer()
            self.faults.release_all()
            self._close()

    def set_mode(self, mode: str, *, delay: float = 0.0, path_prefix: str = "",
                 duration: float | None = None) -> None:
        """Switch the fault mode (see the module docstring); ``duration`` reverts to normal later."""
        with self._lock:
            self._cancel_timer()
            self.faults.set(mode, delay=delay, path_prefix=path_prefix)
            if mode == "down":
                self._close()
            elif self._server is None and not self._stopped:
                self._listen()
            if duration is not None and mode != "normal":
                self._timer = threading.Timer(duration, self._revert)
                self._timer.daemon = True
                self._timer.start()

    def set_mode_later(self, mode: str, **kwargs: Any) -> None:
        """Switch mode from another thread: lets a control request answer before the server goes down."""
        timer = threading.Timer(0.05, lambda: self.set_mode(mode, **kwargs))
        timer.daemon = True
        timer.start()

    def _revert(self) -> None:
        with self._lock:
            self._timer = None
            self.faults.set("normal")
            if self._server is None and not self._stopped:
                self._listen()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
