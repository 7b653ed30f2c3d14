"""`GET /api/v1/media/discover` while the Overseerr fake hangs, once the circuit breaker is open.

The media function runs under gunicorn as in production (gthread, 2 workers of 8 threads); each worker has
its own breaker, so enough hung calls are sent first for both to open (5 failures each). The outbound
read timeout is lowered to 1 s so that takes seconds rather than minutes; it does not change the open-circuit
path being measured, which never waits on Overseerr. Then wrk sends requests for a few seconds, well inside
the breaker's 30 s pause, counting every status.
"""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from bench.measure import spread, wrk, wrk_available
from bench.report import Result
from bench.seed import configured_fakes, members
from bench.stack import gunicorn, stop, wait_ok
from medianest.devstack import free_port

ROUNDS = 3
SECONDS = 3
CONNECTIONS = 10  # a burst of people opening the discover page; one connection shows the path without queueing
PRIMING = 24  # hung requests sent at once: at least 5 reach each of the 2 workers
PATH = "/discover?q=matrix"


def _prime(url: str, cookie: str) -> list[int]:
    """Hung calls until the breakers open; returns their statuses (503 each, after the timeouts)."""

    def one(_: int) -> int:
        return requests.get(url, headers={"Cookie": cookie}, timeout=60).status_code

    with ThreadPoolExecutor(PRIMING) as pool:
        return list(pool.map(one, range(PRIMING)))


def _open_everywhere(url: str, cookie: str, checks: int = 20) -> bool:
    """Whatever worker answers, the answer comes at once: both breakers are open."""
    session = requests.Session()
    for _ in range(checks):
        started = time.perf_counter()
        session.get(url, headers={"Cookie": cookie}, timeout=30)
        if time.perf_counter() - started > 0.5:
            return False
    return True


def run(env: dict[str, str]) -> list[Result]:
    if not wrk_available():
        return [Result("discover while Overseerr hangs (breaker open)", "not run", "", "", "p99 < 20 ms, all 503",
                       False, "wrk is not installed (apt-get install -y wrk)")]
    env = {**env, "MEDIANEST_HTTP_READ_TIMEOUT": "1", "MEDIANEST_HTTP_CONNECT_TIMEOUT": "1"}
    with configured_fakes(env) as fakes:
        member = members(env, 1, prefix="breaker")[0]
        port = free_port()
        # every refused call logs a warning: the log goes to a file, as it would to a collector
        process = gunicorn("functions.media.app:create_app()", port, env, "gthread", 2,
                           log=Path(env["MEDIA_ROOT"]).parent / "breaker-media.log")
        try:
            wait_ok(f"http://127.0.0.1:{port}/healthz")
            url = f"http://127.0.0.1:{port}{PATH}"
            healthy = requests.get(url, headers={"Cookie": member.cookie}, timeout=30).status_code
            fakes.overseerr.set_mode("hang")
            started = time.monotonic()
            primed = _prime(url, member.cookie)
            opened_after = time.monotonic() - started
            opened = _open_everywhere(url, member.cookie)
            runs = [wrk(url, connections=CONNECTIONS, seconds=SECONDS, headers=[f"Cookie: {member.cookie}"],
                        count_statuses=True) for _ in range(ROUNDS)]
            alone = wrk(url, connections=1, seconds=SECONDS, headers=[f"Cookie: {member.cookie}"],
                        count_statuses=True, threads=1)
            measured_within = time.monotonic() - started
        finally:
            fakes.overseerr.set_mode("normal")
            stop(process)
    statuses: dict[int, int] = {}
    for r in [*runs, alone]:
        for status, n in r.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    total = sum(r.requests for r in [*runs, alone])
    lost = sum(r.socket_errors for r in [*runs, alone])
    p99s = [r.p99_ms for r in runs]
    all_503 = set(statuses) == {503} and lost == 0
    return [Result(
        "discover while Overseerr hangs, breaker open: p99", spread(p99s, " ms", 1), "", "",
        "p99 < 20 ms, all 503", statistics.median(p99s) < 20 and all_503,
        f"{ROUNDS} wrk runs of {SECONDS} s at {CONNECTIONS} connections:"
        f" p50 {spread([r.p50_ms for r in runs], ' ms', 1)},"
        f" {spread([r.rps for r in runs])} req/s; one connection alone: p50 {alone.p50_ms:.1f} ms, p99"
        f" {alone.p99_ms:.1f} ms; {total} requests in all, statuses {statuses}, no answer: {lost}; before the hang:"
        f" {healthy}; the breakers opened after {opened_after:.1f} s of hung calls (statuses {sorted(set(primed))},"
        f" both workers open: {opened}), all measured within {measured_within:.0f} s of the hang starting;"
        " outbound timeouts 1 s for this run; media function under gunicorn gthread, 2 workers × 8 threads")]
