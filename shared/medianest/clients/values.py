"""Tolerant readers for the loosely typed JSON outside services send (numbers as strings, "1"/"0" flags)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from medianest.http import UpstreamError

if TYPE_CHECKING:
    import requests  # imported by medianest.http on the first outbound call

MAX_IMAGE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Image:
    content: bytes = field(repr=False)
    content_type: str


def image_from(response: requests.Response, service: str, display_name: str) -> Image:
    """The image a service answered with; anything that is not a bounded image is a clean error."""
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if not content_type.startswith("image/") or len(response.content) > MAX_IMAGE_BYTES:
        raise UpstreamError(service, "bad_response", f"{display_name} sent something that is not an image.")
    return Image(response.content, content_type)


def opt_int(value: Any) -> int | None:
    """An int, or None for anything that is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def opt_float(value: Any) -> float | None:
    """A float, or None for anything that is not one."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def flag(value: Any) -> bool:
    """A JSON boolean, or a Plex attribute string (`1`/`0`, `true`/`false`), as a bool."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true")
    return bool(value)
