"""Cached, authenticated reads at 50 connections (wrk) against a bare Flask app of the same size and settings.

Each function runs alone under gunicorn with the settings it has in production (deploy/gunicorn.conf.py:
gthread, 2 workers of 8 threads), and so does the baseline. Rounds alternate baseline and function so both
see the same moments of a noisy machine. Besides throughput and p99, two figures that noise does not move
much explain the gap: CPU time per request (from /proc) and Redis commands per request (counted on a
private redis-server, so nobody else's traffic is in the count).
"""

from __future__ import annotations

import statistics
from pathlib import Path

import requests

from bench.measure import PrivateRedis, WrkRun, cpu_seconds, spread, wrk, wrk_available
from bench.report import Result
from bench.seed import configured_fakes, members
from bench.stack import gunicorn, rss_kb, stop, wait_ok
from functions.status import jobs
from medianest.config import load_settings
from medianest.devstack import free_port

ROUNDS = 3
SECONDS = 6
CONNECTIONS = 50
WORKER_CLASS, WORKERS = "gthread", 2
COUNTED_REQUESTS = 200
# (label, function, path on the function, path on the baseline)
ROUTES = (("GET /api/v1/status/", "status", "/", "/status"),
          ("GET /api/v1/media/recent (warm)", "media", "/recent", "/recent"))


def _measure(url: str, pid: int, cookie: str) -> tuple[WrkRun, float]:
    """A wrk run and the server's CPU milliseconds per request during it."""
    before = cpu_seconds(pid)
    result = wrk(url, connections=CONNECTIONS, seconds=SECONDS, headers=[f"Cookie: {cookie}"])
    return result, (cpu_seconds(pid) - before) * 1000 / max(1, result.requests)


def _commands_per_request(redis_server: PrivateRedis, url: str, cookie: str) -> float:
    session = requests.Session()
    before = redis_server.commands()
    for _ in range(COUNTED_REQUESTS):
        session.get(url, headers={"Cookie": cookie}, timeout=10).raise_for_status()
    return (redis_server.commands() - before) / COUNTED_REQUESTS


def run(env: dict[str, str]) -> list[Result]:
    if not wrk_available():
        return [Result("cached reads at 50 connections", "not run", "", "", "≥ 0.5× baseline; p99 < 25 ms", False,
                       "wrk is not installed (apt-get install -y wrk)")]
    state = Path(env["MEDIA_ROOT"]).parent
    with PrivateRedis(state / "reads-redis") as redis_server:
        env = {**env, "REDIS_URL": redis_server.url, "MEDIANEST_CHECK_INTERVAL": "3600"}
        with configured_fakes(env):
            jobs.run_checks(load_settings(environ=env))  # what the worker's periodic check leaves in the cache
            member = members(env, 1)[0]
            servers = {}
            try:
                for name, target in (("baseline", "bench.baseline_app:create_app()"),
                                     ("status", "functions.status.app:create_app()"),
                                     ("media", "functions.media.app:create_app()")):
                    port = free_port()
                    servers[name] = (gunicorn(target, port, env, WORKER_CLASS, WORKERS), port)
                for _, port in servers.values():
                    wait_ok(f"http://127.0.0.1:{port}/healthz")
                return _run_rounds(servers, member.cookie, redis_server)
            finally:
                for process, _ in servers.values():
                    stop(process)


