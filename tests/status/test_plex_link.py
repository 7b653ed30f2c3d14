"""Linking Plex by the owner's sign-in: PIN, the owner's servers, picking one; the token stays server-side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import responses

from tests.conftest import derive

PLEXTV = "http://plextv.test"
OWNER_TOKEN = "owner-token-7f3a9c"
SERVER_TOKEN = "server-access-token-51bd"
MACHINE = "f00dfacef00dfacef00dfacef00dfacef00dface"
LOCAL_URI = "http://127.0.0.2:32400"
REMOTE_URI = "https://203-0-113-9.f00d.plex.direct:32400"


def pin(token: str | None = None) -> dict:
    expires = (datetime.now(UTC) + timedelta(minutes=15)).isoformat().replace("+00:00", "Z")
    return {"id": 4242, "code": "abcdefghijklmnopqrstuvwxy", "expiresIn": 900, "expiresAt": expires,
            "authToken": token}


def resources() -> list[dict]:
    return [
        {"name": "Home Server", "product": "Plex Media Server", "productVersion": "1.41.0", "provides": "server",
         "clientIdentifier": MACHINE, "owned": True, "accessToken": SERVER_TOKEN, "connections": [
             {"protocol": "https", "address": "203.0.113.9", "port": 32400, "uri": REMOTE_URI, "local": False,
              "relay": False},
             {"protocol": "http", "address": "127.0.0.2", "port": 32400, "uri": LOCAL_URI, "local": True,
              "relay": False}]},
        {"name": "Friend's Server", "provides": "server", "clientIdentifier": "c0ffee" * 6, "owned": False,
         "accessToken": "friend-token", "connections": []},
        {"name": "Phone", "provides": "player", "clientIdentifier": "phone-1", "owned": True, "connections": []},
    ]


@responses.activate
def test_owner_pin_link_flow(settings, make_user, signed_in, db_conn) -> None:
    from functions.status.app import create_app

    app = create_app(derive(settings, PLEXTV_URL=PLEXTV))
    client, tokens = signed_in(app, make_user(role="admin"))
    client.environ_base["HTTP_X_CSRF_TOKEN"] = tokens["csrf"]
    responses.post(f"{PLEXTV}/api/v2/pins", json=pin())
    started = client.post("/services/plex/link")
    assert started.status_code == 201
    body = started.get_json()
    assert body["pin_id"] == 4242
    assert "abcdefghijklmnopqrstuvwxy" in body["auth_url"]

    responses.get(f"{PLEXTV}/api/v2/pins/4242", json=pin())
    assert client.get("/services/plex/link/4242").get_json() == {"status": "waiting", "servers": []}

    responses.replace(responses.GET, f"{PLEXTV}/api/v2/pins/4242", json=pin(OWNER_TOKEN))
    responses.get(f"{PLEXTV}/api/v2/resources", json=resources())
    polled = client.get("/services/plex/link/4242")
    listing = polled.get_json()
    assert listing["status"] == "authorized"
    assert [s["machine_identifier"] for s in listing["servers"]] == [MACHINE]  # owned servers only
    assert OWNER_TOKEN not in polled.get_data(as_text=True)
    assert SERVER_TOKEN not in polled.get_data(as_text=True)

    responses.get(f"{LOCAL_URI}/identity", json={"MediaContainer": {"machineIdentifier": MACHINE, "version": "1.41"}})
    picked = client.post("/services/plex/link/4242/select", json={"machine_identifier": MACHINE})
    assert picked.status_code == 200, picked.get_json()
    assert SERVER_TOKEN not in picked.get_data(as_text=True)
    identity_call = next(c for c in responses.calls if c.request.url.startswith(LOCAL_URI))
    assert identity_call.request.headers["X-Plex-Token"] == SERVER_TOKEN  # the local address was tried first
    row = db_conn.execute("SELECT url, machine_identifier, api_key_sealed FROM service_config"
                          " WHERE name = 'plex'").fetchone()
    assert (row["url"], row["machine_identifier"]) == (LOCAL_URI, MACHINE)
    assert SERVER_TOKEN not in row["api_key_sealed"]
    assert client.get("/services/plex/link/4242").status_code == 410  # the pending sign-in is gone
    audit = db_conn.execute("SELECT action FROM audit_log").fetchall()
    assert [a["action"] for a in audit] == ["service.plex_link"]


@responses.activate
def test_picking_a_server_the_owner_does_not_own_is_refused(settings, make_user, signed_in) -> None:
    from functions.status.app import create_app

    app = create_app(derive(settings, PLEXTV_URL=PLEXTV))
    client, tokens = signed_in(app, make_user(role="admin"))
    client.environ_base["HTTP_X_CSRF_TOKEN"] = tokens["csrf"]
    responses.post(f"{PLEXTV}/api/v2/pins", json=pin())
    responses.get(f"{PLEXTV}/api/v2/pins/4242", json=pin(OWNER_TOKEN))
    responses.get(f"{PLEXTV}/api/v2/resources", json=resources())
    client.post("/services/plex/link")
    assert client.post("/services/plex/link/4242/select",
                       json={"machine_identifier": MACHINE}).status_code == 409  # not signed in yet
    client.get("/services/plex/link/4242")
    refused = client.post("/services/plex/link/4242/select", json={"machine_identifier": "c0ffee" * 6})
    assert refused.status_code == 404
    assert client.get("/services/plex/link/999").status_code == 410
