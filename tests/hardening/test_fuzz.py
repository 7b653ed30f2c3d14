"""Schemathesis against every function's own openapi.json, as anonymous, user and admin.

For every generated request: no 5xx, the status is one the document lists, the body matches its documented
schema, and every error uses the one JSON error shape. (Schema-valid input may still be refused on meaning,
e.g. a URL outside the download allowlist, so "valid data must be accepted" is not checked.)
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from fakes import accounts
from fakes.overseerr.app import OVERSEERR_API_KEY
from functions import ALL_FUNCTIONS
from medianest.sessions import ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER
from tests.conftest import create_user, derive, sign_in

ROLES = ("anonymous", "user", "admin")


@pytest.fixture
def services_on_fakes(configure, fake_plex, fake_overseerr, fake_uptimekuma, fake_plextv) -> str:
    """Every outside service configured (on the fakes), so a 503 can only mean MediaNest got something wrong."""
    configure("plex", fake_plex.url, accounts.OWNER_TOKEN, machine_identifier=accounts.PLEX_MACHINE_ID)
    configure("overseerr", fake_overseerr.url, OVERSEERR_API_KEY)
    configure("uptime_kuma", fake_uptimekuma.url, options={"slug": fake_uptimekuma.slug})
    return fake_plextv.url


@pytest.fixture(params=[(fn, role) for fn in ALL_FUNCTIONS for role in ROLES], ids=lambda p: f"{p[0]}-{p[1]}")
def target(request: pytest.FixtureRequest, settings, db_conn, services_on_fakes) -> dict[str, Any]:
    """One function's app (rate limits out of the way) and the cookies of the role calling it."""
    name, role = request.param
    app = importlib.import_module(f"functions.{name}.app").create_app(
        derive(settings, MEDIANEST_RATE_LIMIT="100000/minute", MEDIANEST_LOGIN_RATE_LIMIT="100000/minute",
               PLEXTV_URL=services_on_fakes))
    cookies: dict[str, str] = {}
    headers: dict[str, str] = {}
    if role != "anonymous":
        tokens = sign_in(app.test_client(), settings, create_user(db_conn, role=role))
        cookies = {ACCESS_COOKIE: tokens["access"], CSRF_COOKIE: tokens["csrf"]}
        headers = {CSRF_HEADER: tokens["csrf"]}
    return {"app": app, "cookies": cookies, "headers": headers}


def _error_shape(response: Any) -> None:
    if response.status_code >= 400 and "application/json" in response.headers.get("Content-Type", [""])[0]:
        body = response.json()
        assert set(body) == {"error"}, body
        assert {"code", "message", "request_id"} <= set(body["error"]), body


def test_no_server_errors_and_documented_answers(target: dict[str, Any]) -> None:
    schema = schemathesis.openapi.from_wsgi("/openapi.json", target["app"])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=12, deadline=None, derandomize=True, database=None,
                             suppress_health_check=list(HealthCheck))
        def fuzz(case: Any) -> None:
            response = case.call_and_validate(headers=target["headers"], cookies=target["cookies"],
                                              excluded_checks=[positive_data_acceptance])
            _error_shape(response)

        fuzz()
