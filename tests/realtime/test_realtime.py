"""The WebSocket function over a real server and real sockets: handshake checks, topics, fan-out, revocation."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import websocket
from werkzeug.serving import make_server

from functions.realtime.app import create_app
from functions.realtime.hub import CLOSE_SESSION_ENDED, Connection, Hub
from medianest import events
from medianest.config import Settings
from medianest.sessions import Principal, SessionManager
from tests.conftest import derive, sign_in, wait_for_bus_listener


@pytest.fixture
def server(settings: Settings) -> Iterator[tuple[str, Any]]:
    app = create_app(derive(settings, MEDIANEST_PUBLIC_URL="http://portal.test"))
    app.config["REALTIME_SESSION_CHECK"] = 1
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"ws://127.0.0.1:{httpd.server_port}/ws", app
    app.extensions["medianest.hub"].stop()
    httpd.shutdown()


@pytest.fixture
def sessions(settings: Settings, redis_client) -> SessionManager:
    return SessionManager(redis_client, settings.secret_key)


def connect(url: str, access: str | None, origin: str = "http://portal.test") -> websocket.WebSocket:
    headers = [f"Cookie: mn_access={access}"] if access else []
    return websocket.create_connection(url, header=headers, origin=origin, timeout=5)


def receive(ws: websocket.WebSocket, timeout: float = 3) -> dict[str, Any]:
    ws.settimeout(timeout)
    return json.loads(ws.recv())


def wait_for_listener(redis_client) -> None:
    wait_for_bus_listener(redis_client)


def test_handshake_without_a_session_is_refused_before_the_upgrade(server) -> None:
    url, _ = server
    with pytest.raises(websocket.WebSocketBadStatusException) as info:
        connect(url, None)
    assert info.value.status_code == 401
    with pytest.raises(websocket.WebSocketBadStatusException) as info:
        connect(url, "not-a-jwt")
    assert info.value.status_code == 401


def test_handshake_from_a_foreign_origin_is_refused(server, sessions, make_user) -> None:
    url, _ = server
    user = make_user()
    issued = sessions.create(str(user["id"]), "user")
    for origin in ("https://evil.example", "http://portal.test.evil.example", "null"):
        with pytest.raises(websocket.WebSocketBadStatusException) as info:
            connect(url, issued.access_token, origin=origin)
        assert info.value.status_code == 403


def test_events_reach_only_their_owner(server, sessions, make_user, redis_client) -> None:
    url, _ = server
    alice, bob = make_user(), make_user()
    ws_alice = connect(url, sessions.create(str(alice["id"]), "user").access_token)
    ws_bob = connect(url, sessions.create(str(bob["id"]), "user").access_token)
    wait_for_listener(redis_client)
    events.publish(redis_client, events.user_topic(alice["id"]), "request:update", {"id": "r1", "status": "approved"})
    message = receive(ws_alice)
    assert message["type"] == "request:update"
    assert message["topic"] == f"user:{alice['id']}"
    assert message["data"] == {"id": "r1", "status": "approved"}
    assert message["at"].endswith("Z")
    ws_bob.settimeout(0.5)
    with pytest.raises(websocket.WebSocketTimeoutException):
        ws_bob.recv()
    ws_alice.close()
    ws_bob.close()


def test_topic_subscriptions_are_authorized(server, sessions, make_user, redis_client) -> None:
    url, _ = server
    user, other, admin = make_user(), make_user(), make_user(role="admin")
    ws = connect(url, sessions.create(str(user["id"]), "user").access_token)
    ws.send(json.dumps({"type": "subscribe", "topic": "downloads"}))
    assert receive(ws) == {"type": "subscribed", "data": {"topic": f"downloads:{user['id']}"}}
    for refused in ("admin", f"downloads:{other['id']}", f"user:{other['id']}", "mn:events:*"):
        ws.send(json.dumps({"type": "subscribe", "topic": refused}))
        assert receive(ws) == {"type": "error", "data": {"code": "forbidden", "topic": refused}}
    ws.send("{not json")
    assert receive(ws)["data"]["code"] == "bad_message"
    ws.send(json.dumps({"type": "ping"}))
    assert receive(ws)["type"] == "pong"  # still open after every refusal
    ws.send(json.dumps({"type": "subscribe", "topic": "status"}))
    receive(ws)
    wait_for_listener(redis_client)
    events.publish(redis_client, events.downloads_topic(user["id"]), "download:progress", {"percent": 10})
    events.publish(redis_client, events.downloads_topic(other["id"]), "download:progress", {"percent": 99})
    events.publish(redis_client, "status", "service:status", {"name": "plex", "status": "up"})
    got = [receive(ws) for _ in range(2)]
    assert [(m["type"], m["data"]) for m in got] == [("download:progress", {"percent": 10}),
                                                     ("service:status", {"name": "plex", "status": "up"})]
    ws.close()
    admin_ws = connect(url, sessions.create(str(admin["id"]), "admin").access_token)
    admin_ws.send(json.dumps({"type": "subscribe", "topic": "admin"}))
    assert receive(admin_ws) == {"type": "subscribed", "data": {"topic": "admin"}}
    admin_ws.close()


def test_a_revoked_session_loses_its_socket_promptly(server, sessions, make_user, redis_client) -> None:
    url, _ = server
    user = make_user()
    issued = sessions.create(str(user["id"]), "user")
    ws = connect(url, issued.access_token)
    wait_for_listener(redis_client)
    started = time.monotonic()
    sessions.revoke(issued.session_id)
    ws.settimeout(5)
    opcode, frame = ws.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE
    assert int.from_bytes(frame[:2], "big") == CLOSE_SESSION_ENDED
    assert time.monotonic() - started < 5


class StuckSocket:
    """A client that never reads: sends block forever."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.closed_with: Any = None

    def send(self, message: str) -> None:
        self.release.wait()

    def close(self, reason: Any = None, message: Any = None) -> None:
        self.closed_with = reason
        self.release.set()


