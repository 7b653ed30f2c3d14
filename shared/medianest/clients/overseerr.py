"""Overseerr API v1 with `X-Api-Key`. Written against `contracts/overseerr.md` and `overseerr-api.yml`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medianest.http import ServiceClient

SERVICE = "overseerr"


@dataclass(frozen=True)
class OverseerrStatus:
    version: str
    update_available: bool


class OverseerrClient(ServiceClient):
    def __init__(self, base_url: str, api_key: str | None, **kwargs: Any) -> None:
        headers = {"Accept": "application/json"}
        if api_key:
            headers["X-Api-Key"] = api_key
        super().__init__(SERVICE, "Overseerr", base_url.rstrip("/") + "/api/v1", headers=headers, **kwargs)

    def status(self) -> OverseerrStatus:
        """`GET /status` is public: it says the server is up and which version it runs."""
        body = self.json(self.request("GET", "/status"))
        body = body if isinstance(body, dict) else {}
        return OverseerrStatus(str(body.get("version", "")), bool(body.get("updateAvailable", False)))

    def check_api_key(self) -> None:
        """A protected call; Overseerr answers 403 (not 401) when the key is refused."""
        self.request("GET", "/auth/me")
