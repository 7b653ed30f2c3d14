"""Cold start (process start → first 200 on healthz) and idle memory of each function vs a bare Flask app."""

from __future__ import annotations

import statistics
import time

from bench.report import Result
from bench.stack import gunicorn, rss_kb, stop, wait_ok
from functions import ALL_FUNCTIONS
from medianest.devstack import free_port

RUNS = 5


def _measure(target: str, env: dict[str, str], worker_class: str) -> tuple[list[float], tuple[int, int]]:
    times, memory = [], (0, 0)
    for _ in range(RUNS):
        port = free_port()
        process = gunicorn(target, port, env, worker_class)
        try:
            times.append(wait_ok(f"http://127.0.0.1:{port}/healthz"))
            time.sleep(0.5)
            memory = max(memory, rss_kb(process.pid), key=lambda m: m[1])
        finally:
            stop(process)
    return times, memory


def run(env: dict[str, str]) -> list[Result]:
    baseline, base_mem = _measure("bench.baseline_app:create_app()", env, "gthread")
    base = statistics.median(baseline)
    results = [Result("cold start, bare Flask baseline", f"{base * 1000:.0f} ms", "", "", "", None,
                      f"median of {RUNS}; range {min(baseline) * 1000:.0f}–{max(baseline) * 1000:.0f} ms;"
                      f" resident memory: worker {base_mem[1] / 1024:.1f} MB,"
                      f" gunicorn master {base_mem[0] / 1024:.1f} MB")]
    for name in ALL_FUNCTIONS:
        worker = "gevent" if name == "realtime" else "gthread"
        times, memory = _measure(f"functions.{name}.app:create_app()", env, worker)
        median = statistics.median(times)
        ratio = median / base
        results.append(Result(f"cold start: {name}", f"{median * 1000:.0f} ms", f"{base * 1000:.0f} ms",
                              f"{ratio:.2f}×", "≤ 2.5×", ratio <= 2.5,
                              f"median of {RUNS}; range {min(times) * 1000:.0f}–{max(times) * 1000:.0f} ms"))
        master, worker_kb = memory
        results.append(Result(f"memory idle: {name}", f"{worker_kb / 1024:.1f} MB", f"{base_mem[1] / 1024:.1f} MB",
                              f"{worker_kb / base_mem[1]:.2f}×", "< 80 MB", worker_kb / 1024 < 80,
                              "the worker process after its first request;"
                              f" gunicorn's master adds {master / 1024:.1f} MB"))
    return results
