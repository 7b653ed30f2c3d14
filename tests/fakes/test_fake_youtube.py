"""The YouTube fake against the real yt-dlp library: playlists, downloads, speed, failures, stalls."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import requests
import yt_dlp
from yt_dlp.utils import DownloadError

from fakes.youtube import DEMO_PLAYLIST, HOSTILE_PLAYLIST, HOSTILE_TITLES, FakeYouTube
from fakes.youtube import media as clip_media


class _Quiet:
    """Collects yt-dlp's messages so nothing reaches the test output."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def debug(self, msg: str) -> None:
        self.messages.append(msg)

    warning = error = info = debug


def _ydl(**opts: Any) -> yt_dlp.YoutubeDL:
    base = {"quiet": True, "noprogress": True, "no_warnings": True, "cachedir": False, "logger": _Quiet(),
            "socket_timeout": 5, "retries": 0, "fragment_retries": 0}
    return yt_dlp.YoutubeDL(base | opts)


def test_ytdlp_reads_the_playlist_page(fake_youtube: FakeYouTube) -> None:
    with _ydl(extract_flat="in_playlist") as ydl:
        info = ydl.extract_info(fake_youtube.playlist_url(DEMO_PLAYLIST), download=False)
    entries = list(info["entries"])
    assert info["_type"] == "playlist"
    assert info["title"] == "MediaNest demo playlist"
    assert [e["id"] for e in entries] == [f"{DEMO_PLAYLIST}-{n}" for n in range(1, 5)]
    assert all(e["url"].startswith(fake_youtube.url + "/media/") for e in entries)


def test_ytdlp_downloads_one_item_of_the_playlist(fake_youtube: FakeYouTube, tmp_path: Path) -> None:
    events: list[dict] = []
    with _ydl(paths={"home": str(tmp_path)}, outtmpl="%(title)s [%(id)s].%(ext)s", playlist_items="2",
              progress_hooks=[lambda d: events.append(dict(d))]) as ydl:
        assert ydl.download([fake_youtube.playlist_url(DEMO_PLAYLIST)]) == 0
    files = list(tmp_path.iterdir())
    assert [f.name for f in files] == [f"MediaNest demo playlist (2) [{DEMO_PLAYLIST}-2].mp4"]
    assert files[0].read_bytes() == fake_youtube.clips[1]  # the real clip, byte for byte
    assert files[0].read_bytes()[4:8] == b"ftyp"  # an MP4
    assert events[-1]["status"] == "finished"
    assert fake_youtube.hits == {"nestdemo002": 1}


def test_throttled_transfer_reports_progress(fake_youtube: FakeYouTube, tmp_path: Path) -> None:
    size = len(fake_youtube.clips[0])
    fake_youtube.set_speed(size * 2)  # about half a second
    seen: list[int] = []
    started = time.monotonic()
    with _ydl(paths={"home": str(tmp_path)}, progress_hooks=[lambda d: seen.append(d["downloaded_bytes"])]) as ydl:
        ydl.download([fake_youtube.media_url("nestdemo001")])
    assert time.monotonic() - started >= 0.3
    assert len([s for s in seen if 0 < s < size]) >= 2  # progress moved in steps
    assert seen[-1] == size


@pytest.mark.parametrize("status", [404, 500])
def test_failed_item(fake_youtube: FakeYouTube, tmp_path: Path, status: int) -> None:
    fake_youtube.set_item("nestdemo003", fail=status)
    with pytest.raises(DownloadError, match=f"HTTP Error {status}"), _ydl(paths={"home": str(tmp_path)}) as ydl:
        ydl.download([fake_youtube.media_url("nestdemo003")])
    with _ydl(paths={"home": str(tmp_path)}, ignoreerrors=True) as ydl:
        assert ydl.download([fake_youtube.playlist_url(DEMO_PLAYLIST)]) == 1  # the others still come down
    names = sorted(f.name for f in tmp_path.iterdir() if f.suffix == ".mp4")
    assert [n.split("[")[1] for n in names] == [f"{DEMO_PLAYLIST}-{n}].mp4" for n in (1, 2, 4)]


def test_failure_set_over_http(fake_youtube: FakeYouTube) -> None:
    resp = requests.post(f"{fake_youtube.url}/__control/items/nestdemo001", json={"fail": 404}, timeout=5)
    assert resp.ok
    assert requests.get(fake_youtube.media_url("nestdemo001"), timeout=5).status_code == 404
    assert requests.post(f"{fake_youtube.url}/__control/items/nope", json={}, timeout=5).status_code == 404


def test_stalled_item_ends_in_the_clients_timeout(fake_youtube: FakeYouTube, tmp_path: Path) -> None:
    fake_youtube.set_item("nestdemo001", stall_after=4096)
    started = time.monotonic()
    with pytest.raises(DownloadError, match="timed out"), \
            _ydl(paths={"home": str(tmp_path)}, socket_timeout=0.5) as ydl:
        ydl.download([fake_youtube.media_url("nestdemo001")])
    assert time.monotonic() - started < 20


def test_range_requests(fake_youtube: FakeYouTube) -> None:
    url, total = fake_youtube.media_url("nestdemo001"), len(fake_youtube.clips[0])
    part = requests.get(url, headers={"Range": "bytes=10-19"}, timeout=5)
    assert part.status_code == 206
    assert part.content == fake_youtube.clips[0][10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{total}"
    tail = requests.get(url, headers={"Range": "bytes=-5"}, timeout=5)
    assert tail.content == fake_youtube.clips[0][-5:]
    assert requests.get(url, headers={"Range": f"bytes={total}-"}, timeout=5).status_code == 416
    head = requests.head(url, timeout=5)
    assert head.headers["Content-Length"] == str(total)
    assert head.headers["Accept-Ranges"] == "bytes"


def test_hostile_titles_reach_ytdlp_intact(fake_youtube: FakeYouTube) -> None:
    with _ydl(extract_flat="in_playlist") as ydl:
        feed = ydl.extract_info(fake_youtube.feed_url(HOSTILE_PLAYLIST), download=False)
        single = ydl.extract_info(fake_youtube.watch_url("hostile0004"), download=False)
    titles = [e["title"] for e in feed["entries"]]
    expected = [t.replace("\r\n", "\n") for t in HOSTILE_TITLES.values()]  # XML normalises CRLF
    assert titles == expected
    assert len(HOSTILE_TITLES["hostile0005"]) == 300
    assert single["title"] == "line one\nline two\r\nline three (1)"
    assert "$(id)" in feed["title"]


def test_clip_cache_folder_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MEDIANEST_FAKES_CACHE", str(tmp_path))
    assert clip_media.cache_dir() == tmp_path
    monkeypatch.delenv("MEDIANEST_FAKES_CACHE")
    assert clip_media.cache_dir() == clip_media.REPO_ROOT / ".cache" / "fakes-media"
