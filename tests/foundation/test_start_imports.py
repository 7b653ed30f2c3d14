"""A function's start does not import what only some of its requests need (cold start and idle memory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from functions import ALL_FUNCTIONS
from medianest.config import Settings

ROOT = Path(__file__).resolve().parents[2]
# Imported on first use: requests and its retry and breaker helpers by the first outbound call
# (medianest.http), RQ by the first enqueue or queue view, yt-dlp by the first preview or submission.
DEFERRED = ("requests", "urllib3", "tenacity", "circuitbreaker", "rq", "yt_dlp")
START = """
import json, sys
import functions.{name}.app as module
client = module.create_app().test_client()
assert client.get("/healthz").status_code == 200
print(json.dumps(sorted(m for m in {deferred!r} if m in sys.modules)))
"""


@pytest.mark.parametrize("name", ALL_FUNCTIONS)
def test_start_and_healthz_leave_deferred_modules_unimported(name: str, settings: Settings) -> None:
    # a fresh interpreter: this test process has imported everything already
    env = {**os.environ, **settings.raw, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", START.format(name=name, deferred=DEFERRED)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
