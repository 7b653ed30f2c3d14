"""The Uptime Kuma fake: status page and heartbeat shapes, flipping monitors, version differences."""

from __future__ import annotations

import re

import pytest
import requests

from fakes.uptimekuma import STATUS_PAGE_SLUG, UPTIME_KUMA_API_KEY, FakeUptimeKuma

TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$")


def _beats(fake: FakeUptimeKuma, slug: str = STATUS_PAGE_SLUG) -> dict:
    resp = requests.get(f"{fake.url}/api/status-page/heartbeat/{slug}", timeout=5)
    assert resp.status_code == 200
    return resp.json()


def test_status_page_shape_1x(fake_uptimekuma: FakeUptimeKuma) -> None:
    page = requests.get(f"{fake_uptimekuma.url}/api/status-page/{STATUS_PAGE_SLUG}", timeout=5).json()
    assert page["config"]["slug"] == STATUS_PAGE_SLUG
    assert "googleAnalyticsId" in page["config"]
    assert page["incident"] is None
    assert "incidents" not in page
    assert page["maintenanceList"] == []
    monitors = page["publicGroupList"][0]["monitorList"]
    assert [m["name"] for m in monitors] == ["Plex", "Overseerr", "MediaNest", "NAS"]
    assert "url" in monitors[1]
    assert "url" not in monitors[0]


def test_heartbeats_oldest_first_with_24h_uptime_ratios(fake_uptimekuma: FakeUptimeKuma) -> None:
    body = _beats(fake_uptimekuma)
    assert set(body["heartbeatList"]) == {"1", "2", "3", "4"}
    plex = body["heartbeatList"]["1"]
    assert len(plex) == 50
    assert all(TIME_RE.match(b["time"]) for b in plex)
    assert [b["time"] for b in plex] == sorted(b["time"] for b in plex)
    assert all(b["msg"] == "" for b in plex)
    assert body["uptimeList"]["1_24"] == 1
    assert 0 < body["uptimeList"]["2_24"] < 1


def test_monitor_flips_through_the_control_endpoint(fake_uptimekuma: FakeUptimeKuma) -> None:
    resp = requests.post(f"{fake_uptimekuma.url}/__control/monitors/1", json={"status": 0}, timeout=5)
    assert resp.ok
    last = _beats(fake_uptimekuma)["heartbeatList"]["1"][-1]
    assert last["status"] == 0
    assert last["ping"] is None
    fake_uptimekuma.set_status(1, 1, ping=12)
    again = _beats(fake_uptimekuma)["heartbeatList"]["1"][-1]
    assert (again["status"], again["ping"], again["msg"]) == (1, 12, "")
    bad = requests.post(f"{fake_uptimekuma.url}/__control/monitors/1", json={"status": 7}, timeout=5)
    assert bad.status_code == 400


def test_unknown_slug_heartbeat_is_empty_not_an_error(fake_uptimekuma: FakeUptimeKuma) -> None:
    assert _beats(fake_uptimekuma, "nope") == {"heartbeatList": {}, "uptimeList": {}}


def test_unknown_slug_is_never_answered_by_1x(fake_uptimekuma: FakeUptimeKuma) -> None:
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(f"{fake_uptimekuma.url}/api/status-page/nope", timeout=(2, 0.5))


def test_2x_shapes_and_404(fake_uptimekuma: FakeUptimeKuma) -> None:
    assert requests.post(f"{fake_uptimekuma.url}/__control/version", json={"version": 2}, timeout=5).ok
    requests.post(f"{fake_uptimekuma.url}/__control/incident", json={"title": "Disk full"}, timeout=5)
    page = requests.get(f"{fake_uptimekuma.url}/api/status-page/{STATUS_PAGE_SLUG.upper()}", timeout=5).json()
    assert "incident" not in page
    assert page["incidents"][0]["title"] == "Disk full"
    missing = requests.get(f"{fake_uptimekuma.url}/api/status-page/nope", timeout=5)
    assert (missing.status_code, missing.json()) == (404, {"status": "fail", "msg": "Status Page Not Found"})


def test_metrics_need_the_api_key(fake_uptimekuma: FakeUptimeKuma) -> None:
    assert requests.get(f"{fake_uptimekuma.url}/metrics", timeout=5).status_code == 401
    assert requests.get(f"{fake_uptimekuma.url}/metrics", auth=("", "wrong"), timeout=5).status_code == 401
    resp = requests.get(f"{fake_uptimekuma.url}/metrics", auth=("", UPTIME_KUMA_API_KEY), timeout=5)
    assert resp.status_code == 200
    assert 'monitor_status{monitor_name="Plex"' in resp.text