class FastSocket:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, message: str) -> None:
        self.sent.append(message)

    def close(self, reason: Any = None, message: Any = None) -> None:
        pass


def test_a_slow_client_is_dropped_without_slowing_the_others(redis_client) -> None:
    hub = Hub(redis_client)
    topic = "status"
    slow = Connection(StuckSocket(), Principal(str(uuid.uuid4()), "user", "s1"), outbox_size=2)
    fast = Connection(FastSocket(), Principal(str(uuid.uuid4()), "user", "s2"), outbox_size=2)
    for conn in (slow, fast):
        hub._by_session[conn.principal.session_id].add(conn)
        hub.join(conn, topic)
        conn.start()
    started = time.monotonic()
    for n in range(6):
        hub.deliver(events.Event("service:status", topic, {"n": n}, "2026-01-01T00:00:00Z"))
        time.sleep(0.05)
    assert time.monotonic() - started < 2
    assert slow.closed.is_set()
    assert slow.ws.closed_with == 4008
    assert [json.loads(m)["data"]["n"] for m in fast.ws.sent] == list(range(6))
    fast.close()


def test_logging_out_closes_that_sessions_socket(server, settings, make_user, redis_client) -> None:
    """Sign out through the auth function; the tab's open socket closes with the session-ended code."""
    from functions.auth.app import create_app as create_auth

    url, _ = server
    auth = create_auth(settings)
    client = auth.test_client()
    tokens = sign_in(client, settings, make_user())
    ws = connect(url, tokens["access"])
    wait_for_listener(redis_client)
    assert client.post("/logout", headers={"X-CSRF-Token": tokens["csrf"]}).status_code == 204
    ws.settimeout(5)
    opcode, frame = ws.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE
    assert int.from_bytes(frame[:2], "big") == CLOSE_SESSION_ENDED
