"""Soak: 20 users' realistic traffic for 10 minutes (locust), with the download worker killed mid-download and
Redis restarted along the way; then nothing may be lost. Run with `make soak` (not part
of the default `make bench`: it takes about 10 minutes by itself).

The portal runs as `make demo` does, on a private redis-server with its append-only file on (the machine's
shared Redis is never restarted). As compose's `restart: unless-stopped` would, a process that exits on
its own is started again; such unplanned restarts are reported (and the rq exits that the worker command's
own restart loop absorbs, from the worker's log). Timeline, from the start of the load:
  1/3   the RQ worker is killed (SIGKILL, work-horse included) while a download runs; a new one starts 2 s later
  3/5   Redis is stopped (SIGTERM) and started again 3 s later, same port and files
  +60 s a marker event is published on the `status` topic: every open socket should receive it
Afterwards the accepted downloads are given up to 3 minutes to finish (crash recovery runs every 30 s).
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import redis

from bench.findings import explain
from bench.measure import PrivateRedis
from bench.mixed import download_outcomes, finish_locust, locust_available, route_results, start_locust
from bench.portal import Portal, portal
from bench.report import Result
from medianest import events

USERS = 20
DURATION = int(os.environ.get("BENCH_SOAK_SECONDS", "600"))
SETTLE = 180
FINAL = ("completed", "failed", "cancelled")
FRAME = re.compile(r'File "[^"]*/((?:functions|shared/medianest)/[^"]+)", line (\d+), in (\w+)')
EXCEPTION = re.compile(r"^[a-z_.]*[A-Za-z]+(Error|Exception): ")


class Supervisor(threading.Thread):
    """Starts again any portal process that exits unless we stopped it (compose's restart policy)."""

    def __init__(self, running: Portal) -> None:
        super().__init__(daemon=True)
        self.running = running
        self.planned: set[str] = set()
        self.unplanned: list[tuple[float, str, int]] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.wait(1.0):
            for name, process in list(self.running.processes.items()):
                code = process.poll()
                if code is not None and name not in self.planned:
                    self.unplanned.append((time.time(), name, code))
                    self.running.start(name)


def _kill_worker_mid_download(running: Portal, supervisor: Supervisor, wait: float = 60) -> dict[str, Any]:
    """SIGKILL the worker while some download is running (waiting for one, bounded); start a new worker."""
    deadline = time.monotonic() + wait
    running_download = None
    with psycopg.connect(running.env["DATABASE_URL"], autocommit=True) as conn:
        while running_download is None and time.monotonic() < deadline:
            row = conn.execute("SELECT id FROM youtube_downloads WHERE status = 'downloading' LIMIT 1").fetchone()
            running_download = str(row[0]) if row else None
            if running_download is None:
                time.sleep(0.2)
    supervisor.planned.add("worker")
    killed_at = time.time()
    running.stop("worker", signal.SIGKILL)
    time.sleep(2)
    running.start("worker")
    supervisor.planned.discard("worker")
    return {"at": killed_at, "download": running_download}


def _restart_redis(server: PrivateRedis) -> dict[str, float]:
    stopped = time.time()
    server.stop()
    time.sleep(3)
    server.start()
    return {"stopped": stopped, "back": time.time()}


def _settle(database_url: str, ids: list[str]) -> dict[str, int]:
    deadline = time.monotonic() + SETTLE
    while time.monotonic() < deadline:
        outcome = download_outcomes(database_url, ids)
        if all(status in FINAL for status in outcome):
            return outcome
        time.sleep(2)
    return download_outcomes(database_url, ids)


def run(env: dict[str, str]) -> list[Result]:
    if not locust_available():
        return [Result(f"soak, {USERS} users", "not run", "", "", "0 lost", False,
                       "locust is not installed in the virtualenv (pip install locust==2.47.0)")]
    state = Path(env["MEDIA_ROOT"]).parent / "soak"
    started = time.monotonic()
    with PrivateRedis(state / "redis", appendonly=True) as server, portal(env, state, redis_url=server.url) as running:
        supervisor = Supervisor(running)
        supervisor.start()
        load = start_locust(running, state, USERS, DURATION, "soak")
        t0 = time.time()
        time.sleep(DURATION / 3)
        worker = _kill_worker_mid_download(running, supervisor)
        time.sleep(max(0.0, t0 + DURATION * 3 / 5 - time.time()))
        restart = _restart_redis(server)
        # the marker goes out a minute after Redis is back, or shortly before the load ends if that is sooner
        time.sleep(max(0.0, min(restart["back"] + 60, t0 + DURATION - 15) - time.time()))
        probe = f"bench-probe-{int(time.time())}"
        probe_at = time.time()
        events.publish(redis.Redis.from_url(server.url), "status", "service:status", {"name": probe, "status": "up"})
        rows, summary = finish_locust(load)
        ids = [d["id"] for d in summary["downloads"]]
        outcome = _settle(running.env["DATABASE_URL"], ids)
        killed = download_outcomes(running.env["DATABASE_URL"], [worker["download"]]) if worker["download"] else {}
        unfinished = _unfinished(running.env["DATABASE_URL"], ids) + _job_failures(running.log("worker"))
        supervisor.halt.set()
        unplanned = supervisor.unplanned
        # the worker command restarts rq itself (deploy/keep_running.py): its exits show only in its log
        worker_exits = running.log("worker").count("found an unhandled exception, quitting")
    elapsed = time.monotonic() - started
    return _results(rows, summary, outcome, worker, killed, restart, probe, probe_at, unplanned, t0, elapsed,
                    unfinished, worker_exits)


def _job_failures(worker_log: str) -> list[str]:
    """Where each "download failed" traceback in the worker's log left our code, and what was raised."""
    out = []
    for block in worker_log.split("download failed")[1:]:
        lines = block.splitlines()[:200]
        ours = [(n, m) for n, line in enumerate(lines) if (m := FRAME.search(line))]
        if ours:
            last, frame = ours[-1]
            raised = next((line for line in lines[last:] if EXCEPTION.match(line)), "?")
            path, line, function = frame.groups()
            out.append(f"{path}:{line} `{function}` raised {raised.strip()[:120]}")
    return out


def _unfinished(database_url: str, ids: list[str]) -> list[str]:
    """What the downloads that did not complete say about themselves (status, recoveries, error)."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT status, recoveries, error FROM youtube_downloads WHERE id = ANY(%s::uuid[])"
                            " AND status <> 'completed'", (ids,)).fetchall()
    return [f"{status} after {recoveries} recoveries: {error}" for status, recoveries, error in rows]


def _phase(at: float, worker: dict[str, Any], restart: dict[str, float]) -> str:
    if restart["stopped"] - 1 <= at <= restart["back"] + 10:
        return "Redis restart"
    if worker["at"] - 1 <= at <= worker["at"] + 10:
        return "worker restart"
    return "elsewhere"


def _results(rows: list[dict], summary: dict[str, Any], outcome: dict[str, int], worker: dict[str, Any],
             killed: dict[str, int], restart: dict[str, float], probe: str, probe_at: float,
             unplanned: list, t0: float, elapsed: float, unfinished: list[str], worker_exits: int) -> list[Result]:
    total = next(r for r in rows if r["Name"] == "Aggregated")
    failures = summary["failures"]
    lost = [f for f in failures if not f["status"]]
    by_phase: dict[str, dict[str, int]] = {}
    for f in failures:
        key = f"{f['route']} → {f['status'] or 'no answer'}"
        phase = by_phase.setdefault(_phase(f["at"], worker, restart), {})
        phase[key] = phase.get(key, 0) + 1
    errors = "; ".join(f"{phase}: " + ", ".join(f"{k} ×{v}" for k, v in sorted(found.items()))
                       for phase, found in sorted(by_phase.items())) or "none"
    accepted = len(summary["downloads"])
    completed = outcome.get("completed", 0)
    got_probe = len(set(summary["probes"].get(probe, [])))
    drops = [round(d["at"] - t0) for d in summary["drops"]]
    in_outage = sum(1 for d in summary["drops"] if _phase(d["at"], worker, restart) == "Redis restart")
    why_drops = f" {explain('soak: socket drops')}" if in_outage else ""
    exited = worker_exits or any(name == "worker" for _, name, _ in unplanned)
    why_exits = f" {explain('soak: worker exits')}" if exited else ""
    per_user = int(total["Request Count"]) / USERS / (DURATION / 60)
    restarts = ", ".join(f"{name} exited {code} at {at - t0:.0f} s" for at, name, code in unplanned) or "none"
    timeline = (f"worker killed at {worker['at'] - t0:.0f} s during download {worker['download'] or '(none running)'}"
                f" which ended {killed or '-'}; Redis down {restart['stopped'] - t0:.0f}–{restart['back'] - t0:.0f} s;"
                f" marker event at {probe_at - t0:.0f} s")
    return [
        Result(f"soak, {USERS} users for {DURATION // 60} min with a worker and a Redis restart: lost requests",
               str(len(lost)), "", "", "0 lost", not lost,
               f"{total['Request Count']} requests ({float(total['Requests/s']):.1f}/s, {per_user:.0f} a minute per"
               f" user, who thinks 2-6 s between actions), p50 {total['50%']} ms, p99 {total['99%']} ms; a lost"
               f" request is one that got no answer at all; {timeline}"),
        Result("soak: errors (answered with an unexpected status)", str(len(failures) - len(lost)), "", "",
               "reported", None, f"by when they happened: {errors}"),
        Result("soak: lost downloads", str(accepted - completed), "", "", "0 lost", accepted - completed == 0,
               f"{accepted} accepted, {completed} completed within {SETTLE} s after the load; by status {outcome};"
               f" the others: {'; '.join(unfinished[:3]) or 'none'}"),
        Result("soak: sockets", f"{got_probe} of {USERS} got the marker event", "", "", "all recover",
               got_probe == USERS,
               f"opened {summary['sockets_opened']} (reconnects included), dropped {summary['sockets_dropped']}"
               f" (at {sorted(set(drops))[:10]} s), {summary['reconnect_attempts']} reconnect attempts with the web"
               f" app's backoff, failed first connects {summary['socket_failures']}; unplanned process restarts:"
               f" {restarts}; rq worker exits in its log: {worker_exits}; the soak took {elapsed / 60:.1f} min in"
               f" all.{why_drops}{why_exits}"),
        *route_results(rows, "soak"),
    ]
