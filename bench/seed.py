"""What the read benchmarks need in place: the fakes wired into the service settings, signed-in users, warm caches."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import redis

from deploy import demo
from fakes.stack import FakeStack, start_all
from medianest.config import load_settings
from medianest.sessions import SessionManager


@dataclass(frozen=True)
class Member:
    """A signed-in user as a browser holds it: the cookies and the CSRF header value."""

    user_id: str
    username: str
    access: str
    csrf: str

    @property
    def cookie(self) -> str:
        return f"mn_access={self.access}; mn_csrf={self.csrf}"


@contextmanager
def configured_fakes(env: dict[str, str], youtube_speed: int = 0) -> Iterator[FakeStack]:
    """The five fakes in this process (threads), with Plex, Overseerr, Uptime Kuma and YouTube pointed at them,
    exactly as `make demo` configures them."""
    stack = start_all(Path(env["MEDIA_ROOT"]), youtube_speed=youtube_speed)
    try:
        demo.configure(load_settings(environ=env), stack)
        yield stack
    finally:
        stack.stop()


def members(env: dict[str, str], count: int, role: str = "user", prefix: str = "bench") -> list[Member]:
    """`count` active users in the database, each with a session in Redis (what a Plex sign-in leaves)."""
    settings = load_settings(environ=env)
    sessions = SessionManager(redis.Redis.from_url(settings.redis_url, decode_responses=True), settings.secret_key,
                              settings.access_ttl, settings.refresh_ttl)
    out = []
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        for n in range(count):
            username = f"{prefix}-{n:03d}-{secrets.token_hex(2)}"
            user_id = conn.execute(
                "INSERT INTO users (plex_id, username, email, role, status) VALUES (%s, %s, %s, %s, 'active')"
                " RETURNING id", (secrets.randbelow(10**9) + 10**6, username, f"{uuid.uuid4().hex[:12]}@bench.test",
                                  role)).fetchone()[0]
            issued = sessions.create(str(user_id), role, "127.0.0.1", "bench")
            out.append(Member(str(user_id), username, issued.access_token, issued.csrf_token))
    return out
