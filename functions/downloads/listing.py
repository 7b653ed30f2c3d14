"""What listing a video or playlist gives, without yt-dlp itself: the web function names these at start
and imports yt-dlp (functions/downloads/ytdlp.py) only when a preview or a submission lists an address."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ExtractFailed(Exception):
    """yt-dlp could not read the address as a video or playlist; the message is safe to show."""


@dataclass
class Entry:
    position: int
    video_id: str | None
    title: str | None
    duration: float | None
    raw: dict[str, Any] = field(repr=False)


@dataclass
class Listing:
    title: str | None
    kind: str  # video | playlist
    entries: list[Entry]
    count: int  # entries seen, at most the cap asked for
