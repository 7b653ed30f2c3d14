"""Every function answers healthz, readyz and openapi.json; the dispatcher routes like nginx."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from openapi_spec_validator import validate as validate_spec

from functions import ALL_FUNCTIONS
from functions.dispatcher import create_app as create_dispatcher
from medianest.config import Settings
from tests.conftest import make_settings


def function_app(name: str, settings: Settings):
    return importlib.import_module(f"functions.{name}.app").create_app(settings)


@pytest.mark.parametrize("name", ALL_FUNCTIONS)
def test_health_ready_and_openapi(name: str, settings: Settings) -> None:
    client = function_app(name, settings).test_client()
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json() == {"status": "ok", "function": name}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["checks"] == {"database": "ok", "redis": "ok"}
    assert client.get("/_/health").status_code == 200  # the OpenFaaS workload contract
    assert client.get("/_/ready").status_code == 200
    spec = client.get("/openapi.json")
    assert spec.status_code == 200
    document = spec.get_json()
    validate_spec(document)
    assert {"/healthz", "/readyz", "/openapi.json"} <= set(document["paths"])


@pytest.mark.parametrize("broken", ["DATABASE_URL", "REDIS_URL"])
def test_readyz_is_503_when_a_store_is_down(broken: str, database_url: str, redis_url: str,
                                            media_root: Path) -> None:
    dead = {"DATABASE_URL": "postgresql://postgres@127.0.0.1:9/none", "REDIS_URL": "redis://127.0.0.1:9/0"}
    settings = make_settings(database_url, redis_url, media_root, **{broken: dead[broken]})
    client = function_app("status", settings).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["error"]["code"] == "not_ready"
    failed = "database" if broken == "DATABASE_URL" else "redis"
    assert body["error"]["details"][failed] == "unavailable"
    assert client.get("/healthz").status_code == 200


def test_dispatcher_routes_each_function_under_its_prefix(settings: Settings, tmp_path: Path) -> None:
    client = _dispatcher_client(settings, tmp_path)
    for name in ALL_FUNCTIONS:
        response = client.get(f"/api/v1/{name}/healthz")
        assert response.status_code == 200, name
        assert response.get_json()["function"] == name
    assert client.get("/api/v1/auth").status_code in (200, 401, 404)  # reaches the auth app's root


def test_dispatcher_sends_ws_to_realtime_and_unknown_api_to_json_404(settings: Settings, tmp_path: Path) -> None:
    client = _dispatcher_client(settings, tmp_path)
    unknown = client.get("/api/v1/nothing/healthz")
    assert unknown.status_code == 404
    assert unknown.get_json()["error"]["code"] == "not_found"
    # /ws reaches the realtime app with its path unchanged (not the front end's index.html)
    response = client.get("/ws")
    assert response.content_type.startswith("application/json")


def test_dispatcher_serves_the_front_end_with_spa_fallback(settings: Settings, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>MediaNest app</title>")
    (dist / "assets" / "app-abc123.js").write_text("console.log(1)")
    client = _dispatcher_client(settings, tmp_path, dist)
    index = client.get("/")
    assert b"MediaNest app" in index.data
    assert "default-src 'self'" in index.headers["Content-Security-Policy"]
    assert index.headers["Cache-Control"] == "no-cache"
    asset = client.get("/assets/app-abc123.js")
    assert asset.status_code == 200
    assert "immutable" in asset.headers["Cache-Control"]
    assert b"MediaNest app" in client.get("/library/1").data  # client-side route
    assert client.get("/assets/missing.js").status_code == 404
    assert client.get("/../pyproject.toml").status_code == 404 or b"MediaNest app" in client.get(
        "/../pyproject.toml").data


def test_dispatcher_placeholder_when_front_end_not_built(settings: Settings, tmp_path: Path) -> None:
    client = _dispatcher_client(settings, tmp_path, tmp_path / "missing-dist")
    page = client.get("/")
    assert page.status_code == 200
    assert b"MediaNest" in page.data


def _dispatcher_client(settings: Settings, tmp_path: Path, dist: Path | None = None):
    from werkzeug.test import Client

    app = create_dispatcher(settings, frontend_dir=dist or tmp_path / "none")
    return _JsonClient(Client(app))


class _JsonClient:
    """werkzeug's Client with `.get_json()` on responses, like Flask's test client."""

    def __init__(self, client) -> None:
        self.client = client

    def get(self, path: str):
        response = self.client.get(path)
        response.get_json = lambda: __import__("json").loads(response.get_data())
        return response
