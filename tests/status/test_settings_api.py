"""Service settings: validation, sealed keys never returned, audit, test connection, webhook secrets."""

from __future__ import annotations

import pytest
import responses

from tests.status.conftest import MACHINE_ID, OVERSEERR, PLEX


def identity(machine: str = MACHINE_ID) -> dict:
    return {"MediaContainer": {"size": 0, "claimed": True, "machineIdentifier": machine, "version": "1.41.0"}}


@responses.activate
def test_overseerr_settings_round_trip_without_the_secret(admin, db_conn) -> None:
    responses.get(f"{OVERSEERR}/api/v1/status", json={"version": "1.33.2"})
    responses.get(f"{OVERSEERR}/api/v1/auth/me", json={"id": 1})
    saved = admin.put("/services/overseerr", json={"url": OVERSEERR + "/", "api_key": "ov-key-123456",
                                                   "options": {"quota_movies_per_week": 3}})
    assert saved.status_code == 200, saved.get_json()
    body = saved.get_json()
    assert body["api_key_set"] is True
    assert body["url"] == OVERSEERR
    assert body["options"]["quota_movies_per_week"] == 3
    assert "ov-key-123456" not in saved.get_data(as_text=True)
    assert responses.calls[-1].request.headers["X-Api-Key"] == "ov-key-123456"
    listing = admin.get("/services")
    assert "ov-key-123456" not in listing.get_data(as_text=True)
    overseerr = next(s for s in listing.get_json() if s["name"] == "overseerr")
    assert overseerr["api_key_set"] is True
    stored = db_conn.execute("SELECT api_key_sealed FROM service_config WHERE name = 'overseerr'").fetchone()
    assert stored["api_key_sealed"].startswith("mn1.")
    assert "ov-key-123456" not in stored["api_key_sealed"]
    log = db_conn.execute("SELECT action, target_id, details FROM audit_log").fetchall()
    assert [(r["action"], r["target_id"]) for r in log] == [("service.update", "overseerr")]
    assert log[0]["details"]["api_key"] == "changed"
    assert "ov-key-123456" not in str(log[0]["details"])
    # leaving api_key out keeps it
    admin.put("/services/overseerr", json={"url": OVERSEERR, "options": {}})
    assert next(s for s in admin.get("/services").get_json() if s["name"] == "overseerr")["api_key_set"] is True


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://overseerr.test", "http"),
        ("javascript:alert(1)", "http"),
        ("http://admin:hunter2@overseerr.test", "credentials"),
        ("http://", "host"),
        ("http://overseerr.test/?x=1", "query"),
        ("http://overseerr.test:99999", "port"),
    ],
)
def test_bad_urls_are_refused_with_a_reason(admin, url: str, reason: str) -> None:
    response = admin.put("/services/overseerr", json={"url": url, "api_key": "k" * 10})
    assert response.status_code == 422
    details = response.get_json()["error"]["details"]
    assert any(reason in d["message"] for d in details), details
    assert "hunter2" not in response.get_data(as_text=True)


@responses.activate
def test_a_refused_key_is_not_saved(admin, db_conn) -> None:
    responses.get(f"{OVERSEERR}/api/v1/status", json={"version": "1.33.2"})
    responses.get(f"{OVERSEERR}/api/v1/auth/me", status=403,
                  json={"status": 403, "error": "You do not have permission to access this endpoint"})
    response = admin.put("/services/overseerr", json={"url": OVERSEERR, "api_key": "wrong-key-1"})
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "403 from Overseerr: the API key was refused."
    assert db_conn.execute("SELECT count(*) AS n FROM service_config").fetchone()["n"] == 0


@pytest.mark.parametrize(
    ("options", "field"),
    [({"hourly_quota": 0}, "options.hourly_quota"), ({"library_folder": "../etc"}, "options.library_folder"),
     ({"allowed_hosts": ["http://evil/"]}, "options.allowed_hosts"), ({"surprise": 1}, "options.surprise")],
)
def test_youtube_options_are_validated(admin, options: dict, field: str) -> None:
    response = admin.put("/services/youtube", json={"options": options})
    assert response.status_code == 422
    assert field in {d["field"] for d in response.get_json()["error"]["details"]}


