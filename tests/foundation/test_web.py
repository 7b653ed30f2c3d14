"""The web layer: one JSON error shape, access control, CSRF, rate limits, headers, logs, metrics, spec."""

from __future__ import annotations

import io
import json
import logging
import uuid
from typing import Any

import pytest

from medianest.config import Settings
from medianest.logs import RedactingJsonFormatter, RequestIdFilter
from tests.conftest import derive
from tests.foundation.webapp import build

ERROR_KEYS = {"code", "message", "request_id"}


@pytest.fixture
def app(settings: Settings):
    return build(settings)


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response.content_type == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) >= ERROR_KEYS
    assert body["error"]["code"] == code
    assert body["error"]["request_id"] == response.headers["X-Request-ID"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body["error"]


def test_error_shape_for_every_status(app, make_user, signed_in) -> None:
    anon = app.test_client()
    assert_error(anon.get("/mine"), 401, "unauthenticated")
    assert_error(anon.get("/nowhere"), 404, "not_found")
    allowed = assert_error(anon.put("/open"), 405, "method_not_allowed")
    assert allowed["message"]
    assert assert_error(anon.get("/boom"), 500, "internal_error")["message"].startswith("Something went wrong")

    user_client, tokens = signed_in(app, make_user())
    csrf = {"X-CSRF-Token": tokens["csrf"]}
    assert_error(user_client.delete(f"/things/{uuid.uuid4()}", headers=csrf), 403, "forbidden")
    assert_error(user_client.post("/things", data="{not json", content_type="application/json", headers=csrf),
                 400, "invalid_json")
    details = assert_error(user_client.post("/things", json={"name": "", "count": 99, "api_key": "SEKRIT-123"},
                                            headers=csrf), 422, "validation_error")
    fields = {d["field"] for d in json.loads(json.dumps(details))["details"]}
    assert fields == {"name", "count"}
    assert_error(user_client.get("/things?limit=1000"), 422, "validation_error")
    assert_error(user_client.post("/things", data="x", content_type="text/plain", headers=csrf), 415,
                 "unsupported_media_type")
    assert_error(user_client.post("/things", data=b"{" + b" " * (1024 * 1024 + 10) + b"}",
                                  content_type="application/json", headers=csrf), 413, "payload_too_large")


def test_validation_errors_never_echo_submitted_values(app, make_user, signed_in) -> None:
    client, tokens = signed_in(app, make_user())
    response = client.post("/things", json={"name": "x" * 50, "count": -1, "api_key": "SEKRIT-VALUE"},
                           headers={"X-CSRF-Token": tokens["csrf"]})
    assert response.status_code == 422
    assert "SEKRIT-VALUE" not in response.get_data(as_text=True)
    assert "x" * 50 not in response.get_data(as_text=True)


def test_valid_input_reaches_the_view(app, make_user, signed_in) -> None:
    user = make_user()
    client, tokens = signed_in(app, user)
    created = client.post("/things", json={"name": "lamp", "count": 2}, headers={"X-CSRF-Token": tokens["csrf"]})
    assert created.status_code == 201
    assert created.get_json() == {"name": "lamp", "count": 2, "owner": str(user["id"])}
    assert client.get("/things?offset=5&limit=7").get_json() == {"offset": 5, "limit": 7}


def test_routes_without_an_access_declaration_still_need_a_session(app, make_user, signed_in) -> None:
    assert_error(app.test_client().get("/undeclared"), 401, "unauthenticated")
    client, _ = signed_in(app, make_user())
    assert client.get("/undeclared").status_code == 200


def test_csrf_double_submit(app, make_user, signed_in) -> None:
    client, tokens = signed_in(app, make_user())
    body = {"name": "lamp", "count": 1}
    assert_error(client.post("/things", json=body), 403, "csrf_failed")
    assert_error(client.post("/things", json=body, headers={"X-CSRF-Token": "wrong"}), 403, "csrf_failed")
    assert client.post("/things", json=body, headers={"X-CSRF-Token": tokens["csrf"]}).status_code == 201
    assert client.get("/mine").status_code == 200  # safe methods need no token


def test_rate_limit_answers_429_with_retry_after(app) -> None:
    client = app.test_client()
    for _ in range(3):
        allowed = client.get("/limited")
        assert allowed.status_code == 200
        assert "Retry-After" not in allowed.headers
    error = assert_error(client.get("/limited"), 429, "rate_limited")
    assert error["message"]
    response = client.get("/limited")
    assert int(response.headers["Retry-After"]) > 0


def test_api_rate_limit_is_per_user(settings: Settings, make_user, signed_in) -> None:
    app = build(derive(settings, MEDIANEST_RATE_LIMIT="5/minute"))
    alice, _ = signed_in(app, make_user())
    bob, _ = signed_in(app, make_user())
    codes = [alice.get("/mine").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    assert bob.get("/mine").status_code == 200  # bob has his own budget
    assert app.test_client().get("/healthz").status_code == 200  # health is never limited


def test_request_id_is_echoed_or_generated(app) -> None:
    client = app.test_client()
    assert client.get("/open", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    generated = client.get("/open", headers={"X-Request-ID": "bad id with spaces"}).headers["X-Request-ID"]
    assert generated != "bad id with spaces"
    assert len(generated) == 32


def test_security_headers_and_closed_cors(app) -> None:
    response = app.test_client().get("/open", headers={"Origin": "https://evil.example"})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = app.test_client().options("/open", headers={"Origin": "https://evil.example",
                                                             "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in preflight.headers


def test_hsts_only_behind_https(settings: Settings) -> None:
    https_app = build(derive(settings, MEDIANEST_PUBLIC_URL="https://media.example.org"))
    assert "max-age" in https_app.test_client().get("/open").headers["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in build(settings).test_client().get("/open").headers


def test_logs_are_json_with_request_id_and_secrets_redacted(app, settings: Settings) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(RedactingJsonFormatter("%(levelname)s %(name)s %(message)s %(request_id)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        response = app.test_client().get("/boom", headers={"X-Request-ID": "req-42"})
        assert response.status_code == 500
        logging.getLogger("probe").warning("calling https://plex/library?X-Plex-Token=abcdef123456&x=1")
        logging.getLogger("probe").warning("headers %s", {"X-Api-Key": "ovkey-987654", "Authorization": "hook-s3cr3t"})
        logging.getLogger("probe").warning("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here")
    finally:
        root.removeHandler(handler)
    output = stream.getvalue()
    lines = [json.loads(line) for line in output.splitlines()]
    assert any(line.get("request_id") == "req-42" and line["message"] == "unhandled error" for line in lines)
    for secret in (settings.secret_key, "abcdef123456", "ovkey-987654", "hook-s3cr3t", "c2lnbmF0dXJl"):
        assert secret not in output
    assert "[REDACTED]" in output


def test_metrics_need_an_admin_or_the_scrape_token(settings: Settings, make_user, signed_in) -> None:
    app = build(derive(settings, MEDIANEST_METRICS_TOKEN="scrape-token-1234"))
    app.test_client().get("/open")
    assert app.test_client().get("/metrics").status_code == 401
    user_client, _ = signed_in(app, make_user())
    assert user_client.get("/metrics").status_code == 403
    admin_client, _ = signed_in(app, make_user(role="admin"))
    body = admin_client.get("/metrics").get_data(as_text=True)
    assert 'medianest_http_requests_total{function="medianest.probe",method="GET",route="/open",status="200"}' in body
    scraped = app.test_client().get("/metrics", headers={"Authorization": "Bearer scrape-token-1234"})
    assert scraped.status_code == 200


def test_openapi_documents_models_access_and_errors(app) -> None:
    spec = app.test_client().get("/openapi.json").get_json()
    post = spec["paths"]["/things"]["post"]
    assert post["x-access"] == "user"
    assert post["requestBody"]["content"]["application/json"]["schema"]["properties"]["count"]["maximum"] == 10
    assert {"201", "401", "422"} <= set(post["responses"])
    assert spec["paths"]["/things"]["get"]["parameters"][1]["name"] == "limit"
    assert spec["paths"]["/things/{thing_id}"]["delete"]["x-access"] == "admin"
    assert spec["paths"]["/open"]["get"]["x-access"] == "public"
    assert "ErrorResponse" in spec["components"]["schemas"]
