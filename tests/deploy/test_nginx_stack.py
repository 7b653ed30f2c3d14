"""The deployment for real: the six functions as separate gunicorn processes (as their images run them), the
RQ worker through its container entrypoint, and Debian's nginx with deploy/nginx.conf in front; then the API,
the single-page app and a WebSocket round trip, all through nginx."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import redis as redis_lib
import requests
import websocket
from rq.job import Job
from rq.serializers import JSONSerializer

from functions import ALL_FUNCTIONS
from functions.dispatcher import SPA_CSP
from medianest import events
from medianest.config import SETTINGS, Settings
from medianest.devstack import free_port
from medianest.queues import ALL_QUEUES, DEFAULT, get_queue, rq_connection
from medianest.sessions import ACCESS_COOKIE, SessionManager
from medianest.web import API_CSP
from tests.deploy.nginx import DEPLOY, ROOT, Nginx, nginx_binary, stop_processes


@pytest.fixture(autouse=True)
def _nginx_installed() -> None:
    """The deployment is checked for real: without nginx this fails (`.ci/run` installs it)."""
    if nginx_binary() is None:
        pytest.fail("nginx is not installed: apt-get install nginx")

BIN = Path(sys.executable).parent
INDEX = b"<!doctype html><html><head><title>MediaNest test build</title></head><body></body></html>"
ASSET = b"export const greeting = 'hello';\n" * 100  # over gzip_min_length


def health_paths(function: str) -> list[str]:
    """The routes the function's image probes: its HEALTHCHECK, plus the OpenFaaS readiness route."""
    dockerfile = (ROOT / "deploy" / "function" / "Dockerfile").read_text()
    return [*re.findall(r"http://127\.0\.0\.1:8080(/[^'\"]+)", dockerfile), "/_/ready"]


