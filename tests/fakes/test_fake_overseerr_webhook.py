"""Overseerr's webhook: default template, string values, the configured Authorization header."""

from __future__ import annotations

import base64
import json

import requests

from fakes.overseerr import OVERSEERR_API_KEY, FakeOverseerr
from fakes.overseerr.webhook import default_template, js_replace_first, render
from fakes.receiver import Receiver

ADMIN = {"X-Api-Key": OVERSEERR_API_KEY}
ALICE = ADMIN | {"X-Api-User": "2"}


def _configure(fake: FakeOverseerr, receiver: Receiver, auth: str = "Bearer s3cret-hook") -> None:
    resp = requests.post(f"{fake.url}/__control/webhook", json={"url": f"{receiver.url}/hooks/overseerr",
                                                                "authHeader": auth}, timeout=5)
    assert resp.ok


def test_status_changes_are_sent_with_the_authorization_header(fake_overseerr: FakeOverseerr,
                                                               webhook_receiver: Receiver) -> None:
    _configure(fake_overseerr, webhook_receiver)
    api = f"{fake_overseerr.url}/api/v1"
    rid = requests.post(f"{api}/request", json={"mediaType": "movie", "mediaId": 438631}, headers=ALICE,
                        timeout=5).json()["id"]
    requests.post(f"{api}/request/{rid}/approve", headers=ADMIN, timeout=5).raise_for_status()
    requests.post(f"{fake_overseerr.url}/__control/requests/{rid}/available", timeout=5).raise_for_status()
    got = webhook_receiver.wait_for(3)
    assert [r.path for r in got] == ["/hooks/overseerr"] * 3
    assert {r.headers["Authorization"] for r in got} == {"Bearer s3cret-hook"}  # sent verbatim
    assert all(r.headers["Content-Type"] == "application/json" for r in got)
    bodies = [r.json() for r in got]
    assert [b["notification_type"] for b in bodies] == ["MEDIA_PENDING", "MEDIA_APPROVED", "MEDIA_AVAILABLE"]
    assert [b["event"] for b in bodies] == ["New Movie Request", "Movie Request Approved",
                                            "Movie Request Now Available"]
    last = bodies[-1]
    assert last["subject"] == "Dune (2021)"
    assert last["media"] == {"media_type": "movie", "tmdbId": "438631", "tvdbId": "", "status": "AVAILABLE",
                             "status4k": "UNKNOWN"}
    assert last["request"]["request_id"] == str(rid)  # every value is a string
    assert last["request"]["requestedBy_username"] == "alice"
    assert last["issue"] is None
    assert last["comment"] is None
    assert last["extra"] == []
    assert list(last) == ["notification_type", "event", "subject", "message", "image", "media", "request",
                          "issue", "comment", "extra"]


def test_tv_request_carries_requested_seasons_and_auto_approval(fake_overseerr: FakeOverseerr,
                                                                webhook_receiver: Receiver) -> None:
    _configure(fake_overseerr, webhook_receiver)
    requests.post(f"{fake_overseerr.url}/api/v1/request", json={"mediaType": "tv", "mediaId": 136315,
                                                                "seasons": [1, 2]}, headers=ADMIN, timeout=5)
    body = webhook_receiver.wait_for(1)[0].json()
    assert body["notification_type"] == "MEDIA_AUTO_APPROVED"
    assert body["event"] == "Series Request Automatically Approved"
    assert body["extra"] == [{"name": "Requested Seasons", "value": "1, 2"}]
    assert body["media"]["tvdbId"] == "403245"
    assert body["media"]["status"] == "PROCESSING"


def test_failure_notification(fake_overseerr: FakeOverseerr, webhook_receiver: Receiver) -> None:
    _configure(fake_overseerr, webhook_receiver)
    rid = requests.post(f"{fake_overseerr.url}/api/v1/request", json={"mediaType": "movie", "mediaId": 10386},
                        headers=ADMIN, timeout=5).json()["id"]
    assert requests.post(f"{fake_overseerr.url}/__control/requests/{rid}/failed", timeout=5).ok
    kinds = [r.json()["notification_type"] for r in webhook_receiver.wait_for(2)]
    assert kinds == ["MEDIA_AUTO_APPROVED", "MEDIA_FAILED"]


def test_settings_api_with_default_types_sends_only_the_test_notification(fake_overseerr: FakeOverseerr,
                                                                          webhook_receiver: Receiver) -> None:
    api = f"{fake_overseerr.url}/api/v1"
    settings = {"enabled": True, "types": 0, "options": {"webhookUrl": webhook_receiver.url, "authHeader": "k"}}
    saved = requests.post(f"{api}/settings/notifications/webhook", json=settings, headers=ADMIN, timeout=5)
    assert saved.status_code == 200
    template = json.loads(base64.b64decode(saved.json()["options"]["jsonPayload"]))
    assert json.loads(template) == json.loads(default_template())
    assert requests.post(f"{api}/settings/notifications/webhook", json=settings, headers=ALICE,
                         timeout=5).status_code == 403
    requests.post(f"{api}/request", json={"mediaType": "movie", "mediaId": 438631}, headers=ADMIN, timeout=5)
    test = requests.post(f"{api}/settings/notifications/webhook/test", json=settings, headers=ADMIN, timeout=5)
    assert test.status_code == 204
    got = webhook_receiver.wait_for(1)
    fake_overseerr.webhook.flush()
    assert [r.json()["notification_type"] for r in webhook_receiver.received] == ["TEST_NOTIFICATION"]
    assert got[0].json()["subject"] == "Test Notification"
    assert got[0].json()["media"] is None


def test_unreachable_target_is_logged_not_retried(fake_overseerr: FakeOverseerr) -> None:
    fake_overseerr.configure_webhook("http://127.0.0.1:9/nowhere", "x")
    requests.post(f"{fake_overseerr.url}/api/v1/request", json={"mediaType": "movie", "mediaId": 438631},
                  headers=ADMIN, timeout=5)
    deliveries = requests.get(f"{fake_overseerr.url}/__control/webhook/deliveries", timeout=15).json()
    assert len(deliveries) == 1
    assert deliveries[0]["status"] is None
    assert deliveries[0]["error"]


def test_template_rendering_follows_overseerr_quirks() -> None:
    payload = {"type": "MEDIA_PENDING", "event": "E", "subject": "A $& B", "media": None, "request": None}
    rendered = render('{"s": "{{subject}} {{subject}}", "{{media}}": {"x": "{{media_tmdbid}}"}}', payload)
    assert rendered == {"s": "A {{subject}} B {{subject}}", "media": None}  # first occurrence; JS "$&"
    assert js_replace_first("a-b-b", "b", "$$") == "a-$-b"
