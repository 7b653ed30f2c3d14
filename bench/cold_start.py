"""Cold start (process start → first 200 on healthz) and idle memory of each function vs a bare Flask app.

Rounds alternate the baseline and every function, so a busy moment of the shared machine weighs on both
sides of each ratio instead of on whichever ran then; each function's ratio is taken against the baseline
starts of the same rounds.
"""

from __future__ import annotations

import statistics
import time

from bench.report import Result
from bench.stack import gunicorn, rss_kb, stop, wait_ok
from functions import ALL_FUNCTIONS
from medianest.devstack import free_port

RUNS = 5
BASELINE = "bench.baseline_app:create_app()"


def _start_once(target: str, env: dict[str, str], worker_class: str) -> tuple[float, tuple[int, int]]:
    port = free_port()
    process = gunicorn(target, port, env, worker_class)
    try:
        seconds = wait_ok(f"http://127.0.0.1:{port}/healthz")
        time.sleep(0.5)
        return seconds, rss_kb(process.pid)
    finally:
        stop(process)


def _worker_class(name: str) -> str:
    return "gevent" if name == "realtime" else "gthread"


def run(env: dict[str, str]) -> list[Result]:
    # the baseline runs under each worker class a function uses: gevent's own start-up is not ours
    targets = {f"baseline/{cls}": (BASELINE, cls) for cls in ("gthread", "gevent")}
    targets.update({name: (f"functions.{name}.app:create_app()", _worker_class(name)) for name in ALL_FUNCTIONS})
    times: dict[str, list[float]] = {name: [] for name in targets}
    memory: dict[str, tuple[int, int]] = dict.fromkeys(targets, (0, 0))
    for _ in range(RUNS):
        for name, (target, worker_class) in targets.items():
            seconds, rss = _start_once(target, env, worker_class)
            times[name].append(seconds)
            memory[name] = max(memory[name], rss, key=lambda m: m[1])
    results = []
    for cls in ("gthread", "gevent"):
        baseline, base_mem = times[f"baseline/{cls}"], memory[f"baseline/{cls}"]
        results.append(Result(f"cold start, bare Flask baseline ({cls} worker)",
                              f"{statistics.median(baseline) * 1000:.0f} ms", "", "", "", None,
                              f"median of {RUNS}; range {min(baseline) * 1000:.0f}–{max(baseline) * 1000:.0f} ms;"
                              f" resident memory: worker {base_mem[1] / 1024:.1f} MB,"
                              f" gunicorn master {base_mem[0] / 1024:.1f} MB"))
    for name in ALL_FUNCTIONS:
        cls = _worker_class(name)
        baseline, base_mem = times[f"baseline/{cls}"], memory[f"baseline/{cls}"]
        base = statistics.median(baseline)
        median = statistics.median(times[name])
        ratio = median / base
        per_round = [t / b for t, b in zip(times[name], baseline, strict=True)]
        results.append(Result(f"cold start: {name}", f"{median * 1000:.0f} ms", f"{base * 1000:.0f} ms ({cls})",
                              f"{ratio:.2f}×", "≤ 2.5×", ratio <= 2.5,
                              f"{cls} worker, as deployed; median of {RUNS}, alternating with the baseline on the same"
                              f" worker class; range {min(times[name]) * 1000:.0f}–{max(times[name]) * 1000:.0f} ms;"
                              f" per-round ratios {', '.join(f'{r:.2f}' for r in per_round)}"))
        master, worker_kb = memory[name]
        results.append(Result(f"memory idle: {name}", f"{worker_kb / 1024:.1f} MB", f"{base_mem[1] / 1024:.1f} MB",
                              f"{worker_kb / base_mem[1]:.2f}×", "< 80 MB", worker_kb / 1024 < 80,
                              "the worker process after its first request;"
                              f" gunicorn's master adds {master / 1024:.1f} MB"))
    return results
