"""One Redis connection pool per process and URL (functions mounted together share it)."""

from __future__ import annotations

import threading

import redis

_clients: dict[str, redis.Redis] = {}
_lock = threading.Lock()

RedisUnavailable = (redis.ConnectionError, redis.TimeoutError)


def get_redis(url: str) -> redis.Redis:
    """A decoded-string client with short timeouts and reconnect-on-error, shared per process."""
    with _lock:
        client = _clients.get(url)
        if client is None:
            client = _clients[url] = redis.Redis.from_url(
                url,
                decode_responses=True,
                socket_connect_timeout=2,
                socket_timeout=5,
                health_check_interval=30,
                retry_on_timeout=True,
            )
        return client


def close_all() -> None:
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()
