"""A fake YouTube for real yt-dlp (see :mod:`fakes.youtube.app` and :mod:`fakes.youtube.pages`)."""

from fakes.youtube.app import FakeYouTube
from fakes.youtube.pages import DEMO_PLAYLIST, HOSTILE_PLAYLIST, HOSTILE_TITLES

__all__ = ["DEMO_PLAYLIST", "HOSTILE_PLAYLIST", "HOSTILE_TITLES", "FakeYouTube"]
