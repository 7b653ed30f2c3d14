"""A fake Plex Media Server (see :mod:`fakes.plex.app`)."""

from fakes.plex.app import FakePlex

__all__ = ["FakePlex"]
