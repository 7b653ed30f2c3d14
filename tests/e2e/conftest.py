"""One portal for the end-to-end tests of this run (started once; its database and Redis db are its own)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from medianest import devstack
from tests.conftest import claimed_redis_db
from tests.e2e.stack import Stack, start


@pytest.fixture(scope="session")
def portal(pg_admin_url: str, redis_server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    name = f"medianest_e2e_{secrets.token_hex(4)}"
    database_url = devstack.create_database(pg_admin_url, name)
    state = Path(tmp_path_factory.mktemp("portal"))
    with claimed_redis_db(redis_server_url) as redis_url:
        stack = start(database_url, redis_url, state, devstack.free_port())
        try:
            yield stack
        finally:
            stack.stop()
            devstack.drop_database(pg_admin_url, name)
