"""A fake Overseerr (see :mod:`fakes.overseerr.app`)."""

from fakes.overseerr.app import OVERSEERR_API_KEY, FakeOverseerr

__all__ = ["OVERSEERR_API_KEY", "FakeOverseerr"]
