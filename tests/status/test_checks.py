"""The periodic checks: concurrency with per-service timeouts, state changes as events, cache reads."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import responses

from functions.status import jobs
from medianest import events
from tests.conftest import derive, wait_for_bus_listener
from tests.status.conftest import KUMA, MACHINE_ID, OVERSEERR, PLEX


@pytest.fixture
def hanging_server() -> Iterator[str]:
    """Accepts connections and never answers (a hung service)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    listener.close()


def kuma_pages(status: int) -> None:
    responses.get(f"{KUMA}/api/status-page/home", json={
        "config": {"slug": "home"}, "incident": None, "maintenanceList": [],
        "publicGroupList": [{"id": 1, "name": "Services", "monitorList": [
            {"id": 3, "name": "NAS", "sendUrl": 0, "type": "http"}]}]})
    responses.get(f"{KUMA}/api/status-page/heartbeat/home", json={
        "heartbeatList": {"3": [{"status": 1, "time": "2026-11-24 12:00:00.123", "msg": "", "ping": 40},
                                {"status": status, "time": "2026-11-24 12:01:00", "msg": "", "ping": 42}]},
        "uptimeList": {"3_24": 0.99}})


def collect_events(redis_client, run) -> list[events.Event]:
    received: list[events.Event] = []
    stop = threading.Event()
    thread = threading.Thread(target=lambda: [received.append(e) for e in events.subscribe(redis_client, stop, 0.05)],
                              daemon=True)
    thread.start()
    wait_for_bus_listener(redis_client)
    run()
    time.sleep(0.3)
    stop.set()
    thread.join(timeout=3)
    return received


def test_a_hanging_service_is_down_within_its_timeout_and_delays_nobody(settings, configure, hanging_server) -> None:
    fast = derive(settings, MEDIANEST_HTTP_READ_TIMEOUT="1", MEDIANEST_HTTP_CONNECT_TIMEOUT="1")
    configure("plex", hanging_server, "token-1", machine_identifier=MACHINE_ID)
    configure("overseerr", hanging_server, "key-1")
    started = time.monotonic()
    with responses.RequestsMock() as mock:
        mock.add_passthru(hanging_server)
        payload = jobs.run_checks(fast)
    elapsed = time.monotonic() - started
    by_name = {s["name"]: s for s in payload["services"]}
    assert by_name["plex"]["status"] == "down"
    assert by_name["plex"]["message"] == "Plex did not answer in time."
    assert by_name["overseerr"]["status"] == "down"
    assert by_name["database"]["status"] == "up"
    assert by_name["redis"]["status"] == "up"
    assert by_name["youtube"]["status"] == "up"
    assert by_name["uptime_kuma"]["status"] == "disabled"
    assert elapsed < 6  # both hung services were waited for side by side, not one after the other


@responses.activate
def test_a_flipping_monitor_publishes_one_event_per_change(settings, configure, redis_client) -> None:
    configure("uptime_kuma", KUMA, options={"slug": "home"})
    kuma_pages(1)

    def three_rounds() -> None:
        jobs.run_checks(settings)
        jobs.run_checks(settings)  # nothing changed: no event
        responses.reset()
        kuma_pages(0)
        jobs.run_checks(settings)

    received = collect_events(redis_client, three_rounds)
    nas = [(e.data["status"]) for e in received if e.data.get("name") == "uptime_kuma:3" and e.topic == "status"]
    assert nas == ["up", "down"]
    page = [e for e in received if e.data.get("name") == "uptime_kuma"]
    assert len(page) == 1  # the page itself answered every time: one event, on first sight


@responses.activate
def test_a_service_going_down_notifies_the_admins(settings, configure, make_user, db_conn, redis_client) -> None:
    admin = make_user(role="admin")
    make_user()
    configure("overseerr", OVERSEERR, "key-1")
    responses.get(f"{OVERSEERR}/api/v1/status", json={"version": "1.33.2"})
    jobs.run_checks(settings)
    responses.replace(responses.GET, f"{OVERSEERR}/api/v1/status", status=500)
    jobs.run_checks(settings)
    notes = db_conn.execute("SELECT user_id, type, title FROM notifications").fetchall()
    assert [(n["user_id"], n["type"], n["title"]) for n in notes] == [(admin["id"], "service_down",
                                                                      "Overseerr is down")]
    jobs.run_checks(settings)  # still down: no second notification
    assert db_conn.execute("SELECT count(*) AS n FROM notifications").fetchone()["n"] == 1


@responses.activate
def test_status_route_reads_the_cache_and_goes_unknown_when_stale(app, user, settings, configure,
                                                                   redis_client) -> None:
    configure("plex", PLEX, "token-1", machine_identifier=MACHINE_ID)
    responses.get(f"{PLEX}/identity", json={"MediaContainer": {"machineIdentifier": MACHINE_ID, "version": "1.41"}})
    jobs.run_checks(settings)
    calls = len(responses.calls)
    listing = user.get("/").get_json()
    assert len(responses.calls) == calls  # the read itself never calls a service
    plex = next(s for s in listing if s["name"] == "plex")
    assert plex["status"] == "up"
    assert plex["uptime_24h"] == 1.0
    assert plex["display_name"] == "Plex"
    cached = json.loads(redis_client.get(jobs.CACHE_KEY))
    cached["checked_at"] = (datetime.now(UTC) - timedelta(seconds=settings.check_interval * 4)).isoformat()
    redis_client.set(jobs.CACHE_KEY, json.dumps(cached))
    stale = user.get("/").get_json()
    assert {s["status"] for s in stale} == {"unknown"}
    assert "worker" in stale[0]["message"]


def test_history_buckets_and_uptime_arithmetic(user, db_conn, settings) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    rows = [(now - timedelta(minutes=m), "up" if m % 4 else "down", 100 + m) for m in range(1, 41)]
    for at, status, ms in rows:
        db_conn.execute("INSERT INTO service_checks (service, status, response_ms, checked_at)"
                        " VALUES ('plex', %s, %s, %s)", (status, ms, at))
    points = user.get("/plex/history?hours=1").get_json()
    assert len(points) == 40  # one-minute buckets over an hour
    assert [p["status"] for p in points].count("down") == 10
    assert all(p["at"].endswith("Z") for p in points)
    from medianest.store import service_checks

    assert service_checks.uptime(db_conn, now - timedelta(hours=24))["plex"] == pytest.approx(0.75)
    assert user.get("/plex/history?hours=0").status_code == 422
    assert user.get("/plex/history?hours=169").status_code == 422
    assert user.get("/..%2F..%2Fetc/history").status_code == 404


def test_public_status_is_off_until_an_admin_turns_it_on(app, admin, settings, redis_client) -> None:
    anonymous = app.test_client()
    assert anonymous.get("/public").status_code == 404
    redis_client.set(jobs.CACHE_KEY, json.dumps({"checked_at": datetime.now(UTC).isoformat(), "services": [
        {"name": "plex", "display_name": "Plex", "status": "up", "response_ms": 12, "message": "Plex 1.4 answered.",
         "checked_at": datetime.now(UTC).isoformat(), "uptime_24h": 1.0}]}))
    assert admin.put("/public", json={"enabled": True}).status_code == 200
    assert anonymous.get("/public").get_json() == [{"name": "plex", "display_name": "Plex", "status": "up"}]
