"""The whole portal as `make demo` runs it, with each process under our own hand so one can be restarted.

`deploy/run_local.py` runs web, worker and scheduler under honcho, which stops everything when one process
exits; a benchmark that restarts the worker needs them separate. The commands are run_local's own
(`processes()`), the fakes run as threads of this process as they do in the runner, and the service
settings are written by `deploy/demo.configure`. Each portal gets a fresh database, dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
import shlex
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from deploy import demo
from deploy.run_local import processes
from fakes.stack import FakeStack, start_all
from medianest import devstack
from medianest.bootstrap import ensure_admin
from medianest.config import load_settings
from medianest.db import close_all, migrate

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Portal:
    url: str
    env: dict[str, str]
    state: Path
    fakes: FakeStack
    commands: dict[str, str]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str) -> None:
        log = (self.state / f"{name}.log").open("ab")
        try:
            self.processes[name] = subprocess.Popen(shlex.split(self.commands[name]), cwd=ROOT, env=self.env,
                                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        """Signal the process group (an RQ worker's work-horse goes with it), then wait; SIGKILL on timeout."""
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass

    def log(self, name: str) -> str:
        path = self.state / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def pid(self, name: str) -> int:
        return self.processes[name].pid

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} stopped while the portal was starting:\n{self.log(name)[-3000:]}")
            try:
                if requests.get(f"{self.url}/api/v1/auth/readyz", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the portal did not start in time:\n{self.log('web')[-3000:]}")
            time.sleep(0.2)


@contextmanager
def portal(env: dict[str, str], state: Path, *, redis_url: str | None = None,
           youtube_speed: int = demo.YOUTUBE_SPEED, check_interval: int = 15) -> Iterator[Portal]:
    """A running portal on a free port; the production rate limit applies (no benchmark override)."""
    state.mkdir(parents=True, exist_ok=True)
    admin = devstack.postgres_admin_url(state)
    name = f"medianest_bench_portal_{secrets.token_hex(4)}"
    database_url = devstack.create_database(admin, name)
    port = devstack.free_port()
    env = {key: value for key, value in env.items() if key != "MEDIANEST_RATE_LIMIT"}
    env.update({"DATABASE_URL": database_url, "REDIS_URL": redis_url or env["REDIS_URL"],
                "MEDIANEST_PUBLIC_URL": f"http://127.0.0.1:{port}", "MEDIA_ROOT": str(state / "media"),
                "MEDIANEST_CHECK_INTERVAL": str(check_interval)})
    (state / "media").mkdir(exist_ok=True)
    fakes = start_all(state / "media", youtube_speed=youtube_speed)
    env["PLEXTV_URL"] = fakes.plextv.url
    running = Portal(f"http://127.0.0.1:{port}", env, state, fakes, processes(env, port))
    try:
        migrate(database_url)
        settings = load_settings(environ=env)
        ensure_admin(settings)
        demo.configure(settings, fakes)
        for process_name in running.commands:
            running.start(process_name)
        running.wait_ready()
        yield running
    finally:
        for process_name in running.processes:
            running.stop(process_name)
        fakes.stop()
        close_all()  # our own pool to this database, before it is dropped
        devstack.drop_database(admin, name)
