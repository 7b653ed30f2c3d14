"""The plex.tv client against the contract's shapes: headers, PINs, accounts, resources, shared users."""

from __future__ import annotations

import psycopg
import pytest
import responses

from medianest.clients.plextv import (
    PinExpired,
    PlexTvClient,
    PlexTvUnauthorized,
    auth_app_url,
    from_settings,
    installation_identifier,
    server_access,
)
from medianest.config import Settings
from medianest.http import UpstreamError
from medianest.logs import redact
from tests.auth.plextv_fake import MACHINE_ID, OTHER_MACHINE_ID, FakePlexTv

CLIENT_ID = "medianest-test-installation"


@pytest.fixture
def client(settings: Settings, plextv: FakePlexTv) -> PlexTvClient:
    return from_settings(settings, CLIENT_ID)


def test_every_call_identifies_the_installation_and_asks_for_json(settings: Settings) -> None:
    fake = FakePlexTv(settings.plextv_url)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake.install(rsps)
        c = from_settings(settings, CLIENT_ID)
        pin = c.create_pin()
        c.poll_pin(pin.id, pin.code)
        c.user(fake.accounts["alice"].token)
        c.resources(fake.accounts["alice"].token)
        c.shared_users(fake.accounts["owner"].token)
        for call in rsps.calls:
            headers = call.request.headers
            # /api/users is XML only (contract §5B); everything else asks for JSON
            expected = "application/xml" if "/api/users" in call.request.url else "application/json"
            assert headers["Accept"] == expected
            assert headers["X-Plex-Client-Identifier"] == CLIENT_ID
            assert headers["X-Plex-Product"] == "MediaNest"
            assert headers["X-Plex-Version"]
            assert "X-Plex-Token" not in call.request.url  # tokens only ever travel in a header
        assert "strong=true" in rsps.calls[0].request.url
        assert "code=" in rsps.calls[1].request.url
        assert "includeHttps=1" in rsps.calls[3].request.url
        assert "includeRelay=1" in rsps.calls[3].request.url
        assert rsps.calls[2].request.headers["X-Plex-Token"] == fake.accounts["alice"].token


def test_pin_lifecycle(client: PlexTvClient, plextv: FakePlexTv) -> None:
    pin = client.create_pin()
    assert len(pin.code) == 25
    assert pin.auth_token is None
    assert pin.expires_at.tzinfo is not None
    assert client.poll_pin(pin.id, pin.code).auth_token is None
    plextv.approve(pin.id, "owner")
    linked = client.poll_pin(pin.id, pin.code)
    assert linked.auth_token == plextv.accounts["owner"].token
    assert linked.auth_token not in repr(linked)  # tokens stay out of reprs and tracebacks
    plextv.expire(pin.id)
    with pytest.raises(PinExpired):
        client.poll_pin(pin.id, pin.code)


def test_a_pin_polled_by_another_installation_is_unknown(settings: Settings, plextv: FakePlexTv) -> None:
    pin = from_settings(settings, CLIENT_ID).create_pin()
    with pytest.raises(PinExpired):
        from_settings(settings, "some-other-installation").poll_pin(pin.id, pin.code)


def test_auth_url_follows_the_contract(client: PlexTvClient) -> None:
    assert auth_app_url("https://plex.tv") == "https://app.plex.tv/auth"
    assert client.auth_url("abc") == (
        f"{auth_app_url(client.base_url)}#?clientID={CLIENT_ID}&code=abc"
        "&context%5Bdevice%5D%5Bproduct%5D=MediaNest"
    )


def test_user_reads_the_account(client: PlexTvClient, plextv: FakePlexTv) -> None:
    alice = plextv.accounts["alice"]
    account = client.user(alice.token)
    assert (account.id, account.username, account.email, account.uuid) == (alice.id, "alice", alice.email, alice.uuid)
    assert account.thumb
    assert account.thumb.startswith("https://plex.tv/users/")
    with pytest.raises(PlexTvUnauthorized):
        client.user("not-a-valid-token")


def test_resources_parse_the_contract_sample(client: PlexTvClient, plextv: FakePlexTv) -> None:
    owner = plextv.accounts["owner"]
    resources = client.resources(owner.token)
    server = server_access(resources, MACHINE_ID)
    assert server is not None
    assert server.owned
    assert server.is_server
    assert server.access_token == owner.server_token
    assert server.connections[0].uri.startswith("https://")
    assert server.connections[0].port == 32400
    assert any(c.relay for c in server.connections)
    player = next(r for r in resources if not r.is_server)
    assert player.provides == ("client", "player", "pubsub-player")
    assert server_access(resources, OTHER_MACHINE_ID) is None
    # a player that happens to carry the machine id does not count: it must provide "server"
    assert server_access([player], player.client_identifier) is None


def test_shared_users_come_from_the_owners_friends_list(client: PlexTvClient, plextv: FakePlexTv) -> None:
    users = client.shared_users(plextv.accounts["owner"].token)
    by_name = {u.username: u for u in users}
    assert set(by_name) == {"alice", "bob", "carol"}
    assert by_name["alice"].machine_identifiers == (MACHINE_ID,)
    assert by_name["bob"].machine_identifiers == (MACHINE_ID, OTHER_MACHINE_ID)
    assert MACHINE_ID not in by_name["carol"].machine_identifiers
    with pytest.raises(PlexTvUnauthorized):
        client.shared_users(plextv.accounts["alice"].token)


def test_tokens_handed_over_are_registered_for_log_redaction(client: PlexTvClient,
                                                            plextv: FakePlexTv) -> None:
    alice = plextv.accounts["alice"]
    pin = client.create_pin()
    plextv.approve(pin.id, "alice")
    client.poll_pin(pin.id, pin.code)
    client.resources(alice.token)
    line = f"token {alice.token} and {alice.server_token}"
    assert alice.token not in redact(line)
    assert alice.server_token not in redact(line)


def test_plextv_down_is_a_clean_upstream_error(client: PlexTvClient, plextv: FakePlexTv) -> None:
    plextv.down = True
    with pytest.raises(UpstreamError) as caught:
        client.create_pin()
    assert caught.value.service == "plextv"
    assert caught.value.message == "Could not connect to plex.tv."


def test_an_unreadable_answer_is_a_bad_response(settings: Settings) -> None:
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, f"{settings.plextv_url}/api/v2/pins", body="<html>oops</html>", status=201)
        with pytest.raises(UpstreamError) as caught:
            from_settings(settings, CLIENT_ID).create_pin()
    assert caught.value.kind == "bad_response"
    assert "oops" not in caught.value.message


def test_the_installation_identifier_is_made_once_and_kept(database_url: str) -> None:
    from psycopg.rows import dict_row

    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        first = installation_identifier(conn)
    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        assert installation_identifier(conn) == first
    assert first.startswith("medianest-")
    assert len(first) > 30
