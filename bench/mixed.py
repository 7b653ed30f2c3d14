"""Mixed load: 200 simulated users (locust, `bench/locustfile.py`) against the whole portal for a bounded time.

Browse, search, request and download through the API while every user keeps the WebSocket open; the
portal runs as `make demo` does (one gevent web process, an RQ worker, the scheduler, the fakes), with the
production rate limit. Reported: errors (0 is the goal), p50/p99 per route, socket figures, memory.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from bench.portal import Portal, portal
from bench.report import Result
from bench.seed import members
from bench.stack import rss_kb

USERS = 200
SPAWN_RATE = 20  # users started per second: everyone is on within 10 s
DURATION = 180  # seconds of load, ramp-up included: three minutes
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def locust_available() -> bool:
    return subprocess.run([sys.executable, "-c", "import locust"], capture_output=True, check=False).returncode == 0


@dataclass
class LocustRun:
    process: subprocess.Popen
    prefix: Path
    summary_file: Path
    duration: int


def start_locust(running: Portal, folder: Path, users: int, duration: int, profile: str) -> LocustRun:
    """Start locust against the portal in the background, with `users` freshly signed-in members."""
    people = members(running.env, users, prefix=profile)
    member_file = folder / f"{profile}-members.json"
    member_file.write_text(json.dumps([{"user_id": m.user_id, "cookie": m.cookie, "csrf": m.csrf} for m in people]))
    summary_file, prefix = folder / f"{profile}-summary.json", folder / f"{profile}-locust"
    env = {**os.environ, "BENCH_MEMBERS": str(member_file), "BENCH_SUMMARY": str(summary_file),
           "BENCH_PROFILE": profile, "BENCH_YOUTUBE_URL": running.fakes.youtube.url}
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--users", str(users),
               "--spawn-rate", str(min(users, SPAWN_RATE)), "--run-time", f"{duration}s", "--host", running.url,
               "--csv", str(prefix), "--only-summary", "--stop-timeout", "5", "--loglevel", "WARNING",
               "--exit-code-on-error", "0"]
    with (folder / f"{profile}-locust.log").open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    return LocustRun(process, prefix, summary_file, duration)


def finish_locust(run: LocustRun) -> tuple[list[dict], dict]:
    """Wait for locust (bounded) and read its per-route statistics and our own summary."""
    try:
        code = run.process.wait(timeout=run.duration + 180)
    except subprocess.TimeoutExpired:
        run.process.kill()
        raise
    if code != 0:
        raise RuntimeError(f"locust exited with {code}; see {run.prefix.parent}")
    with Path(f"{run.prefix}_stats.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    return rows, json.loads(run.summary_file.read_text())


def download_outcomes(database_url: str, ids: list[str]) -> dict[str, int]:
    """How the accepted downloads stand, by status."""
    if not ids:
        return {}
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT status, count(*) FROM youtube_downloads WHERE id = ANY(%s::uuid[]) GROUP BY status",
                            (ids,)).fetchall()
    found = dict(rows)
    missing = len(ids) - sum(found.values())
    return {**found, **({"missing": missing} if missing else {})}


def route_results(rows: list[dict], prefix: str) -> list[Result]:
    out = []
    for row in rows:
        if row["Name"] == "Aggregated":
            continue
        count, failures = int(row["Request Count"]), int(row["Failure Count"])
        out.append(Result(f"{prefix}: {row['Type']} {row['Name']}", f"p50 {row['50%']} ms, p99 {row['99%']} ms", "",
                          "", "reported", None,
                          f"{count} requests, {failures} errors, max {float(row['Max Response Time']):.0f} ms"))
    return out


def run(env: dict[str, str]) -> list[Result]:
    if not locust_available():
        return [Result(f"mixed load, {USERS} users", "not run", "", "", "0 errors", False,
                       "locust is not installed in the virtualenv (pip install locust==2.47.0)")]
    state = Path(env["MEDIA_ROOT"]).parent / "mixed"
    with portal(env, state) as running:
        started = time.monotonic()
        rows, summary = finish_locust(start_locust(running, state, USERS, DURATION, "mixed"))
        elapsed = time.monotonic() - started
        web_memory = rss_kb(running.pid("web"))[1]
        outcomes = download_outcomes(running.env["DATABASE_URL"], [d["id"] for d in summary["downloads"]])
    return _results(rows, summary, elapsed, web_memory, outcomes)


def _results(rows: list[dict], summary: dict[str, Any], elapsed: float, web_memory: int,
             outcomes: dict[str, int]) -> list[Result]:
    total = next(r for r in rows if r["Name"] == "Aggregated")
    errors = int(total["Failure Count"])
    by_route: dict[str, int] = {}
    for failure in summary["failures"]:
        key = f"{failure['route']} → {failure['status'] or failure['error'][:60]}"
        by_route[key] = by_route.get(key, 0) + 1
    detail = "; ".join(f"{k}: {v}" for k, v in sorted(by_route.items())) or "none"
    head = Result(
        f"mixed load, {USERS} users for {DURATION} s: errors", str(errors), "", "", "0 errors", errors == 0,
        f"{total['Request Count']} requests ({float(total['Requests/s']):.0f}/s), p50 {total['50%']} ms, p99"
        f" {total['99%']} ms over all routes; errors: {detail}; sockets opened {summary['sockets_opened']},"
        f" failed {summary['socket_failures']}, dropped {summary['sockets_dropped']},"
        f" {summary['socket_messages']} messages received; downloads accepted {len(summary['downloads'])}, by the"
        f" end {outcomes or 'none'} (one RQ worker works through them); users think 2–6 s between actions;"
        f" locust shares the 2 cores with the portal and the fakes; suite took {elapsed:.0f} s")
    memory = Result("memory after the mixed load: the web process (every function in one gevent worker)",
                    f"{web_memory / 1024:.1f} MB", "", "", "reported", None,
                    "`make demo` serves every function from one process; deployed, each function has its own")
    return [head, *route_results(rows, "mixed load"), memory]
