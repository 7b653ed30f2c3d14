"""A Plex Media Server: JSON via `Accept`, the token in the `X-Plex-Token` header (never in a URL).

Written against `contracts/plex-media-server.md`; tolerant of Plex's irregular JSON (arrays left out when
empty, numbers sent as strings).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medianest.http import ServiceClient, UpstreamError

SERVICE = "plex"


def as_int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def container(payload: Any) -> dict[str, Any]:
    """The `MediaContainer` of a Plex JSON answer ({} when it is missing or not an object)."""
    if isinstance(payload, dict) and isinstance(payload.get("MediaContainer"), dict):
        return payload["MediaContainer"]
    return {}


@dataclass(frozen=True)
class Identity:
    machine_identifier: str
    version: str
    claimed: bool


class PlexClient(ServiceClient):
    def __init__(self, base_url: str, token: str | None, *, client_identifier: str = "medianest",
                 **kwargs: Any) -> None:
        headers = {"Accept": "application/json", "X-Plex-Product": "MediaNest",
                   "X-Plex-Client-Identifier": client_identifier}
        if token:
            headers["X-Plex-Token"] = token
        super().__init__(SERVICE, "Plex", base_url, headers=headers, **kwargs)

    def get_json(self, path: str, params: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> dict[str, Any]:
        return container(self.json(self.request("GET", path, params=params, headers=headers)))

    def identity(self) -> Identity:
        media = self.get_json("/identity")
        machine = media.get("machineIdentifier")
        if not isinstance(machine, str) or not machine:
            raise UpstreamError(SERVICE, "bad_response", "Plex did not say which server it is.")
        return Identity(machine, str(media.get("version", "")), bool(media.get("claimed", False)))

    def check_token(self) -> None:
        """Raise UpstreamError (status 401) when the token is not accepted for the library."""
        self.get_json("/library/sections")
