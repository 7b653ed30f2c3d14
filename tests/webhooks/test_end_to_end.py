"""Webhook in, event out: an Overseerr notification reaches its owner's open socket within a second, only theirs."""

from __future__ import annotations

import json
import threading
import time

import websocket
from werkzeug.serving import make_server

from functions.realtime.app import create_app as create_realtime
from medianest.sessions import SessionManager
from tests.conftest import derive
from tests.realtime.test_realtime import wait_for_listener
from tests.webhooks.test_overseerr import notification, post


def test_overseerr_webhook_to_the_owners_socket(client, secrets, make_request, make_user, settings, redis_client,
                                                db_conn) -> None:
    realtime = create_realtime(derive(settings, MEDIANEST_PUBLIC_URL="http://portal.test"))
    httpd = make_server("127.0.0.1", 0, realtime, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    owner, stranger = make_user(), make_user()
    make_request(user=owner)
    sessions = SessionManager(redis_client, settings.secret_key)
    sockets = {}
    try:
        for name, user in (("owner", owner), ("stranger", stranger)):
            token = sessions.create(str(user["id"]), "user").access_token
            sockets[name] = websocket.create_connection(
                f"ws://127.0.0.1:{httpd.server_port}/ws", header=[f"Cookie: mn_access={token}"],
                origin="http://portal.test", timeout=5)
        wait_for_listener(redis_client)
        sent = time.monotonic()
        assert post(client, notification("MEDIA_APPROVED"), secrets.overseerr).get_json()["updated"] == 1
        sockets["owner"].settimeout(1)
        first = json.loads(sockets["owner"].recv())
        assert time.monotonic() - sent < 1
        assert first["type"] == "request:update"
        assert first["data"]["status"] == "approved"
        assert first["data"]["previous_status"] == "pending"
        second = json.loads(sockets["owner"].recv())
        assert second["type"] == "user:notification"
        sockets["stranger"].settimeout(0.5)
        try:
            leaked = sockets["stranger"].recv()
        except websocket.WebSocketTimeoutException:
            leaked = None
        assert leaked is None
        note = db_conn.execute("SELECT user_id, title FROM notifications").fetchone()
        assert note["user_id"] == owner["id"]
        assert note["title"] == "The Matrix was approved"
    finally:
        for ws in sockets.values():
            ws.close()
        realtime.extensions["medianest.hub"].stop()
        httpd.shutdown()
