"""Redis caching of answers from outside services, with single-flight loading.

`cached(client, key, ttl, loader)` returns the cached JSON value, or runs `loader` once across every
process and thread: the first caller takes a lock (`SET NX PX`), the others wait for its value. When the
loader fails with an UpstreamError, the waiters (and callers for a few seconds after) get the same error
instead of each trying the dead service again.

Plex library keys are scoped to the linked server and a generation number:
`mn:plex:{machine_id}:g{generation}:{kind}:{digest}`. `invalidate_library` bumps the generation, which
makes every older entry unreachable at once; the old entries then expire by their TTLs.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import redis

from medianest.http import UpstreamError

# Seconds each kind of Plex answer is kept.
LIBRARY_TTLS = {"sections": 600, "items": 600, "recent": 120, "search": 60, "item": 600}
ERROR_MS = 3000  # how long a failed load answers for everyone before the next caller tries again
POLL_SECONDS = 0.02
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


def generation_key(machine_id: str) -> str:
    return f"mn:plex:{machine_id}:generation"


def library_key(client: redis.Redis, machine_id: str, kind: str, *parts: Any) -> str:
    """The cache key of one Plex answer: the server, the current generation, the kind and its parameters."""
    generation = client.get(generation_key(machine_id)) or "0"
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:24]
    return f"mn:plex:{machine_id}:g{generation}:{kind}:{digest}"


def invalidate_library(client: redis.Redis, machine_id: str) -> int:
    """Forget every cached answer of this Plex server (new media arrived); returns the new generation."""
    return int(client.incr(generation_key(machine_id)))


@contextmanager
def redis_lock(client: redis.Redis, key: str, ttl_ms: int, wait: float = 0.0) -> Iterator[bool]:
    """Hold `key` for at most `ttl_ms`; yields False when it stayed taken for `wait` seconds."""
    token = secrets.token_hex(16)
    deadline = time.monotonic() + wait
    acquired = bool(client.set(key, token, nx=True, px=ttl_ms))
    while not acquired and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS * 5)
        acquired = bool(client.set(key, token, nx=True, px=ttl_ms))
    try:
        yield acquired
    finally:
        if acquired:
            client.eval(_RELEASE, 1, key, token)


def _raise_stored(raw: str) -> None:
    stored = json.loads(raw)
    raise UpstreamError(stored["service"], stored["kind"], stored["message"], stored.get("status"))


def cached(client: redis.Redis, key: str, ttl: int, loader: Callable[[], Any], *, lock_ms: int = 30000) -> Any:
    """The value under `key`, loading it with `loader` (JSON-serialisable) at most once at a time."""
    lock_key, error_key = f"{key}:lock", f"{key}:error"
    deadline = time.monotonic() + lock_ms / 1000
    while True:
        hit, error = client.mget(key, error_key)
        if hit is not None:
            return json.loads(hit)
        if error is not None:
            _raise_stored(error)
        token = secrets.token_hex(16)
        if client.set(lock_key, token, nx=True, px=lock_ms):
            try:
                # another caller may have stored it between our miss and our lock
                hit = client.get(key)
                if hit is not None:
                    return json.loads(hit)
                try:
                    value = loader()
                except UpstreamError as exc:
                    client.set(error_key, json.dumps({"service": exc.service, "kind": exc.kind,
                                                      "message": exc.message, "status": exc.status}), px=ERROR_MS)
                    raise
                client.set(key, json.dumps(value, separators=(",", ":")), ex=ttl)
                return value
            finally:
                client.eval(_RELEASE, 1, lock_key, token)
        # Someone else is loading: wait for their value, their error, or their lock to vanish (they died).
        while client.exists(lock_key):
            if time.monotonic() > deadline:
                raise UpstreamError("cache", "timeout", "The answer took too long to arrive; try again.")
            time.sleep(POLL_SECONDS)
            if client.exists(key, error_key):
                break
