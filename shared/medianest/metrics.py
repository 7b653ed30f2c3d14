"""Prometheus metrics for the functions: requests and latency per function, route and status."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

REQUESTS = Counter(
    "medianest_http_requests_total", "HTTP requests answered", ["function", "method", "route", "status"]
)
LATENCY = Histogram(
    "medianest_http_request_seconds", "HTTP request latency", ["function", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def observe(function: str, method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(function, method, route, str(status)).inc()
    LATENCY.labels(function, method, route).observe(seconds)


def exposition() -> tuple[bytes, str]:
    return generate_latest(), CONTENT_TYPE_LATEST
