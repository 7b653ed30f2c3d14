"""The event bus: functions and workers publish, the realtime function subscribes (Redis pub/sub).

Topics: `status`, `admin`, `user:<uuid>`, `downloads:<uuid>`. A message on the wire is
`{"type", "topic", "data", "at"}`, exactly what the realtime function forwards to the browser.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis

log = logging.getLogger(__name__)

EVENT_TYPES = frozenset({"service:status", "request:update", "download:progress", "user:notification",
                         "system:alert"})
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
TOPIC_RE = re.compile(rf"^(status|admin|user:{_UUID}|downloads:{_UUID})$")


@dataclass(frozen=True)
class Event:
    type: str
    topic: str
    data: dict[str, Any]
    at: str

    def to_json(self) -> str:
        return json.dumps({"type": self.type, "topic": self.topic, "data": self.data, "at": self.at},
                          separators=(",", ":"), default=str)


def namespace(client: redis.Redis) -> str:
    """Pub/sub ignores Redis database numbers, so channels carry the db: installations sharing a server
    (a laptop's `make run` and `make demo`, parallel test runs) never hear each other."""
    return f"mn:{client.connection_pool.connection_kwargs.get('db', 0)}:"


def channel(client: redis.Redis, topic: str) -> str:
    return f"{namespace(client)}events:{topic}"


def all_events(client: redis.Redis) -> str:
    return f"{namespace(client)}events:*"


def user_topic(user_id: object) -> str:
    return f"user:{user_id}"


def downloads_topic(user_id: object) -> str:
    return f"downloads:{user_id}"


def publish(client: redis.Redis, topic: str, type: str, data: dict[str, Any]) -> int:
    """Publish one event; returns how many subscriber processes received it."""
    if not TOPIC_RE.fullmatch(topic):
        raise ValueError(f"unknown topic {topic!r}")
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}")
    event = Event(type, topic, data, datetime.now(UTC).isoformat().replace("+00:00", "Z"))
    return int(client.publish(channel(client, topic), event.to_json()))


def parse(payload: str) -> Event | None:
    try:
        raw = json.loads(payload)
        return Event(raw["type"], raw["topic"], raw.get("data") or {}, raw["at"])
    except (ValueError, KeyError, TypeError):
        log.warning("dropped a malformed event")
        return None


def listen(client: redis.Redis, patterns: tuple[str, ...], stop: Any = None, poll: float = 1.0,
           ) -> Iterator[tuple[str, str]]:
    """Yield (channel, payload) for channels matching `patterns`, reconnecting with backoff.

    `stop` is an optional object with `is_set()` (a threading.Event) checked between polls.
    """
    delay = 0.5
    while stop is None or not stop.is_set():
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.psubscribe(*patterns)
            delay = 0.5
            while stop is None or not stop.is_set():
                message = pubsub.get_message(timeout=poll)
                if message and message.get("type") == "pmessage":
                    yield str(message["channel"]), str(message["data"])
        except (redis.ConnectionError, redis.TimeoutError):
            log.warning("event bus connection lost; reconnecting in %.1fs", delay)
            time.sleep(delay)
            delay = min(delay * 2, 10.0)
        finally:
            with contextlib.suppress(redis.RedisError):
                pubsub.close()


def subscribe(client: redis.Redis, stop: Any = None, poll: float = 1.0) -> Iterator[Event]:
    """Yield every event published on any topic."""
    for _, payload in listen(client, (all_events(client),), stop, poll):
        event = parse(payload)
        if event is not None:
            yield event
