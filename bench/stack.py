"""Processes for benchmarks: functions under gunicorn with their own throwaway database and Redis db."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from medianest import devstack
from medianest.db import migrate

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def bench_environment(state_dir: Path) -> Iterator[dict[str, str]]:
    """Settings for a benchmark run: a fresh database (dropped after) and its own Redis db (flushed)."""
    admin = devstack.postgres_admin_url(state_dir)
    name = f"medianest_bench_{secrets.token_hex(4)}"
    database_url = devstack.create_database(admin, name)
    migrate(database_url)
    redis_base = devstack.resolve_redis(state_dir).rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": f"{redis_base}/{devstack.BENCH_REDIS_DB}",
        "MEDIANEST_SECRET_KEY": secrets.token_urlsafe(48),
        "MEDIANEST_ENCRYPTION_KEYS": f"b1:{base64.b64encode(os.urandom(32)).decode()}",
        "MEDIANEST_PUBLIC_URL": "http://127.0.0.1",
        "MEDIA_ROOT": str(state_dir / "media"),
        "MEDIANEST_ADMIN_PASSWORD": "bench-admin-password",
        "MEDIANEST_RATE_LIMIT": "1000000/minute",
        "MEDIANEST_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    (state_dir / "media").mkdir(parents=True, exist_ok=True)
    try:
        yield env
    finally:
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
        devstack.drop_database(admin, name)


def gunicorn(target: str, port: int, env: dict[str, str], worker_class: str = "gthread",
             workers: int = 1, log: Path | None = None) -> subprocess.Popen:
    """`target` under gunicorn with the production settings file. Its log goes to `log` (or nowhere): never to
    a pipe nobody reads, whose full buffer would block every thread that logs."""
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", "--worker-class", worker_class, "--workers", str(workers), target]
    output = log.open("ab") if log is not None else subprocess.DEVNULL
    try:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    finally:
        if log is not None:
            output.close()


def wait_ok(url: str, timeout: float = 60.0) -> float:
    """Seconds until `url` first answers 200."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return time.perf_counter() - started
        except requests.RequestException:
            pass
        time.sleep(0.005)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def rss_kb(pid: int) -> tuple[int, int]:
    """Resident memory in KB of a gunicorn master and of its (largest) worker."""
    workers = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return _rss(pid), max((_rss(w) for w in workers), default=0)
