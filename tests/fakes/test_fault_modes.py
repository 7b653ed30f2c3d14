"""Fault modes every fake shares: slow, hang, down, 500, garbage — from Python and over HTTP."""

from __future__ import annotations

import time

import pytest
import requests

from fakes.server import FakeServer
from fakes.uptimekuma import STATUS_PAGE_SLUG, FakeUptimeKuma

PAGE = f"/api/status-page/{STATUS_PAGE_SLUG}"


def test_hang_accepts_but_never_answers_so_only_a_client_timeout_ends_it(fake_uptimekuma: FakeUptimeKuma) -> None:
    fake_uptimekuma.set_mode("hang")
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(fake_uptimekuma.url + PAGE, timeout=(2, 0.5))
    assert time.monotonic() - started < 10
    fake_uptimekuma.reset()
    assert requests.get(fake_uptimekuma.url + PAGE, timeout=5).status_code == 200


def test_down_refuses_connections_then_comes_back_on_the_same_port(fake_uptimekuma: FakeUptimeKuma) -> None:
    url = fake_uptimekuma.url
    session = requests.Session()
    assert session.get(url + PAGE, timeout=5).status_code == 200  # a pooled keep-alive connection
    fake_uptimekuma.set_mode("down")
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url + PAGE, timeout=2)
    with pytest.raises(requests.exceptions.ConnectionError):
        session.get(url + PAGE, timeout=2)  # open connections are cut too
    fake_uptimekuma.set_mode("normal")
    assert fake_uptimekuma.url == url
    assert requests.get(url + PAGE, timeout=5).status_code == 200


def test_slow_delays_the_answer(fake_uptimekuma: FakeUptimeKuma) -> None:
    fake_uptimekuma.set_mode("slow", delay=0.4)
    started = time.monotonic()
    assert requests.get(fake_uptimekuma.url + PAGE, timeout=5).status_code == 200
    assert time.monotonic() - started >= 0.35


def test_error_and_garbage_modes(fake_uptimekuma: FakeUptimeKuma) -> None:
    fake_uptimekuma.set_mode("error")
    resp = requests.get(fake_uptimekuma.url + PAGE, timeout=5)
    assert resp.status_code == 500
    assert resp.headers["Content-Type"].startswith("text/html")
    fake_uptimekuma.set_mode("garbage")
    resp = requests.get(fake_uptimekuma.url + PAGE, timeout=5)
    assert resp.status_code == 200
    with pytest.raises(requests.exceptions.JSONDecodeError):  # not JSON (nor even UTF-8)
        resp.json()


def test_mode_can_be_limited_to_a_path_prefix(fake_uptimekuma: FakeUptimeKuma) -> None:
    fake_uptimekuma.set_mode("error", path_prefix="/api/status-page/heartbeat")
    assert requests.get(fake_uptimekuma.url + PAGE, timeout=5).status_code == 200
    resp = requests.get(f"{fake_uptimekuma.url}/api/status-page/heartbeat/{STATUS_PAGE_SLUG}", timeout=5)
    assert resp.status_code == 500


def test_control_endpoint_sets_modes_and_down_needs_a_duration(fake_uptimekuma: FakeUptimeKuma) -> None:
    url = fake_uptimekuma.url
    assert requests.post(f"{url}/__control/mode", json={"mode": "error"}, timeout=5).status_code == 200
    assert requests.get(url + PAGE, timeout=5).status_code == 500
    assert requests.get(f"{url}/__control/mode", timeout=5).json()["mode"] == "error"
    assert requests.post(f"{url}/__control/mode", json={"mode": "sideways"}, timeout=5).status_code == 400
    assert requests.post(f"{url}/__control/mode", json={"mode": "down"}, timeout=5).status_code == 400
    assert requests.post(f"{url}/__control/mode", json={"mode": "down", "duration": 1.5}, timeout=5).ok
    assert _refused_within(url + PAGE, seconds=1.4)  # it goes down just after answering the control call
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if requests.get(url + PAGE, timeout=2).status_code == 200:
                break
        except requests.exceptions.ConnectionError:
            time.sleep(0.1)
    else:
        pytest.fail("the fake did not come back after its down duration")


def _refused_within(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
        except requests.exceptions.ConnectionError:
            return True
        time.sleep(0.02)
    return False


def test_reset_over_http_restores_data_and_mode(fake_uptimekuma: FakeUptimeKuma) -> None:
    fake_uptimekuma.set_status(1, 0)
    fake_uptimekuma.set_mode("error")
    assert requests.post(f"{fake_uptimekuma.url}/__control/reset", timeout=5).ok
    beats = requests.get(f"{fake_uptimekuma.url}/api/status-page/heartbeat/{STATUS_PAGE_SLUG}", timeout=5).json()
    assert beats["heartbeatList"]["1"][-1]["status"] == 1


def test_fake_server_runs_any_wsgi_app_on_an_ephemeral_port() -> None:
    def app(environ: dict, start_response: object) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])  # type: ignore[operator]
        return [b"hello"]

    with FakeServer(app) as server:
        assert server.port > 0
        assert server.url.startswith("http://127.0.0.1:")
        assert requests.get(server.url, timeout=5).text == "hello"
    assert not server.listening
