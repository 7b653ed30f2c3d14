"""No Plex token ever leaves through a response body, a response header or a log line."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from medianest.logs import RedactingJsonFormatter, RequestIdFilter
from tests.auth.conftest import csrf_headers, plex_sign_in
from tests.auth.plextv_fake import FakePlexTv


@pytest.fixture
def log_lines(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """Every log line as the project writes it (JSON formatter, DEBUG and up)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(RedactingJsonFormatter("%(message)s %(request_id)s"))
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    caplog.set_level(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def everything_sent(response: Any) -> str:
    return response.get_data(as_text=True) + "\n" + "\n".join(f"{k}: {v}" for k, v in response.headers.items())


@pytest.mark.usefixtures("linked")
def test_plex_tokens_never_reach_a_response_or_a_log_line(app: Flask, plextv: FakePlexTv, log_lines: io.StringIO,
                                                          caplog: pytest.LogCaptureFixture, db_conn) -> None:
    sent: list[str] = []
    owner = app.test_client()
    sent.append(everything_sent(plex_sign_in(owner, plextv, "owner")))
    friend = app.test_client()
    sent.append(everything_sent(plex_sign_in(friend, plextv, "alice")))
    sent.append(everything_sent(plex_sign_in(app.test_client(), plextv, "mallory")))  # refused
    for client in (owner, friend):
        for path in ("/me", "/sessions", "/notifications", "/setup", "/openapi.json"):
            sent.append(everything_sent(client.get(path)))
        sent.append(everything_sent(client.post("/refresh", headers=csrf_headers(client))))
    sent.append(everything_sent(owner.get("/users")))
    sent.append(everything_sent(owner.post("/users/import", headers=csrf_headers(owner))))
    plextv.down = True  # the failure path logs too
    sent.append(everything_sent(owner.post("/users/import", headers=csrf_headers(owner))))
    waiting = app.test_client()
    sent.append(everything_sent(waiting.post("/plex/pin")))

    logged = log_lines.getvalue()
    assert '"message": "request"' in logged
    assert "upstream failure" in logged
    raw_records = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    stored = "\n".join(str(row) for row in db_conn.execute("SELECT * FROM users"))
    for token in plextv.all_tokens:
        for where, text in (("response", "\n".join(sent)), ("log line", logged), ("log record", raw_records),
                            ("users table", stored)):
            assert token not in text, f"a Plex token leaked into a {where}"
