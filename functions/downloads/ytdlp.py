"""yt-dlp through its Python API, with options fixed here: nothing a user sends ever becomes an option.

A user chooses a URL (checked against the allowlist), a quality preset (mapped to a format string below)
and a collection name (used for Plex only). There is no exec, netrc, external downloader, cookie, config
file or `write*link` option anywhere, and the output template is ours: `%(mn_stem)s.%(ext)s`, where
`mn_stem` is a safe name our own pre-processing step computes for each item (see `names.item_stem`).
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yt_dlp
from yt_dlp.postprocessor.common import PostProcessor

from functions.downloads.listing import Entry, ExtractFailed, Listing
from functions.downloads.names import ARCHIVE_NAME, MEDIA_EXTENSIONS, UnsafePath, inside, item_stem
from functions.downloads.urls import UrlRefused, check_url, youtube_only

log = logging.getLogger(__name__)

FORMATS = {
    "best": "bv*+ba/b",
    # `?` lets sources that do not say their height (plain files) through
    "1080p": "bv*[height<=?1080]+ba/b[height<=?1080]",
    "720p": "bv*[height<=?720]+ba/b[height<=?720]",
    "480p": "bv*[height<=?480]+ba/b[height<=?480]",
    "audio": "ba/b",
}
SOCKET_TIMEOUT = 20.0
MAX_REDIRECTS = 3


class _Log:
    """Collects yt-dlp's messages into our log (yt-dlp prints nothing itself)."""

    def debug(self, msg: str) -> None:
        log.debug("yt-dlp: %s", msg)

    info = debug

    def warning(self, msg: str) -> None:
        log.info("yt-dlp warning: %s", msg)

    def error(self, msg: str) -> None:
        log.info("yt-dlp error: %s", msg)


def base_options(allowed_hosts: list[str], socket_timeout: float = SOCKET_TIMEOUT) -> dict[str, Any]:
    """What every YoutubeDL we create starts from."""
    options: dict[str, Any] = {
        "quiet": True, "noprogress": True, "no_warnings": True, "no_color": True, "logger": _Log(),
        "cachedir": False, "usenetrc": False, "ignoreerrors": False, "noplaylist": False,
        "socket_timeout": socket_timeout, "retries": 3, "fragment_retries": 3, "extractor_retries": 2,
        "concurrent_fragment_downloads": 1, "overwrites": False, "continuedl": True, "updatetime": False,
        "writeinfojson": False, "writethumbnail": False, "writesubtitles": False, "writeautomaticsub": False,
        "writedescription": False, "writeannotations": False, "getcomments": False,
    }
    if youtube_only(allowed_hosts):
        options["allowed_extractors"] = ["youtube(:.*)?"]
    return options


def _first(entries: Any, limit: int) -> list[Any]:
    if entries is None:
        return []
    if hasattr(entries, "getslice"):  # yt-dlp's paged lists
        return list(entries.getslice(0, limit))
    return list(itertools.islice(iter(entries), limit))


def plain_error(exc: Exception) -> str:
    """A yt-dlp error in words a user can act on (never a traceback)."""
    text = str(exc).removeprefix("ERROR: ").strip()
    if "Unsupported URL" in text or "No suitable extractor" in text:
        return "This address is not a video or playlist MediaNest can read."
    status = re.search(r"HTTP Error (\d{3})", text)
    if status and "unable to download video data" in text:
        return f"The video could not be downloaded: the site answered {status.group(1)}."
    if status and status.group(1) in ("404", "410"):
        return "The video or playlist was not found (it may be private or removed)."
    first = text.splitlines()[0] if text else "yt-dlp could not read this address."
    return first[:300]


