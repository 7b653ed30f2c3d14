"""Waiting for Plex to show new files: listings at growing intervals, and one as soon as the scan ends."""

from __future__ import annotations

from pathlib import PurePosixPath
from types import SimpleNamespace

import pytest

from functions.downloads import plexsync
from medianest.clients.plex import MediaFile, Section

FOLDER = PurePosixPath("/media/youtube/alice/Demo")
WANTED = {str(FOLDER / "001 - a.mp4"): 1, str(FOLDER / "002 - b.mp4"): 2}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class Plex:
    """Shows the files once `done_at` has passed; `refreshing` until then when `flag` is on."""

    def __init__(self, clock: Clock, done_at: float, flag: bool) -> None:
        self.clock, self.done_at, self.flag = clock, done_at, flag
        self.listed: list[float] = []

    def sections(self) -> list[Section]:
        return [Section("3", "YouTube", "movie", self.flag and self.clock.now < self.done_at, ("/media/youtube",))]

    def files_under(self, section_key: str, folder: str) -> list[MediaFile]:
        self.listed.append(round(self.clock.now, 3))
        if self.clock.now < self.done_at:
            return []
        return [MediaFile(str(n), "movie", path) for path, n in WANTED.items()]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(plexsync, "time", SimpleNamespace(monotonic=lambda: clock.now, sleep=clock.sleep))
    return clock


def test_the_files_are_listed_as_soon_as_the_scan_is_seen_to_end(clock: Clock) -> None:
    plex = Plex(clock, done_at=0.62, flag=True)
    keys, types = plexsync._wait_for(plex, "3", FOLDER, WANTED, lambda: None, 120)  # type: ignore[arg-type]
    assert keys == {1: "1", 2: "2"}
    assert types == {"1": "movie", "2": "movie"}
    assert plex.listed == [0.0, 0.25, 0.65]  # not at 0.75 s: the flag was seen down at 0.65 s


def test_without_the_flag_the_listings_come_at_growing_intervals(clock: Clock) -> None:
    plex = Plex(clock, done_at=0.8, flag=False)
    keys, _ = plexsync._wait_for(plex, "3", FOLDER, WANTED, lambda: None, 120)  # type: ignore[arg-type]
    assert keys == {1: "1", 2: "2"}
    assert plex.listed == [0.0, 0.25, 0.75, 1.75]