def child_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The test installation's settings, and nothing of the developer's own environment's settings."""
    names = {s.name for s in SETTINGS}
    env = {k: v for k, v in os.environ.items() if k not in names}
    env.update(settings.raw)
    env.update(MEDIANEST_TRUSTED_PROXIES="1", PYTHONPATH=str(ROOT), PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
    env.update(extra)
    return env


def wait_until(check: Callable[[], bool], what: str, process: subprocess.Popen[bytes], log: Path,
               timeout: float = 45) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{what} did not come up (exit {process.poll()}):\n{log.read_text()[-4000:]}")
        time.sleep(0.1)


def start(started: list[subprocess.Popen[bytes]], command: list[str], env: dict[str, str],
          log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    started.append(process)
    return process


@pytest.fixture
def deployment(settings: Settings, tmp_path: Path) -> Iterator[dict[str, Any]]:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_bytes(INDEX)
    (dist / "assets" / "app-3f2a1b9c.js").write_bytes(ASSET)
    acme = tmp_path / "acme" / ".well-known" / "acme-challenge"
    acme.mkdir(parents=True)
    (acme / "token-123").write_text("token-123.thumbprint")

    distinct: set[int] = set()
    while len(distinct) < len(ALL_FUNCTIONS) + 1:  # the functions' ports and nginx's, never the same twice
        distinct.add(free_port())
    *function_ports, nginx_port = sorted(distinct)
    ports = dict(zip(ALL_FUNCTIONS, function_ports, strict=True))
    started = time.monotonic()
    with ExitStack() as stack:
        everything: list[subprocess.Popen[bytes]] = []
        stack.callback(stop_processes, everything)  # also when start-up fails half-way
        processes = {}
        for name, port in ports.items():
            env = child_env(settings, MEDIANEST_WORKER_CLASS="gevent" if name == "realtime" else "gthread")
            command = [str(BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
                       "--workers", "1", f"functions.{name}.app:create_app()"]
            processes[name] = start(everything, command, env, tmp_path / f"{name}.log")
        worker_env = child_env(settings, MEDIANEST_APP_DIR=str(ROOT), MEDIANEST_MIGRATE_ON_START="true")
        worker = start(everything, ["sh", str(DEPLOY / "worker-entrypoint.sh"), *ALL_QUEUES], worker_env,
                       tmp_path / "worker.log")
        # the scheduler container's command: enqueues every periodic job at start, then on time
        start(everything, [sys.executable, "-m", "functions.schedule"], child_env(settings), tmp_path / "scheduler.log")

        values = {f"NGINX_{name.upper()}_UPSTREAM": f"127.0.0.1:{port}" for name, port in ports.items()}
        values.update(NGINX_LISTEN=f"127.0.0.1:{nginx_port}", NGINX_FRONTEND_ROOT=str(dist),
                      NGINX_ACME_ROOT=str(tmp_path / "acme"), NGINX_ACCESS_LOG=str(tmp_path / "access.log"))
        nginx = Nginx(tmp_path / "nginx", ["nginx.conf"], values, [nginx_port])
        for name, port in ports.items():
            url = f"http://127.0.0.1:{port}/_/health"
            wait_until(lambda url=url: requests.get(url, timeout=2).status_code == 200, name, processes[name],
                       tmp_path / f"{name}.log")
        nginx.start()
        stack.callback(nginx.stop)
        yield {"base": f"http://127.0.0.1:{nginx_port}", "ports": ports, "worker": worker, "tmp": tmp_path,
               "started": started, "ready": time.monotonic()}
    assert nginx.process is not None
    assert nginx.process.poll() is not None
    assert all(process.poll() is not None for process in everything), "a process of the stack outlived the test"


@pytest.mark.slow
def test_the_stack_answers_through_nginx(deployment: dict[str, Any], settings: Settings, make_user) -> None:
    base, tmp = deployment["base"], deployment["tmp"]
    # every image's health routes answer on the function's own port
    for name, port in deployment["ports"].items():
        for path in health_paths(name):
            assert requests.get(f"http://127.0.0.1:{port}{path}", timeout=5).status_code == 200, (name, path)

    # every function through /api/v1/<fn>/, its prefix removed by nginx
    for name in ALL_FUNCTIONS:
        health = requests.get(f"{base}/api/v1/{name}/healthz", timeout=5)
        assert (health.status_code, health.json()["function"]) == (200, name), health.text
        ready = requests.get(f"{base}/api/v1/{name}/readyz", timeout=5)
        assert (ready.status_code, ready.json()["status"]) == (200, "ready"), (name, ready.text)
        assert health.headers["Content-Security-Policy"] == API_CSP  # the function's own, not doubled by nginx

    unknown = requests.get(f"{base}/api/v1/nosuchfunction/thing", timeout=5)
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
    assert unknown.headers["Content-Type"].startswith("application/json")
    missing = requests.get(f"{base}/api/v1/media/no/such/route", timeout=5)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"

    spec = requests.get(f"{base}/api/v1/auth/openapi.json", headers={"Accept-Encoding": "gzip"}, timeout=5)
    assert spec.status_code == 200
    assert spec.headers.get("Content-Encoding") == "gzip"

    # the single-page app: headers, fallback, caching, compression
    front = requests.get(f"{base}/", timeout=5)
    assert front.status_code == 200
    assert front.content == INDEX
    assert front.headers["Content-Type"].startswith("text/html")
    assert front.headers["Content-Security-Policy"] == SPA_CSP
    assert front.headers["X-Content-Type-Options"] == "nosniff"
    assert front.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert front.headers["X-Frame-Options"] == "DENY"
    assert front.headers["Cache-Control"] == "no-cache"
    assert "Strict-Transport-Security" not in front.headers  # plain HTTP
    deep = requests.get(f"{base}/requests/42/details", timeout=5)
    assert deep.status_code == 200
    assert deep.content == INDEX
    assert deep.headers["Cache-Control"] == "no-cache"
    asset = requests.get(f"{base}/assets/app-3f2a1b9c.js", headers={"Accept-Encoding": "gzip"}, stream=True,
                         timeout=5)
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert asset.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(asset.raw.read()) == ASSET
    assert asset.headers["Content-Security-Policy"] == SPA_CSP
    assert requests.get(f"{base}/assets/app-missing.js", timeout=5).status_code == 404  # never index.html
    acme = requests.get(f"{base}/.well-known/acme-challenge/token-123", timeout=5)
    assert acme.status_code == 200
    assert acme.text == "token-123.thumbprint"

    # body limit (webhooks included), and the Plex webhook secret never reaches the access log
    secret = "plexhooksecret0123456789abcdef"
    too_big = requests.post(f"{base}/api/v1/webhooks/plex/{secret}", data=b"x" * (1024 * 1024 + 1), timeout=10)
    assert too_big.status_code == 413
    assert too_big.json()["error"]["code"] == "payload_too_large"
    requests.post(f"{base}/api/v1/webhooks/plex/{secret}?x=1", data=b"{}", timeout=5)
    deadline = time.monotonic() + 5  # nginx writes the line once the response is out: wait for it
    while "/api/v1/webhooks/plex/[REDACTED]?x=1" not in (access_log := (tmp / "access.log").read_text()):
        assert time.monotonic() < deadline, access_log
        time.sleep(0.05)
    assert secret not in access_log

    check_websocket_round_trip(base, settings, make_user)
    check_worker_runs_jobs(settings, deployment["worker"], tmp / "worker.log")
    print(f"\nstack up in {deployment['ready'] - deployment['started']:.1f} s, "
          f"checks took {time.monotonic() - deployment['ready']:.1f} s")


def check_websocket_round_trip(base: str, settings: Settings, make_user) -> None:
    user = make_user()
    sessions = SessionManager(redis_lib.Redis.from_url(settings.redis_url, decode_responses=True),
                              settings.secret_key, settings.access_ttl, settings.refresh_ttl)
    token = sessions.create(str(user["id"]), user["role"], "127.0.0.1", "pytest").access_token
    url = base.replace("http://", "ws://") + "/ws"
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(url, header=[f"Cookie: {ACCESS_COOKIE}={token}"], origin="https://evil.example",
                                    timeout=5)
    assert refused.value.status_code == 403
    ws = websocket.create_connection(url, header=[f"Cookie: {ACCESS_COOKIE}={token}"],
                                     origin=settings.public_origin, timeout=5)
    try:
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv())["type"] == "pong"
        publisher = redis_lib.Redis.from_url(settings.redis_url, decode_responses=True)
        ws.settimeout(0.5)
        # the hub subscribes asynchronously after the handshake: publish until the event arrives
        for _ in range(20):
            events.publish(publisher, f"user:{user['id']}", "user:notification", {"title": "through nginx"})
            try:
                message = json.loads(ws.recv())
                break
            except websocket.WebSocketTimeoutException:
                continue
        else:
            pytest.fail("no event arrived through nginx's /ws")
        assert message["type"] == "user:notification"
        assert message["data"] == {"title": "through nginx"}
        publisher.close()
    finally:
        ws.close()


def check_worker_runs_jobs(settings: Settings, worker: subprocess.Popen[bytes], log: Path) -> None:
    """The entrypoint migrated (nothing left to do) and the worker serves MediaNest's queues with JSON jobs."""
    connection = rq_connection(settings.redis_url)
    job = get_queue(DEFAULT, connection).enqueue("json.dumps", {"through": "the worker"})
    deadline = time.monotonic() + 30
    while job.get_status(refresh=True) != "finished":
        if worker.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the worker did not run the job ({job.get_status()}):\n{log.read_text()[-4000:]}")
        time.sleep(0.1)
    assert json.loads(job.return_value(refresh=True)) == {"through": "the worker"}
    # the scheduler's periodic service check, run by the worker
    deadline = time.monotonic() + 30
    while (status := Job.fetch("periodic-service-checks", connection=connection, serializer=JSONSerializer)
           .get_status(refresh=True) if connection.exists("rq:job:periodic-service-checks") else None) != "finished":
        if worker.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the periodic service check did not run ({status}):\n{log.read_text()[-4000:]}")
        time.sleep(0.1)
    connection.close()
    assert "database is up to date" in log.read_text()
