"""`make run`'s runner end to end: embedded PostgreSQL and Redis, every function healthy, Ctrl-C stops all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from functions import ALL_FUNCTIONS
from medianest.devstack import free_port

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(url: str, timeout: float) -> requests.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return requests.get(url, timeout=5)
        except requests.RequestException:  # not listening yet, or still importing: keep waiting
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.slow
def test_run_with_embedded_services_serves_every_function(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["MEDIANEST_ADMIN_PASSWORD"] = "local-run-password-1"
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "deploy" / "run_local.py"), "--embedded", "--port", str(port),
         "--state", str(tmp_path / "state")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/api/v1/auth/healthz", timeout=90)
        for name in ALL_FUNCTIONS:
            assert requests.get(f"{base}/api/v1/{name}/healthz", timeout=5).status_code == 200, name
            ready = requests.get(f"{base}/api/v1/{name}/readyz", timeout=5)
            assert ready.status_code == 200, (name, ready.text)
        assert requests.get(f"{base}/", timeout=5).headers["Content-Type"].startswith("text/html")
        assert (tmp_path / "state" / "secrets.env").stat().st_mode & 0o077 == 0
        assert (tmp_path / "state" / "pgdata").is_dir()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            pytest.fail(f"the runner did not stop on Ctrl-C:\n{output}")
    assert "Local admin" not in output  # the password came from the setting, so nothing is printed
    assert "MediaNest is starting at" in output
    assert process.returncode in (0, 130), output[-3000:]  # 130: honcho's answer to Ctrl-C
    assert "Traceback" not in output, output[-3000:]
    leftovers = subprocess.run(["pgrep", "-f", str(tmp_path)], capture_output=True, text=True)
    assert leftovers.stdout.strip() == "", "processes of the run are still alive"


def test_runner_reports_a_bad_setting_in_one_line(tmp_path: Path) -> None:
    # explicit store URLs: the runner must refuse before it connects to (or creates) anything
    env = {**os.environ, "MEDIANEST_PUBLIC_URL": "ftp://nope", "DATABASE_URL": "postgresql://postgres@127.0.0.1:9/x",
           "REDIS_URL": "redis://127.0.0.1:9/0"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "run_local.py"), "--prepare-only", "--state", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["medianest: MEDIANEST_PUBLIC_URL must be a http or https URL"]
