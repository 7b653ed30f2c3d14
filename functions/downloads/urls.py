"""Which addresses may be downloaded: http(s) URLs whose host is exactly one on the configured allowlist."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from medianest.integrations import DEFAULT_YOUTUBE_HOSTS

MAX_URL_LENGTH = 2000
# Characters a browser or HTTP library may read differently from Python's parser (or silently drop).
_AMBIGUOUS = re.compile(r"[\x00-\x20\x7f\\]")


class UrlRefused(ValueError):
    """The URL is not one MediaNest downloads; the message says why in plain words."""


def check_url(url: str, allowed_hosts: list[str]) -> str:
    """The URL, when it is http(s) on an allowed host (compared whole, never as a substring)."""
    url = url.strip()
    if not url or len(url) > MAX_URL_LENGTH or _AMBIGUOUS.search(url):
        raise UrlRefused("That is not a web address MediaNest can download from.")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise UrlRefused("That is not a web address MediaNest can download from.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UrlRefused("Only http:// and https:// addresses can be downloaded.")
    host = parts.hostname or ""
    if "@" in parts.netloc or not host or not host.isascii() or host not in {h.lower() for h in allowed_hosts}:
        raise UrlRefused(f"Only videos and playlists from {', '.join(allowed_hosts)} can be downloaded.")
    return url


def youtube_only(allowed_hosts: list[str]) -> bool:
    """True when every allowed host is YouTube's, so yt-dlp may load its YouTube extractors only."""
    return all(host in DEFAULT_YOUTUBE_HOSTS for host in allowed_hosts)
