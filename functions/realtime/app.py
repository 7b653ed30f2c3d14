"""The realtime function: one WebSocket per browser tab at /ws, fed by the event bus.

The handshake needs a valid session cookie and the portal's own Origin, checked before the upgrade
(401/403 as plain HTTP answers). Then the socket joins `user:<own id>` at once; the client may ask for
`status`, `downloads` (its own) and, as an admin, `admin`. Served by gunicorn's gevent worker, so one
process holds thousands of sockets.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

import redis
from flask import Flask, current_app, request
from flask_sock import Sock

from functions.realtime.hub import CLOSE_SESSION_ENDED, Connection, Hub
from medianest import events
from medianest.config import Settings
from medianest.errors import ApiError
from medianest.web import current_principal, make_app, require_user, services

log = logging.getLogger(__name__)

PING_INTERVAL = 25  # seconds; a client that misses a pong is disconnected
SESSION_CHECK_INTERVAL = 30  # seconds; belt and braces behind the revocation broadcast
MAX_MESSAGE_BYTES = 4096
OUTBOX_SIZE = 256


def topic_for(request_topic: object, principal: Any) -> str | None:
    """Map what a client asks for to a bus topic it may join, or None when it may not."""
    if request_topic == "status":
        return "status"
    if request_topic == "downloads" or request_topic == events.downloads_topic(principal.user_id):
        return events.downloads_topic(principal.user_id)
    if request_topic == "user" or request_topic == events.user_topic(principal.user_id):
        return events.user_topic(principal.user_id)
    if request_topic == "admin" and principal.is_admin:
        return "admin"
    return None


def _reply(conn: Connection, message_type: str, data: dict[str, Any]) -> None:
    conn.offer(json.dumps({"type": message_type, "data": data}))


def _handle(conn: Connection, hub: Hub, raw: str | bytes) -> None:
    try:
        message = json.loads(raw)
        kind = message.get("type") if isinstance(message, dict) else None
    except ValueError:
        kind = None
    if kind == "ping":
        _reply(conn, "pong", {})
    elif kind == "subscribe":
        topic = topic_for(message.get("topic"), conn.principal)
        if topic is None:
            _reply(conn, "error", {"code": "forbidden", "topic": str(message.get("topic"))[:64]})
        else:
            hub.join(conn, topic)
            _reply(conn, "subscribed", {"topic": topic})
    else:
        _reply(conn, "error", {"code": "bad_message", "message": "Send JSON with a known type."})


def _session_ended(sessions: Any, session_id: str) -> bool:
    """Whether the session is gone; a Redis outage is not an answer, so the socket stays and asks again."""
    try:
        return not sessions.exists(session_id)
    except redis.RedisError:
        log.warning("could not check a socket's session; checking again later")
        return False


def serve_socket(ws: Any) -> None:
    """Run one socket until the client leaves, the session ends or the client is too slow."""
    hub: Hub = current_app.extensions["medianest.hub"]
    sessions = services().sessions
    conn = Connection(ws, current_principal(), current_app.config["REALTIME_OUTBOX_SIZE"])
    hub.add(conn)
    hub.join(conn, events.user_topic(conn.principal.user_id))
    conn.start()
    try:
        while not conn.closed.is_set():
            raw = ws.receive(timeout=current_app.config["REALTIME_SESSION_CHECK"])
            if raw is None:
                if _session_ended(sessions, conn.principal.session_id):
                    conn.close(CLOSE_SESSION_ENDED, "session ended")
                continue
            _handle(conn, hub, raw)
    finally:
        hub.remove(conn)
        conn.close()


def _check_origin() -> None:
    if request.endpoint != "ws":
        return
    expected = services().settings.public_origin
    if request.headers.get("Origin", "").rstrip("/") != expected:
        raise ApiError(403, "forbidden_origin", "WebSocket connections are accepted only from the portal itself.")


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the realtime function's app."""
    app = make_app("realtime", config)
    app.config.setdefault("REALTIME_OUTBOX_SIZE", OUTBOX_SIZE)
    app.config.setdefault("REALTIME_SESSION_CHECK", SESSION_CHECK_INTERVAL)
    app.config["SOCK_SERVER_OPTIONS"] = {"ping_interval": PING_INTERVAL, "max_message_size": MAX_MESSAGE_BYTES}
    app.extensions["medianest.hub"] = Hub(app.extensions["medianest"].redis)
    app.before_request(_check_origin)
    sock = Sock(app)

    @sock.route("/ws", endpoint="ws")
    @require_user
    def ws(socket: Any) -> None:
        """The WebSocket (GET with Upgrade)."""
        serve_socket(socket)

    return app

