"""The whole portal as `make demo` runs it (runner, gunicorn, worker, scheduler, fakes), on its own database
and Redis db, for end-to-end, leak and browser tests. Every process's output is kept for inspection."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "e2e-admin-password-4711"


@dataclass
class Stack:
    url: str
    state: Path
    process: subprocess.Popen
    log_path: Path
    redis_url: str
    fakes: dict[str, Any] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start(database_url: str, redis_url: str, state: Path, port: int, extra_env: dict[str, str] | None = None,
          ) -> Stack:
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "MEDIANEST_ADMIN_PASSWORD": ADMIN_PASSWORD, "MEDIANEST_CHECK_INTERVAL": "5", **(extra_env or {})}
    log_path = state / "stack.log"
    state.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "deploy" / "run_local.py"), "--demo", "--port", str(port), "--state", str(state)],
        cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    stack = Stack(f"http://127.0.0.1:{port}", state, process, log_path, redis_url)
    deadline = time.monotonic() + 120
    fakes_file = state / "demo" / "fakes.json"
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the portal stopped while starting:\n{stack.log()[-4000:]}")
        try:
            if fakes_file.exists() and requests.get(f"{stack.url}/api/v1/auth/readyz", timeout=2).ok:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            stack.stop()
            raise RuntimeError(f"the portal did not start in time:\n{stack.log()[-4000:]}")
        time.sleep(0.2)
    stack.fakes = json.loads(fakes_file.read_text())
    return stack
