"""The baseline: a bare Flask app on the same gunicorn settings, answering JSON of the same shape and size as the
routes it is compared with (`/status` ≈ `GET /api/v1/status/`, `/recent` ≈ `GET /api/v1/media/recent`)."""

from flask import Flask


def create_app() -> Flask:
    app = Flask("baseline")
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    @app.get("/healthz")
    def healthz() -> dict:
        return {"status": "ok", "function": "baseline"}

    @app.get("/status")
    def status() -> list:
        return [{"name": f"uptime_kuma:{n}", "display_name": f"Service number {n}", "status": "up",
                 "response_ms": 42, "message": f"Uptime Kuma reports service number {n} up.", "version": None,
                 "checked_at": "2026-11-24T21:05:58.377458+00:00", "uptime_24h": 1.0} for n in range(9)]

    @app.get("/recent")
    def recent() -> dict:
        return {"items": [{"id": str(300 + n), "title": f"Season {n % 3 + 1}", "year": None, "type": "season",
                           "thumb_url": f"/api/v1/media/thumb/{300 + n}?kind=thumb&v=1701900800",
                           "added_at": "2023-12-06T22:13:20Z", "show_title": "The Expanse", "library_id": 2}
                          for n in range(20)]}

    return app
