"""The event bus: a published event reaches a subscriber on real Redis; bad topics are refused."""

from __future__ import annotations

import threading
import uuid

import pytest

from medianest import events
from tests.conftest import is_probe, wait_for_bus_listener


def test_publish_reaches_the_subscriber(redis_client) -> None:
    received: list[events.Event] = []
    stop = threading.Event()

    def listen() -> None:
        for event in events.subscribe(redis_client, stop=stop, poll=0.1):
            if is_probe(event):
                continue
            received.append(event)
            if len(received) == 2:
                stop.set()

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    user = uuid.uuid4()
    wait_for_bus_listener(redis_client)
    assert events.publish(redis_client, events.downloads_topic(user), "download:progress", {"percent": 42.5}) == 1
    events.publish(redis_client, "status", "service:status", {"name": "plex", "status": "down"})
    thread.join(timeout=5)
    assert [(e.topic, e.type, e.data) for e in received] == [
        (f"downloads:{user}", "download:progress", {"percent": 42.5}),
        ("status", "service:status", {"name": "plex", "status": "down"}),
    ]
    assert received[0].at.endswith("Z")


@pytest.mark.parametrize("topic", ["user:not-a-uuid", "downloads:*", "mn:events:*", "", "status\n"])
def test_unknown_topics_are_refused(redis_client, topic: str) -> None:
    with pytest.raises(ValueError, match="unknown topic"):
        events.publish(redis_client, topic, "system:alert", {})


def test_unknown_event_types_are_refused(redis_client) -> None:
    with pytest.raises(ValueError, match="unknown event type"):
        events.publish(redis_client, "status", "anything", {})


def test_malformed_payloads_are_dropped() -> None:
    assert events.parse("{not json") is None
    assert events.parse('{"type": "x"}') is None
