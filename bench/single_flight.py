"""50 concurrent cold-cache requests for the same library page: how many calls reach the Plex fake.

The media function runs under gunicorn as in production (gthread, 2 workers of 8 threads), so the 50
requests land in two processes and the single-flight lock must hold across them. The fake Plex answers
the page slowly (0.5 s) so that every request arrives while the first load is still running. Each round
starts from a cold cache (the library's generation is bumped, which is what new media does).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import redis
import requests

from bench.report import Result
from bench.seed import configured_fakes, members
from bench.stack import gunicorn, stop, wait_ok
from fakes import accounts
from medianest import cache
from medianest.devstack import free_port

CONCURRENCY = 50
ROUNDS = 5
PLEX_DELAY = 0.5
PAGE = "/libraries/1/items?offset=0&limit=24&sort=title"


class _PlexCounter:
    """WSGI middleware in front of the Plex fake: counts every request that reaches it, by path."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.paths: Counter[str] = Counter()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/__control/"):
            with self.lock:
                self.paths[path] += 1
        return self.app(environ, start_response)

    def take(self) -> Counter[str]:
        with self.lock:
            taken, self.paths = self.paths, Counter()
        return taken


def _burst(url: str, cookie: str) -> list[tuple[int, bytes]]:
    """CONCURRENCY requests released at the same instant, each on its own connection."""
    barrier = threading.Barrier(CONCURRENCY)
    answers: list[tuple[int, bytes]] = []
    lock = threading.Lock()

    def one() -> None:
        session = requests.Session()
        barrier.wait(timeout=30)
        try:
            response = session.get(url, headers={"Cookie": cookie}, timeout=60)
            answer = (response.status_code, response.content)
        except requests.RequestException as exc:
            answer = (0, str(exc).encode())
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=one) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def run(env: dict[str, str]) -> list[Result]:
    with configured_fakes(env) as fakes:
        counter = _PlexCounter(fakes.plex.app.wsgi_app)
        fakes.plex.app.wsgi_app = counter  # type: ignore[method-assign]
        member = members(env, 1, prefix="flight")[0]
        client = redis.Redis.from_url(env["REDIS_URL"], decode_responses=True)
        port = free_port()
        process = gunicorn("functions.media.app:create_app()", port, env, "gthread", 2)
        try:
            wait_ok(f"http://127.0.0.1:{port}/healthz")
            url = f"http://127.0.0.1:{port}{PAGE}"
            requests.get(url, headers={"Cookie": member.cookie}, timeout=30).raise_for_status()  # pools warm
            fakes.plex.set_mode("slow", delay=PLEX_DELAY, path_prefix="/library/sections/")
            page_calls, all_calls, failures, distinct = [], [], 0, set()
            for _ in range(ROUNDS):
                cache.invalidate_library(client, accounts.PLEX_MACHINE_ID)
                counter.take()
                answers = _burst(url, member.cookie)
                seen = counter.take()
                page_calls.append(seen["/library/sections/1/all"])
                all_calls.append(sum(seen.values()))
                failures += sum(1 for status, _ in answers if status != 200) + CONCURRENCY - len(answers)
                distinct |= {body for status, body in answers if status == 200}
        finally:
            stop(process)
    exact = all(n == 1 for n in page_calls)
    return [Result(
        f"{CONCURRENCY} concurrent cold-cache requests for one library page: calls reaching Plex",
        ", ".join(map(str, page_calls)), "", "", "exactly 1", exact and failures == 0,
        f"one figure per round, {ROUNDS} rounds, each after the cache was invalidated; every call to the Plex fake"
        f" in a round: {', '.join(map(str, all_calls))}; Plex answered in {PLEX_DELAY} s; media function under gunicorn"
        f" gthread, 2 workers × 8 threads; non-200 answers: {failures}; distinct response bodies over all"
        f" rounds: {len(distinct)}")]
