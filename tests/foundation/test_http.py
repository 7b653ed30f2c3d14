"""Outbound HTTP: timeouts, retries for idempotent calls only, the circuit breaker, safe errors."""

from __future__ import annotations

import time

import pytest
import requests
import responses

from medianest.http import ServiceClient, UpstreamError, breaker_state, get_breaker

BASE = "http://overseerr.test"


def make_client(**kw) -> ServiceClient:
    return ServiceClient("overseerr", "Overseerr", BASE, headers={"X-Api-Key": "ov-secret-key"},
                         connect_timeout=1, read_timeout=2, breaker_failures=3, breaker_recovery=1,
                         session=requests.Session(), **kw)


@responses.activate
def test_timeouts_are_always_sent_and_headers_merged() -> None:
    responses.get(f"{BASE}/api/v1/status", json={"version": "1.33.2"})
    client = make_client()
    assert client.json(client.request("GET", "/api/v1/status")) == {"version": "1.33.2"}
    call = responses.calls[0]
    assert call.request.headers["X-Api-Key"] == "ov-secret-key"
    assert call.request.req_kwargs["timeout"] == (1, 2)


@responses.activate
def test_idempotent_calls_retry_transient_failures() -> None:
    responses.get(f"{BASE}/x", status=503)
    responses.get(f"{BASE}/x", body=requests.ConnectionError("reset"))
    responses.get(f"{BASE}/x", json={"ok": True})
    assert make_client().request("GET", "/x").json() == {"ok": True}
    assert len(responses.calls) == 3


@responses.activate
def test_non_idempotent_calls_are_not_retried() -> None:
    responses.post(f"{BASE}/api/v1/request", status=503)
    with pytest.raises(UpstreamError) as info:
        make_client().request("POST", "/api/v1/request", json={"mediaId": 1})
    assert info.value.status == 503
    assert len(responses.calls) == 1


@responses.activate
def test_client_errors_are_not_retried_and_do_not_open_the_breaker() -> None:
    responses.get(f"{BASE}/auth", status=401, body="invalid key ov-secret-key")
    client = make_client()
    for _ in range(5):
        with pytest.raises(UpstreamError) as info:
            client.request("GET", "/auth")
        assert info.value.status == 401
        assert "ov-secret-key" not in str(info.value)
        assert "invalid key" not in str(info.value)
    assert len(responses.calls) == 5
    assert breaker_state("overseerr") == "closed"


@responses.activate
def test_breaker_opens_then_half_opens_then_closes() -> None:
    responses.get(f"{BASE}/x?token=abc123", body=requests.ConnectTimeout("slow"))
    client = make_client(retries=0)
    for _ in range(3):
        with pytest.raises(UpstreamError) as info:
            client.request("GET", "/x", params={"token": "abc123"})
        assert info.value.kind == "timeout"
        assert "abc123" not in info.value.message
    assert breaker_state("overseerr") == "open"
    with pytest.raises(UpstreamError) as info:
        client.request("GET", "/x", params={"token": "abc123"})
    assert info.value.kind == "circuit_open"
    assert len(responses.calls) == 3  # fast failure: the open breaker made no call
    time.sleep(1.1)
    assert breaker_state("overseerr") == "half_open"
    responses.replace(responses.GET, f"{BASE}/x?token=abc123", json={"ok": True})
    assert client.request("GET", "/x", params={"token": "abc123"}).json() == {"ok": True}
    assert breaker_state("overseerr") == "closed"


@responses.activate
def test_a_failed_trial_call_reopens_the_breaker() -> None:
    responses.get(f"{BASE}/x", status=500)
    client = make_client(retries=0)
    for _ in range(3):
        with pytest.raises(UpstreamError):
            client.request("GET", "/x")
    time.sleep(1.1)
    with pytest.raises(UpstreamError) as info:
        client.request("GET", "/x")
    assert info.value.kind == "http"
    assert breaker_state("overseerr") == "open"
    assert get_breaker("overseerr").failure_count >= 4


@responses.activate
def test_garbage_json_is_a_clean_error() -> None:
    responses.get(f"{BASE}/x", body="<html>oops ov-secret-key</html>")
    client = make_client()
    with pytest.raises(UpstreamError) as info:
        client.json(client.request("GET", "/x"))
    assert info.value.kind == "bad_response"
    assert "oops" not in info.value.message


@responses.activate
def test_outbound_latency_is_measured() -> None:
    from prometheus_client import REGISTRY

    responses.get(f"{BASE}/m", json={})
    before = REGISTRY.get_sample_value("medianest_outbound_request_seconds_count",
                                       {"service": "overseerr", "outcome": "ok"}) or 0
    make_client().request("GET", "/m")
    after = REGISTRY.get_sample_value("medianest_outbound_request_seconds_count",
                                      {"service": "overseerr", "outcome": "ok"})
    assert after == before + 1
