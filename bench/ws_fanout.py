"""WebSocket fan-out: 1,000 sockets on one realtime process (gevent); publish → receipt on every socket."""

from __future__ import annotations

import json
import select
import statistics
import time

import redis
import websocket

from bench.report import Result
from bench.stack import gunicorn, rss_kb, stop, wait_ok
from medianest import events
from medianest.devstack import free_port
from medianest.sessions import SessionManager

SOCKETS = 1000
ROUNDS = 5


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _connect_all(port: int, tokens: list[str], origin: str) -> list[websocket.WebSocket]:
    sockets = []
    for token in tokens:
        ws = websocket.create_connection(f"ws://127.0.0.1:{port}/ws", header=[f"Cookie: mn_access={token}"],
                                         origin=origin, timeout=10)
        ws.send(json.dumps({"type": "subscribe", "topic": "status"}))
        sockets.append(ws)
    for ws in sockets:  # drain the "subscribed" acknowledgements
        ws.recv()
    return sockets


def _one_round(client: redis.Redis, sockets: list[websocket.WebSocket]) -> list[float]:
    by_fd = {ws.sock.fileno(): ws for ws in sockets}
    pending = set(by_fd)
    started = time.perf_counter()
    events.publish(client, "status", "service:status", {"name": "bench", "status": "up"})
    latencies = []
    while pending and time.perf_counter() - started < 30:
        readable, _, _ = select.select(list(pending), [], [], 1.0)
        now = time.perf_counter()
        for fd in readable:
            by_fd[fd].recv()
            latencies.append(now - started)
            pending.discard(fd)
    if pending:
        raise RuntimeError(f"{len(pending)} sockets never received the event")
    return latencies


def run(env: dict[str, str]) -> list[Result]:
    client = redis.Redis.from_url(env["REDIS_URL"], decode_responses=True)
    sessions = SessionManager(client, env["MEDIANEST_SECRET_KEY"])
    tokens = [sessions.create(f"00000000-0000-4000-8000-{n:012d}", "user").access_token for n in range(SOCKETS)]
    port = free_port()
    process = gunicorn("functions.realtime.app:create_app()", port, env, worker_class="gevent")
    sockets: list[websocket.WebSocket] = []
    try:
        wait_ok(f"http://127.0.0.1:{port}/healthz")
        idle = rss_kb(process.pid)[1]
        sockets = _connect_all(port, tokens, env["MEDIANEST_PUBLIC_URL"])
        time.sleep(1)
        loaded = rss_kb(process.pid)[1]
        latencies = []
        for _ in range(ROUNDS):
            latencies.extend(_one_round(client, sockets))
            time.sleep(0.2)
    finally:
        for ws in sockets:
            ws.close()
        stop(process)
    p50, p99 = statistics.median(latencies) * 1000, _percentile(latencies, 0.99) * 1000
    per_socket = (loaded - idle) / SOCKETS
    return [
        Result(f"WebSocket fan-out, {SOCKETS} sockets on one process: publish → receipt, p99", f"{p99:.0f} ms", "",
               "", "p99 < 250 ms", p99 < 250,
               f"p50 {p50:.0f} ms over {ROUNDS} rounds of {SOCKETS}; the client reading all sockets shares the"
               " machine's 2 cores with the server"),
        Result("WebSocket memory per socket", f"{per_socket:.1f} KB", "", "", "reported", None,
               f"worker RSS {idle / 1024:.1f} MB idle → {loaded / 1024:.1f} MB with {SOCKETS} sockets"),
    ]