def test_youtube_defaults_and_update(admin) -> None:
    youtube = next(s for s in admin.get("/services").get_json() if s["name"] == "youtube")
    assert youtube["options"]["allowed_hosts"][:2] == ["youtube.com", "www.youtube.com"]
    saved = admin.put("/services/youtube", json={"options": {"hourly_quota": 9, "allowed_hosts": ["YouTube.com"]}})
    assert saved.status_code == 200
    assert saved.get_json()["options"]["hourly_quota"] == 9
    assert saved.get_json()["options"]["allowed_hosts"] == ["youtube.com"]


@responses.activate
def test_linking_plex_by_url_and_token_stores_its_machine_identifier(admin, db_conn) -> None:
    responses.get(f"{PLEX}/identity", json=identity())
    responses.get(f"{PLEX}/library/sections", json={"MediaContainer": {"size": 0}})
    saved = admin.put("/services/plex", json={"url": PLEX, "api_key": "plex-token-abcdef"})
    assert saved.status_code == 200
    assert saved.get_json()["machine_identifier"] == MACHINE_ID
    assert responses.calls[1].request.headers["X-Plex-Token"] == "plex-token-abcdef"
    assert "plex-token-abcdef" not in responses.calls[1].request.url
    assert "plex-token-abcdef" not in saved.get_data(as_text=True)


@responses.activate
def test_plex_with_a_refused_token_is_not_linked(admin, db_conn) -> None:
    responses.get(f"{PLEX}/identity", json=identity())
    responses.get(f"{PLEX}/library/sections", status=401, body="<html>Unauthorized</html>")
    response = admin.put("/services/plex", json={"url": PLEX, "api_key": "bad-token-000"})
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "401 from Plex: the token was refused."
    assert db_conn.execute("SELECT count(*) AS n FROM service_config").fetchone()["n"] == 0


@responses.activate
def test_test_connection_reports_in_plain_words(admin, configure) -> None:
    configure("overseerr", OVERSEERR, "ov-key-1")
    responses.get(f"{OVERSEERR}/api/v1/status", json={"version": "1.33.2"})
    responses.get(f"{OVERSEERR}/api/v1/auth/me", status=403, json={"status": 403})
    result = admin.post("/services/overseerr/test").get_json()
    assert result["ok"] is False
    assert result["message"] == "403 from Overseerr: the API key was refused."
    responses.replace(responses.GET, f"{OVERSEERR}/api/v1/auth/me", json={"id": 1})
    result = admin.post("/services/overseerr/test").get_json()
    assert result == {"ok": True, "response_ms": result["response_ms"], "message": "Overseerr 1.33.2 answered.",
                      "version": "1.33.2"}


def test_test_connection_of_an_unconfigured_service(admin) -> None:
    result = admin.post("/services/uptime_kuma/test").get_json()
    assert result["ok"] is False
    assert result["message"] == "Not configured."
    assert admin.post("/services/gopher/test").status_code == 404


def test_webhook_urls_and_rotation(admin, settings) -> None:
    first = admin.get("/webhooks").get_json()
    assert first["plex_url"].startswith(f"{settings.public_url}/api/v1/webhooks/plex/")
    assert first["overseerr_url"] == f"{settings.public_url}/api/v1/webhooks/overseerr"
    assert len(first["overseerr_authorization"]) >= 40
    assert admin.get("/webhooks").get_json() == first  # stable until rotated
    rotated = admin.post("/webhooks/rotate").get_json()
    assert rotated["plex_url"] != first["plex_url"]
    assert rotated["overseerr_authorization"] != first["overseerr_authorization"]
    assert admin.get("/webhooks").get_json() == rotated


ADMIN_ROUTES = [("get", "/services"), ("put", "/services/overseerr"), ("post", "/services/plex/test"),
                ("get", "/webhooks"), ("post", "/webhooks/rotate"), ("get", "/insights"), ("put", "/public"),
                ("post", "/services/plex/link"), ("get", "/services/plex/link/1"),
                ("post", "/services/plex/link/1/select")]


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_users_get_403_and_strangers_401_on_admin_routes(app, user, method: str, path: str) -> None:
    response = getattr(user, method)(path, json={})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert getattr(app.test_client(), method)(path, json={}).status_code == 401