def _run_rounds(servers: dict, cookie: str, redis_server: PrivateRedis) -> list[Result]:
    targets = []
    for label, name, path, base_path in ROUTES:
        fn_url = f"http://127.0.0.1:{servers[name][1]}{path}"
        base_url = f"http://127.0.0.1:{servers['baseline'][1]}{base_path}"
        sizes = [len(requests.get(u, headers={"Cookie": cookie}, timeout=30).content) for u in (fn_url, base_url)]
        commands = _commands_per_request(redis_server, fn_url, cookie)  # also warms the cache and the pools
        targets.append((label, name, fn_url, base_url, sizes, commands))
    for _, _, fn_url, base_url, _, _ in targets:  # a short warm-up of every process at full load
        wrk(fn_url, connections=CONNECTIONS, seconds=1, headers=[f"Cookie: {cookie}"])
        wrk(base_url, connections=CONNECTIONS, seconds=1)
    runs: dict[str, dict[str, list]] = {t[0]: {"fn": [], "base": []} for t in targets}
    for _ in range(ROUNDS):
        for label, name, fn_url, base_url, _, _ in targets:
            runs[label]["base"].append(_measure(base_url, servers["baseline"][0].pid, cookie))
            runs[label]["fn"].append(_measure(fn_url, servers[name][0].pid, cookie))
    results = []
    for label, _, _, _, sizes, commands in targets:
        fn, base = runs[label]["fn"], runs[label]["base"]
        results.extend(_results(label, fn, base, sizes, commands))
    for _, name, *_ in targets:
        master, worker = rss_kb(servers[name][0].pid)
        results.append(Result(f"memory after the load run: {name}", f"{worker / 1024:.1f} MB", "", "", "< 80 MB",
                              worker / 1024 < 80, f"the larger of its {WORKERS} gthread workers after"
                              f" {ROUNDS * SECONDS + 1} s at {CONNECTIONS} connections; master {master / 1024:.1f} MB"))
    return results


def _results(label: str, fn: list[tuple[WrkRun, float]], base: list[tuple[WrkRun, float]], sizes: list[int],
             commands: float) -> list[Result]:
    fn_rps, base_rps = [r.rps for r, _ in fn], [r.rps for r, _ in base]
    ratio = statistics.median(fn_rps) / statistics.median(base_rps)
    round_ratios = [f / b for f, b in zip(fn_rps, base_rps, strict=True)]
    failures = sum(r.non_2xx + r.socket_errors for r, _ in fn)
    fn_p99, base_p99 = [r.p99_ms for r, _ in fn], [r.p99_ms for r, _ in base]
    fn_cpu, base_cpu = [c for _, c in fn], [c for _, c in base]
    settings = f"gunicorn {WORKER_CLASS}, {WORKERS} workers × 8 threads for both; wrk 2 threads"
    throughput = Result(
        f"throughput, {label}, {CONNECTIONS} connections", f"{spread(fn_rps)} req/s", f"{spread(base_rps)} req/s",
        f"{ratio:.2f}×", "≥ 0.5× baseline", ratio >= 0.5 and failures == 0,
        f"median of {ROUNDS} runs of {SECONDS} s, alternating with the baseline (per-round ratios"
        f" {', '.join(f'{x:.2f}' for x in round_ratios)}); {settings}; bodies {sizes[0]} B vs baseline {sizes[1]} B;"
        f" server CPU per request {spread(fn_cpu, ' ms', 2)} vs {spread(base_cpu, ' ms', 2)};"
        f" {commands:.1f} Redis commands per request (INFO commandstats: the rate limiter's script counts twice);"
        f" non-2xx or failed requests: {failures}")
    latency = Result(
        f"p99 latency, {label}, {CONNECTIONS} connections", f"{spread(fn_p99, ' ms')}", f"{spread(base_p99, ' ms')}",
        f"{statistics.median(fn_p99) / statistics.median(base_p99):.2f}×", "p99 < 25 ms",
        statistics.median(fn_p99) < 25,
        f"p50 {spread([r.p50_ms for r, _ in fn], ' ms', 1)} (baseline {spread([r.p50_ms for r, _ in base], ' ms', 1)});"
        f" with {CONNECTIONS} requests always in flight, latency ≈ {CONNECTIONS} / throughput, so p99 < 25 ms needs"
        f" more than {CONNECTIONS / 0.025:.0f} req/s on this 2-core machine (which wrk shares)")
    return [throughput, latency]
