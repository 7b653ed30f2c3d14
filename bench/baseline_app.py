"""The baseline: a bare Flask app on the same gunicorn settings, answering JSON of a similar size."""

from flask import Flask


def create_app() -> Flask:
    app = Flask("baseline")

    @app.get("/healthz")
    def healthz() -> dict:
        return {"status": "ok", "function": "baseline"}

    @app.get("/status")
    def status() -> list:
        return [{"name": f"service-{n}", "display_name": f"Service {n}", "status": "up", "response_ms": 12,
                 "checked_at": "2026-11-24T12:00:00Z", "uptime_24h": 0.999, "message": "Answering."}
                for n in range(6)]

    return app
