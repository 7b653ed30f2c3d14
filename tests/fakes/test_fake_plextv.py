"""The plex.tv fake follows the contract: PIN login, identity checks, resources and the friends list."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
import requests

from fakes import accounts as acc
from fakes.plex import FakePlex
from fakes.plextv import FakePlexTv

CLIENT = "medianest-test-client"
JSON = {"X-Plex-Client-Identifier": CLIENT, "X-Plex-Product": "MediaNest", "Accept": "application/json"}



def _xml(data: bytes) -> ET.Element:
    """Parse an answer of our own fake (trusted, local)."""
    return ET.fromstring(data)  # noqa: S314

def _pin(fake: FakePlexTv, strong: bool = True) -> dict:
    resp = requests.post(f"{fake.url}/api/v2/pins", params={"strong": "true"} if strong else {}, headers=JSON,
                         timeout=5)
    assert resp.status_code == 201
    return resp.json()


def _poll(fake: FakePlexTv, pin_id: int, client: str = CLIENT) -> requests.Response:
    return requests.get(f"{fake.url}/api/v2/pins/{pin_id}", headers=JSON | {"X-Plex-Client-Identifier": client},
                        timeout=5)


def test_pin_without_client_identifier_is_400(fake_plextv: FakePlexTv) -> None:
    resp = requests.post(f"{fake_plextv.url}/api/v2/pins?strong=true", headers={"Accept": "application/json"},
                         timeout=5)
    assert resp.status_code == 400
    assert resp.json() == {"errors": [{"code": 1000, "message": "X-Plex-Client-Identifier is missing",
                                       "status": 400}]}


def test_client_identifier_is_also_accepted_as_a_query_parameter(fake_plextv: FakePlexTv) -> None:
    resp = requests.post(f"{fake_plextv.url}/api/v2/pins", params={"X-Plex-Client-Identifier": CLIENT},
                         headers={"Accept": "application/json"}, timeout=5)
    assert resp.status_code == 201


def test_strong_pin_is_created_like_the_real_one(fake_plextv: FakePlexTv) -> None:
    pin = _pin(fake_plextv)
    assert len(pin["code"]) == 25
    assert pin["clientIdentifier"] == CLIENT
    assert pin["authToken"] is None
    assert pin["expiresIn"] == 1800
    assert {"id", "code", "qr", "location", "createdAt", "expiresAt", "newRegistration"} <= pin.keys()
    assert len(_pin(fake_plextv, strong=False)["code"]) == 4


def test_pin_is_xml_without_json_accept(fake_plextv: FakePlexTv) -> None:
    resp = requests.post(f"{fake_plextv.url}/api/v2/pins?strong=true",
                         headers={"X-Plex-Client-Identifier": CLIENT}, timeout=5)
    assert resp.status_code == 201
    root = _xml(resp.content)
    assert root.tag == "pin"
    assert len(root.attrib["code"]) == 25


def test_pin_is_approved_through_the_control_endpoint_as_the_chosen_account(fake_plextv: FakePlexTv) -> None:
    pin = _pin(fake_plextv)
    assert _poll(fake_plextv, pin["id"]).json()["authToken"] is None
    resp = requests.post(f"{fake_plextv.url}/__control/pins/{pin['id']}/approve", json={"account": "alice"},
                         timeout=5)
    assert resp.ok
    assert _poll(fake_plextv, pin["id"]).json()["authToken"] == acc.ALICE_TOKEN


def test_pin_polled_by_another_client_or_unknown_is_404(fake_plextv: FakePlexTv) -> None:
    pin = _pin(fake_plextv)
    assert _poll(fake_plextv, pin["id"], client="someone-else").status_code == 404
    resp = _poll(fake_plextv, 42)
    assert resp.status_code == 404
    assert resp.json()["errors"][0]["code"] == 1020


def test_expired_pin_is_404(fake_plextv: FakePlexTv) -> None:
    pin = _pin(fake_plextv)
    assert requests.post(f"{fake_plextv.url}/__control/pins/{pin['id']}/expire", timeout=5).ok
    resp = _poll(fake_plextv, pin["id"])
    assert resp.status_code == 404
    assert resp.json() == {"errors": [{"code": 1020, "message": "Code not found or expired", "status": 404}]}


def test_pin_ttl_can_be_shortened(fake_plextv: FakePlexTv) -> None:
    fake_plextv.pin_ttl = 1
    pin = _pin(fake_plextv)
    assert pin["expiresIn"] == 1
    fake_plextv.expire(pin["id"])  # what waiting a second would do, without the wait
    assert _poll(fake_plextv, pin["id"]).status_code == 404


def test_auto_approve_after_n_polls(fake_plextv: FakePlexTv) -> None:
    assert requests.post(f"{fake_plextv.url}/__control/auto-approve", json={"account": "bob", "after_polls": 3},
                         timeout=5).ok
    pin = _pin(fake_plextv)
    tokens = [_poll(fake_plextv, pin["id"]).json()["authToken"] for _ in range(3)]
    assert tokens == [None, None, acc.BOB_TOKEN]


def test_approve_by_code_and_the_auth_page(fake_plextv: FakePlexTv) -> None:
    pin = _pin(fake_plextv)
    page = requests.get(f"{fake_plextv.url}/auth", timeout=5)
    assert page.ok
    assert "Sign in" in page.text
    resp = requests.post(f"{fake_plextv.url}/__control/pins/by-code/{pin['code']}/approve",
                         json={"account": "mallory"}, timeout=5)
    assert resp.ok
    assert _poll(fake_plextv, pin["id"]).json()["authToken"] == acc.MALLORY_TOKEN


@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_user_with_bad_or_missing_token_is_401(fake_plextv: FakePlexTv, token: str | None) -> None:
    headers = JSON | ({"X-Plex-Token": token} if token else {})
    resp = requests.get(f"{fake_plextv.url}/api/v2/user", headers=headers, timeout=5)
    assert resp.status_code == 401
    assert resp.json()["errors"][0]["code"] == 1001


def test_user_answers_who_the_token_belongs_to(fake_plextv: FakePlexTv) -> None:
    resp = requests.get(f"{fake_plextv.url}/api/v2/user", headers=JSON | {"X-Plex-Token": acc.ALICE_TOKEN},
                        timeout=5)
    body = resp.json()
    assert (body["id"], body["uuid"], body["username"]) == (2002, "a11ce0000000a11c", "alice")
    assert body["thumb"].startswith("https://plex.tv/users/")
    no_client = requests.get(f"{fake_plextv.url}/api/v2/user", headers={"X-Plex-Token": acc.ALICE_TOKEN}, timeout=5)
    assert no_client.status_code == 400


def test_revoked_token_stops_working(fake_plextv: FakePlexTv) -> None:
    assert requests.post(f"{fake_plextv.url}/__control/accounts/bob/revoke", timeout=5).ok
    resp = requests.get(f"{fake_plextv.url}/api/v2/user", headers=JSON | {"X-Plex-Token": acc.BOB_TOKEN}, timeout=5)
    assert resp.status_code == 401


def _resources(fake: FakePlexTv, token: str, query: str = "") -> list[dict]:
    resp = requests.get(f"{fake.url}/api/v2/resources{query}", headers=JSON | {"X-Plex-Token": token}, timeout=5)
    assert resp.status_code == 200
    body = resp.json()
    assert isinstance(body, list)  # a bare array, not wrapped
    return body


def _servers(items: list[dict]) -> dict[str, dict]:
    return {r["clientIdentifier"]: r for r in items if "server" in r["provides"].split(",")}


def test_resources_owner_sees_own_server_and_a_foreign_one(fake_plextv: FakePlexTv, fake_plex: FakePlex) -> None:
    servers = _servers(_resources(fake_plextv, acc.OWNER_TOKEN))
    assert set(servers) == {acc.PLEX_MACHINE_ID, acc.FOREIGN_MACHINE_ID}
    ours = servers[acc.PLEX_MACHINE_ID]
    assert ours["owned"] is True
    assert ours["ownerId"] is None
    assert ours["accessToken"] == acc.OWNER_TOKEN
    assert servers[acc.FOREIGN_MACHINE_ID]["owned"] is False
    assert any(c["uri"] == fake_plex.url for c in ours["connections"])


@pytest.mark.parametrize(("token", "ours", "foreign"), [
    (acc.ALICE_TOKEN, True, False), (acc.BOB_TOKEN, True, False), (acc.MALLORY_TOKEN, False, False),
    (acc.CAROL_TOKEN, False, True),
])
def test_resources_show_who_may_use_our_server(fake_plextv: FakePlexTv, token: str, ours: bool, foreign: bool) -> None:
    servers = _servers(_resources(fake_plextv, token))
    assert (acc.PLEX_MACHINE_ID in servers) is ours
    assert (acc.FOREIGN_MACHINE_ID in servers) is foreign
    if ours:
        shared = servers[acc.PLEX_MACHINE_ID]
        assert shared["owned"] is False
        assert shared["ownerId"] == acc.OWNER.id
        assert shared["accessToken"] != token  # a friend uses a server token, not the plex.tv one


def test_resources_include_https_and_relay_connections_only_when_asked(fake_plextv: FakePlexTv) -> None:
    plain = _servers(_resources(fake_plextv, acc.OWNER_TOKEN))[acc.PLEX_MACHINE_ID]["connections"]
    full = _servers(_resources(fake_plextv, acc.OWNER_TOKEN, "?includeHttps=1&includeRelay=1"))
    conns = full[acc.PLEX_MACHINE_ID]["connections"]
    assert all(c["protocol"] == "http" and not c["relay"] for c in plain)
    assert any(c["protocol"] == "https" and ".plex.direct:" in c["uri"] for c in conns)
    assert any(c["relay"] for c in conns)


def test_resources_are_xml_without_json_accept(fake_plextv: FakePlexTv) -> None:
    resp = requests.get(f"{fake_plextv.url}/api/v2/resources", timeout=5,
                        headers={"X-Plex-Client-Identifier": CLIENT, "X-Plex-Token": acc.OWNER_TOKEN})
    root = _xml(resp.content)
    ours = [r for r in root.findall("resource") if r.get("clientIdentifier") == acc.PLEX_MACHINE_ID]
    assert ours
    assert ours[0].get("owned") == "1"
    assert ours[0].find("connections/connection") is not None


def test_owner_friends_list_is_xml_with_server_shares(fake_plextv: FakePlexTv) -> None:
    resp = requests.get(f"{fake_plextv.url}/api/users", headers={"X-Plex-Token": acc.OWNER_TOKEN}, timeout=5)
    assert resp.status_code == 200
    assert "xml" in resp.headers["Content-Type"]
    users = {u.get("id"): u for u in _xml(resp.content).findall("User")}
    assert set(users) == {"2002", "2003", "4005"}
    machine_ids = {uid: [s.get("machineIdentifier") for s in u.findall("Server")] for uid, u in users.items()}
    assert machine_ids == {"2002": [acc.PLEX_MACHINE_ID], "2003": [acc.PLEX_MACHINE_ID], "4005": []}
    assert str(acc.OWNER.id) not in users  # the owner is not in his own list
    mine = requests.get(f"{fake_plextv.url}/api/users/", headers={"X-Plex-Token": acc.ALICE_TOKEN}, timeout=5)
    assert _xml(mine.content).findall("User") == []
    assert requests.get(f"{fake_plextv.url}/api/users", headers={"X-Plex-Token": "x"}, timeout=5).status_code == 401
