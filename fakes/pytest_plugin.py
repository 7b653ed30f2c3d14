"""pytest fixtures: the fakes, started once per session and reset to a clean state for every test.

Register with ``pytest_plugins = ["fakes.pytest_plugin"]`` in the root conftest. Fixtures:
``fake_plextv``, ``fake_plex``, ``fake_overseerr``, ``fake_uptimekuma``, ``fake_youtube`` and
``webhook_receiver`` (records requests, e.g. Overseerr's webhooks). Each yields the running fake; its
data and fault mode are reset before and after the test. The Plex fake's media root is a session temp
folder whose section folders are emptied after each test; plex.tv's server connections point at it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes.overseerr import FakeOverseerr
from fakes.plex import FakePlex
from fakes.plextv import FakePlexTv
from fakes.receiver import Receiver
from fakes.uptimekuma import FakeUptimeKuma
from fakes.youtube import FakeYouTube

__all__ = [
    "_fakes_overseerr_server", "_fakes_plex_server", "_fakes_plextv_server", "_fakes_receiver_server",
    "_fakes_uptimekuma_server", "_fakes_youtube_server", "fake_overseerr", "fake_plex", "fake_plextv",
    "fake_uptimekuma", "fake_youtube", "webhook_receiver",
]

SCAN_DELAY = 0.2  # shorter than Plex's default in tests; still asynchronous


@pytest.fixture(scope="session")
def _fakes_plex_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakePlex]:
    fake = FakePlex(media_root=tmp_path_factory.mktemp("fake-plex-media"), scan_delay=SCAN_DELAY).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def _fakes_plextv_server(_fakes_plex_server: FakePlex) -> Iterator[FakePlexTv]:
    fake = FakePlexTv(pms_url=_fakes_plex_server.url).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def _fakes_overseerr_server() -> Iterator[FakeOverseerr]:
    fake = FakeOverseerr().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def _fakes_uptimekuma_server() -> Iterator[FakeUptimeKuma]:
    fake = FakeUptimeKuma().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def _fakes_youtube_server() -> Iterator[FakeYouTube]:
    fake = FakeYouTube().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def _fakes_receiver_server() -> Iterator[Receiver]:
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


def _empty_sections(plex: FakePlex) -> None:
    for section in plex.library.sections.values():
        for location in section["Location"]:
            for child in Path(location["path"]).iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)


@pytest.fixture
def fake_plex(_fakes_plex_server: FakePlex) -> Iterator[FakePlex]:
    """The Plex Media Server fake (owner token: ``fakes.accounts.OWNER_TOKEN``)."""
    _fakes_plex_server.reset()
    yield _fakes_plex_server
    _fakes_plex_server.scan_delay = SCAN_DELAY
    _fakes_plex_server.reset()
    _empty_sections(_fakes_plex_server)


@pytest.fixture
def fake_plextv(_fakes_plextv_server: FakePlexTv) -> Iterator[FakePlexTv]:
    """The plex.tv fake (accounts and tokens: :mod:`fakes.accounts`)."""
    _fakes_plextv_server.reset()
    yield _fakes_plextv_server
    _fakes_plextv_server.pin_ttl = None
    _fakes_plextv_server.reset()


@pytest.fixture
def fake_overseerr(_fakes_overseerr_server: FakeOverseerr) -> Iterator[FakeOverseerr]:
    """The Overseerr fake (API key: ``fakes.overseerr.OVERSEERR_API_KEY``)."""
    _fakes_overseerr_server.reset()
    yield _fakes_overseerr_server
    _fakes_overseerr_server.on_available = None
    _fakes_overseerr_server.reset()


@pytest.fixture
def fake_uptimekuma(_fakes_uptimekuma_server: FakeUptimeKuma) -> Iterator[FakeUptimeKuma]:
    """The Uptime Kuma fake (slug ``home``, 1.x behaviour unless changed)."""
    _fakes_uptimekuma_server.reset()
    yield _fakes_uptimekuma_server
    _fakes_uptimekuma_server.reset()


@pytest.fixture
def fake_youtube(_fakes_youtube_server: FakeYouTube) -> Iterator[FakeYouTube]:
    """The YouTube fake (unthrottled unless a test sets a speed)."""
    _fakes_youtube_server.reset()
    yield _fakes_youtube_server
    _fakes_youtube_server.reset()


@pytest.fixture
def webhook_receiver(_fakes_receiver_server: Receiver) -> Iterator[Receiver]:
    """Records every request it gets; answers 204 unless ``.status`` is changed."""
    _fakes_receiver_server.clear()
    yield _fakes_receiver_server
    _fakes_receiver_server.clear()
