"""Outbound HTTP to the services we depend on (plex.tv, Plex, Overseerr, Uptime Kuma).

One keep-alive `requests.Session` per service, connect and read timeouts always set, retries with
backoff (tenacity) only for idempotent calls and only on transient failures, one circuit breaker per
service (circuitbreaker) so a dead service fails fast instead of tying up workers, latency metrics, and
errors that carry neither the upstream body nor the URL (which may hold a token).

requests, tenacity and circuitbreaker are imported when the first client is built or called, not with this
module: every function imports it (for `UpstreamError`) but only some requests go out (none of realtime's), and
those imports cost a cold start about 30 ms and an idle worker about 5 MB.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from prometheus_client import Histogram

if TYPE_CHECKING:
    import requests
    from circuitbreaker import CircuitBreaker

log = logging.getLogger(__name__)

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_STATUSES = frozenset({502, 503, 504})

OUTBOUND_SECONDS = Histogram(
    "medianest_outbound_request_seconds", "Outbound request latency by service and outcome",
    ["service", "outcome"], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


class UpstreamError(Exception):
    """A call to an outside service failed. `message` is safe to show to a user.

    kind: `unreachable`, `timeout`, `http` (status set), `circuit_open`, `bad_response`.
    """

    def __init__(self, service: str, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.service, self.kind, self.message, self.status = service, kind, message, status


class _Transient(Exception):
    """Counts against the breaker and may be retried: the service is down, slow or overloaded."""

    def __init__(self, error: UpstreamError) -> None:
        super().__init__(error.message)
        self.error = error


_sessions: dict[str, requests.Session] = {}
_breakers: dict[str, CircuitBreaker] = {}
_lock = threading.Lock()


def get_session(service: str) -> requests.Session:
    import requests

    with _lock:
        session = _sessions.get(service)
        if session is None:
            session = _sessions[service] = requests.Session()
            session.trust_env = False  # never send our tokens through a proxy from the environment
        return session


def get_breaker(service: str, failures: int = 5, recovery: int = 30) -> CircuitBreaker:
    from circuitbreaker import CircuitBreaker

    with _lock:
        breaker = _breakers.get(service)
        if breaker is None:
            breaker = _breakers[service] = CircuitBreaker(
                failure_threshold=failures, recovery_timeout=recovery, expected_exception=_Transient,
                name=f"medianest-{service}",
            )
        return breaker


def breaker_state(service: str) -> str:
    """`closed`, `open` or `half_open` for this process's breaker of `service`."""
    breaker = _breakers.get(service)
    return breaker.state if breaker is not None else "closed"


def circuit_open_error(service: str, display_name: str) -> UpstreamError:
    """What a call to a service whose breaker is open fails with."""
    return UpstreamError(service, "circuit_open",
                         f"{display_name} is failing; MediaNest paused calls to it for a moment.")


def refuse_if_open(service: str, display_name: str) -> None:
    """Fail as the service's client would while its breaker is open, before anything is loaded to build one."""
    if breaker_state(service) == "open":
        OUTBOUND_SECONDS.labels(service, "circuit_open").observe(0)
        raise circuit_open_error(service, display_name)


def reset_breakers() -> None:
    with _lock:
        _breakers.clear()


class ServiceClient:
    """Calls one outside service. Subclasses (medianest.clients.*) add typed methods."""

    def __init__(
        self,
        service: str,
        display_name: str,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        connect_timeout: float = 3.0,
        read_timeout: float = 10.0,
        retries: int = 2,
        breaker_failures: int = 5,
        breaker_recovery: int = 30,
        session: requests.Session | None = None,
        breaker_key: str | None = None,
    ) -> None:
        self.service = service
        self.display_name = display_name
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers or {})
        self.timeout = (connect_timeout, read_timeout)
        self.retries = retries
        self.session = session or get_session(service)
        # health probes use a breaker of their own so they always really try the service
        self.breaker = get_breaker(breaker_key or service, breaker_failures, breaker_recovery)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: tuple[float, float] | None = None,
        idempotent: bool | None = None,
        ok: tuple[int, ...] = (),
    ) -> requests.Response:
        """Send one logical request; raise UpstreamError unless the status is 2xx or listed in `ok`."""
        from circuitbreaker import CircuitBreakerError
        from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

        method = method.upper()
        retryable = method in IDEMPOTENT if idempotent is None else idempotent
        attempts = Retrying(
            stop=stop_after_attempt(1 + (self.retries if retryable else 0)),
            wait=wait_exponential(multiplier=0.2, max=2),
            retry=retry_if_exception_type(_Transient),
            reraise=True,
        )
        started = time.perf_counter()
        outcome = "error"
        try:
            if self.breaker.opened:  # half-open lets a trial call through
                raise CircuitBreakerError(self.breaker)
            response = self.breaker.call(
                lambda: attempts(self._send, method, path, params, json, data, headers, timeout, ok)
            )
            outcome = "ok" if response.ok else str(response.status_code)
            return response
        except CircuitBreakerError:
            outcome = "circuit_open"
            raise circuit_open_error(self.service, self.display_name) from None
        except _Transient as exc:
            outcome = exc.error.kind
            if self.breaker.opened:  # this failure opened it (it was not open when the call started)
                log.warning("circuit opened: calls paused", extra={
                    "service": self.service, "breaker": self.breaker.name, "kind": exc.error.kind,
                    "seconds": round(self.breaker.open_remaining)})
            raise exc.error from None
        except UpstreamError as exc:
            outcome = exc.kind if exc.status is None else str(exc.status)
            raise
        finally:
            OUTBOUND_SECONDS.labels(self.service, outcome).observe(time.perf_counter() - started)

    def _send(self, method: str, path: str, params: Any, json: Any, data: Any,
              headers: Mapping[str, str] | None, timeout: tuple[float, float] | None,
              ok: tuple[int, ...]) -> requests.Response:
        import requests

        url = f"{self.base_url}/{path.lstrip('/')}"
        merged = {**self.headers, **(headers or {})}
        name = self.display_name
        try:
            response = self.session.request(method, url, params=params, json=json, data=data, headers=merged,
                                            timeout=timeout or self.timeout, allow_redirects=False)
        except requests.Timeout:
            raise _Transient(UpstreamError(self.service, "timeout", f"{name} did not answer in time.")) from None
        except requests.RequestException:
            raise _Transient(UpstreamError(self.service, "unreachable", f"Could not connect to {name}.")) from None
        if response.status_code in ok:  # an answer the caller reads (e.g. Overseerr's 500 for an unknown id)
            return response
        if response.status_code in RETRY_STATUSES or response.status_code >= 500:
            raise _Transient(UpstreamError(self.service, "http", f"{name} answered {response.status_code}.",
                                           response.status_code))
        if not response.ok:
            raise UpstreamError(self.service, "http", f"{name} answered {response.status_code}.",
                                response.status_code)
        return response

    def json(self, response: requests.Response) -> Any:
        """Decode a JSON body or raise a clean `bad_response` error (never echoing the body)."""
        try:
            return response.json()
        except ValueError:
            raise UpstreamError(self.service, "bad_response",
                                f"{self.display_name} sent a response MediaNest could not read.") from None