def list_url(url: str, allowed_hosts: list[str], limit: int, socket_timeout: float = SOCKET_TIMEOUT) -> Listing:
    """The title and first `limit` entries of a video or playlist, without downloading anything."""
    with yt_dlp.YoutubeDL(base_options(allowed_hosts, socket_timeout)) as ydl:
        try:
            info = ydl.extract_info(url, download=False, process=False)
            for _ in range(MAX_REDIRECTS):
                if not isinstance(info, dict) or info.get("_type") not in ("url", "url_transparent"):
                    break
                # an extractor pointing elsewhere: the new address must be allowed too
                info = ydl.extract_info(check_url(str(info.get("url")), allowed_hosts), download=False,
                                        process=False, ie_key=info.get("ie_key"))
            if not isinstance(info, dict) or info.get("_type") in ("url", "url_transparent"):
                raise ExtractFailed("This address did not lead to a video or playlist.")
            if info.get("_type") in ("playlist", "multi_video"):
                raw = [e for e in _first(info.get("entries"), limit) if isinstance(e, dict)]
                entries = [Entry(n, _entry_id(e), e.get("title"), _number(e.get("duration")), e)
                           for n, e in enumerate(raw, start=1)]
                return Listing(info.get("title"), "playlist", entries, len(entries))
            entry = Entry(1, info.get("id"), info.get("title"), _number(info.get("duration")), info)
            return Listing(info.get("title"), "video", [entry], 1)
        except UrlRefused:
            raise
        except (yt_dlp.utils.DownloadError, yt_dlp.utils.ExtractorError) as exc:
            raise ExtractFailed(plain_error(exc)) from None


def _entry_id(entry: dict[str, Any]) -> str | None:
    value = entry.get("id")
    return str(value) if value not in (None, "") else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


class _NameItem(PostProcessor):
    """Pre-processing step: give the item our safe file name before yt-dlp builds any path."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.position: int | None = None

    def run(self, info: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
        stem = item_stem(self.position, info.get("title"), info.get("id"))
        inside(self.folder / f"{stem}.part", self.folder)  # the name cannot climb out of the folder
        info["mn_stem"] = stem  # a field value: yt-dlp does not read `%` in it as template syntax
        return [], info


@dataclass
class ItemResult:
    status: str  # completed | skipped (already in the folder's archive)
    video_id: str | None
    title: str | None
    path: Path | None


class Downloader:
    """Downloads items one at a time into one folder (partial files in `temp`, moved when complete)."""

    def __init__(self, folder: Path, temp: Path, quality: str, allowed_hosts: list[str],
                 progress_hook: Callable[[dict[str, Any]], None], *, numbered: bool = True,
                 socket_timeout: float = SOCKET_TIMEOUT) -> None:
        self.folder, self.temp, self.allowed_hosts, self.numbered = folder, temp, allowed_hosts, numbered
        options = base_options(allowed_hosts, socket_timeout) | {
            "format": FORMATS[quality], "merge_output_format": "mp4/mkv",
            "paths": {"home": str(folder), "temp": str(temp)},
            "outtmpl": {"default": "%(mn_stem)s.%(ext)s"},
            "download_archive": str(folder / ARCHIVE_NAME),
            "progress_hooks": [progress_hook],
        }
        if quality == "audio":
            options["postprocessors"] = [{"key": "FFmpegExtractAudio", "preferredcodec": "m4a"}]
        self.ydl = yt_dlp.YoutubeDL(options)
        self.namer = _NameItem(folder)
        self.ydl.add_post_processor(self.namer, when="pre_process")

    def close(self) -> None:
        self.ydl.close()

    def download(self, entry: Entry) -> ItemResult:
        """Download one entry; raises DownloadError (the item failed) or DownloadCancelled (stop)."""
        raw = dict(entry.raw)
        if raw.get("_type") in ("url", "url_transparent"):
            check_url(str(raw.get("url") or ""), self.allowed_hosts)
        elif raw.get("_type") not in (None, "video"):
            raise yt_dlp.utils.DownloadError("This playlist entry is not a single video.")
        self.namer.position = entry.position if self.numbered else None  # a lone video needs no number
        info = self.ydl.process_ie_result(raw, download=True) or {}
        video_id, title = info.get("id") or entry.video_id, info.get("title") or entry.title
        downloads = info.get("requested_downloads") or []
        if not downloads:
            return ItemResult("skipped", video_id, title, None)
        path = Path(downloads[0].get("filepath") or downloads[0].get("filename") or "")
        try:
            final = inside(path, self.folder)
            if final.suffix.lstrip(".").lower() not in MEDIA_EXTENSIONS:
                raise UnsafePath(f"unexpected file type {final.suffix!r}")
        except UnsafePath as exc:
            path.unlink(missing_ok=True)
            raise yt_dlp.utils.DownloadError(f"The downloaded file was refused: {exc}") from None
        return ItemResult("completed", video_id, title, final)
