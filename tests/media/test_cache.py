"""The Redis cache: single-flight under concurrency, shared failures, TTLs, server-scoped invalidation."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from medianest import cache
from medianest.http import UpstreamError

MACHINE = "96f2fe7a78c9dc1f16a16bedbe90f98149be16b4"


def test_twenty_cold_callers_load_once(redis_client):
    calls = []
    barrier = threading.Barrier(20)

    def loader():
        calls.append(1)
        time.sleep(0.3)
        return {"answer": 42}

    def one():
        barrier.wait()
        return cache.cached(redis_client, "mn:test:key", 60, loader)

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(lambda _: one(), range(20)))
    assert len(calls) == 1
    assert results == [{"answer": 42}] * 20
    assert 0 < redis_client.ttl("mn:test:key") <= 60
    assert not redis_client.exists("mn:test:key:lock")


def test_a_failure_reaches_the_waiters_without_more_calls(redis_client):
    calls = []
    barrier = threading.Barrier(10)

    def loader():
        calls.append(1)
        time.sleep(0.2)
        raise UpstreamError("plex", "unreachable", "Could not connect to Plex.")

    def one():
        barrier.wait()
        try:
            cache.cached(redis_client, "mn:test:down", 60, loader)
        except UpstreamError as exc:
            return exc.kind, exc.service
        return None

    with ThreadPoolExecutor(10) as pool:
        outcomes = list(pool.map(lambda _: one(), range(10)))
    assert outcomes == [("unreachable", "plex")] * 10
    assert len(calls) == 1
    redis_client.delete("mn:test:down:error")  # as when the short error window has passed
    assert cache.cached(redis_client, "mn:test:down", 60, lambda: [1]) == [1]


def test_none_is_cached_too(redis_client):
    calls = []
    for _ in range(3):
        assert cache.cached(redis_client, "mn:test:none", 60, lambda: calls.append(1)) is None
    assert len(calls) == 1


def test_a_crashed_loader_lets_the_next_caller_try(redis_client):
    with pytest.raises(RuntimeError):
        cache.cached(redis_client, "mn:test:crash", 60, lambda: (_ for _ in ()).throw(RuntimeError("bug")))
    assert cache.cached(redis_client, "mn:test:crash", 60, lambda: "ok") == "ok"


def test_a_waiter_gives_up_at_the_lock_deadline(redis_client):
    redis_client.set("mn:test:stuck:lock", "someone-else", px=5000)
    started = time.monotonic()
    with pytest.raises(UpstreamError) as exc:
        cache.cached(redis_client, "mn:test:stuck", 60, lambda: "never", lock_ms=300)
    assert exc.value.kind == "timeout"
    assert time.monotonic() - started < 3


def test_keys_are_scoped_and_invalidation_moves_on(redis_client):
    first = cache.library_key(redis_client, MACHINE, "sections")
    assert first.startswith(f"mn:plex:{MACHINE}:g0:sections:")
    assert cache.library_key(redis_client, "another-server", "sections") != first
    assert cache.library_key(redis_client, MACHINE, "items", 1, 0, 50) != cache.library_key(
        redis_client, MACHINE, "items", 1, 50, 50)
    cache.cached(redis_client, first, 600, lambda: ["old"])
    assert cache.invalidate_library(redis_client, MACHINE) == 1
    second = cache.library_key(redis_client, MACHINE, "sections")
    assert second != first
    assert second.startswith(f"mn:plex:{MACHINE}:g1:")
    assert cache.cached(redis_client, second, 600, lambda: ["new"]) == ["new"]
    assert cache.library_key(redis_client, "another-server", "sections").startswith("mn:plex:another-server:g0:")


def test_redis_lock_is_exclusive_and_released(redis_client):
    with cache.redis_lock(redis_client, "mn:test:lock", 5000) as first:
        assert first
        with cache.redis_lock(redis_client, "mn:test:lock", 5000, wait=0.2) as second:
            assert not second
    with cache.redis_lock(redis_client, "mn:test:lock", 5000) as again:
        assert again
