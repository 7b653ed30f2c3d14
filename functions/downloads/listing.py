"""What listing a video or playlist gives, without yt-dlp itself: the web function names these at start
and imports yt-dlp (functions/downloads/ytdlp.py) only when a preview or a submission lists an address."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
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

    def to_json(self) -> str:
        """The listing as JSON; TypeError or ValueError when an extractor left something JSON cannot carry."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str, limit: int) -> Listing:
        """A listing `to_json` wrote, cut to `limit` entries; ValueError when it is not one."""
        try:
            data = json.loads(text)
            entries = [Entry(**entry) for entry in data["entries"][:limit]]
            return cls(data["title"], data["kind"], entries, len(entries))
        except (KeyError, TypeError) as exc:  # written by another version of this code
            raise ValueError("not a listing") from exc
