"""Quality presets end to end: audio extraction, and ffmpeg merging separate video and audio streams."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from functions.downloads.ytdlp import Downloader, Entry
from tests.downloads.conftest import files_in, submit


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def split_streams(tmp_path: Path, fake_youtube) -> Iterator[str]:
    """A video-only and an audio-only file made from a fake clip, served on 127.0.0.1."""
    source = tmp_path / "clip.mp4"
    source.write_bytes(fake_youtube.clips[0])
    serve = tmp_path / "serve"
    serve.mkdir()
    for args, name in ((["-an", "-c:v", "copy"], "v.mp4"), (["-vn", "-c:a", "copy"], "a.m4a")):
        subprocess.run(["ffmpeg", "-v", "error", "-i", str(source), *args, str(serve / name)], check=True, timeout=60)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(serve)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def streams(path: Path) -> list[str]:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "json", str(path)],
                         capture_output=True, check=True, timeout=30).stdout
    return sorted(s["codec_type"] for s in json.loads(out)["streams"])


def test_ffmpeg_merges_separate_video_and_audio(split_streams: str, tmp_path: Path) -> None:
    assert shutil.which("ffmpeg"), "ffmpeg is installed by setup"
    info = {"id": "split1", "title": "Split streams", "extractor": "test", "extractor_key": "Test",
            "webpage_url": split_streams, "formats": [
                {"format_id": "v", "url": f"{split_streams}/v.mp4", "ext": "mp4", "vcodec": "avc1.4d401f",
                 "acodec": "none", "height": 240},
                {"format_id": "a", "url": f"{split_streams}/a.m4a", "ext": "m4a", "vcodec": "none",
                 "acodec": "mp4a.40.2"}]}
    folder, temp = tmp_path / "folder", tmp_path / "temp"
    folder.mkdir()
    seen: list[str] = []
    downloader = Downloader(folder, temp, "720p", ["127.0.0.1"], lambda d: seen.append(d["status"]))
    try:
        result = downloader.download(Entry(3, "split1", "Split streams", None, info))
    finally:
        downloader.close()
    assert result.status == "completed"
    assert result.path == folder / "003 - Split streams [split1].mp4"
    assert streams(result.path) == ["audio", "video"]
    assert files_in(folder) == ["003 - Split streams [split1].mp4"]  # the two parts were merged and removed
    assert seen.count("finished") == 2  # one per downloaded format


def test_audio_preset_keeps_the_sound_only(user, youtube, plex, run_worker, dl_settings) -> None:
    fake = youtube()
    download_id = submit(user, fake.watch_url("nestdemo001"), quality="audio")
    run_worker()
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "completed"
    assert body["error"] == "Audio files stay in the folder: a Plex video library does not show them."
    path = dl_settings.media_root / body["files"][0]["path"]
    assert path.suffix == ".m4a"
    assert streams(path) == ["audio"]
    assert plex.refreshes == []
