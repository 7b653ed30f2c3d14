"""Load generation and figures: wrk runs parsed into numbers, spreads, percentiles, a private Redis to count on."""

from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import redis

from medianest import devstack

WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")


@dataclass(frozen=True)
class WrkRun:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: int  # connect, read, write and timeout errors: requests that got no answer
    non_2xx: int
    statuses: dict[int, int] = field(default_factory=dict)  # only when statuses were counted

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk(url: str, *, connections: int = 50, seconds: float = 6, headers: Sequence[str] = (),
        count_statuses: bool = False, threads: int = 2) -> WrkRun:
    """One wrk run against `url`; its Lua script prints the summary as JSON (exact percentiles, no parsing of
    human-readable units)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(WRK_SCRIPT)]
    for header in headers:
        command += ["-H", header]
    env = {**os.environ, "WRK_COUNT_STATUS": "1" if count_statuses else ""}
    # wrk is bounded by -d; the timeout only guards against a wedged process
    done = subprocess.run([*command, url], capture_output=True, text=True, env=env, timeout=seconds + 60, check=True)
    line = next(x for x in reversed(done.stdout.splitlines()) if x.startswith("{"))
    data = json.loads(line)
    errors = data["errors"]
    return WrkRun(requests=data["requests"], seconds=data["duration_us"] / 1e6, p50_ms=data["p50_us"] / 1000,
                  p99_ms=data["p99_us"] / 1000, max_ms=data["max_us"] / 1000,
                  socket_errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
                  non_2xx=errors["status"], statuses={int(k): v for k, v in data.get("statuses", {}).items()})


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def spread(values: Sequence[float], unit: str = "", digits: int = 0) -> str:
    """`median (range min-max unit)`: how figures are reported on a noisy machine."""
    fmt = f"{{:.{digits}f}}"
    median = fmt.format(statistics.median(values))
    if len(values) == 1:
        return f"{median}{unit}"
    return f"{median}{unit} (range {fmt.format(min(values))}–{fmt.format(max(values))}{unit})"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live children (a gunicorn master and its workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid, *(int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


class PrivateRedis:
    """A redis-server of our own on a free port: its command counts are ours alone, and it may be restarted
    (the machine's shared server never is)."""

    def __init__(self, folder: Path, appendonly: bool = False) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port = devstack.free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.argv = [devstack.redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
                     "--dir", str(folder), "--save", "", "--appendonly", "yes" if appendonly else "no",
                     "--appendfsync", "everysec"]
        self.process: subprocess.Popen | None = None

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while not devstack.redis_reachable(self.url):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("the private redis-server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """SIGTERM: Redis writes its append-only file out and exits, as a service manager would stop it."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def commands(self) -> int:
        """Commands this server has run so far (INFO commandstats, minus the INFO calls themselves)."""
        stats = redis.Redis.from_url(self.url).info("commandstats")
        return sum(v["calls"] for k, v in stats.items() if k not in ("cmdstat_info",))

    def __enter__(self) -> PrivateRedis:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
