"""Videos and playlists of the YouTube fake, and the pages yt-dlp's generic extractor reads.

What real yt-dlp makes of them (checked against yt-dlp 2026.10.26):

* ``/watch/<id>``: one ``<video>`` plus ``og:title`` -> a video with id ``<id>-1`` and title
  ``"<title> (1)"`` (newlines in the title survive, as ``&#10;`` in the attribute).
* ``/playlist/<id>``: several ``<video>`` tags -> a playlist titled by ``og:title``, entries
  ``<playlist id>-<n>`` titled ``"<playlist title> (<n>)"``.
* ``/feed/<id>.xml``: RSS with ``<enclosure>`` items -> a playlist whose entries keep each video's own
  title (the way to get hostile titles per entry); with ``extract_flat`` the entries are url stubs.
* ``/media/<id>.mp4``: the file itself -> a video with id and title ``<id>``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

HOSTILE_TITLES = {
    "hostile0001": "$(id)",
    "hostile0002": "a; rm -rf ~; echo pwned",
    "hostile0003": "../../etc/passwd",
    "hostile0004": "line one\nline two\r\nline three",
    "hostile0005": ("A very long title " * 17)[:300],
    "hostile0006": "\u202egpj.exe \u05e9\u05dc\u05d5\u05dd \u0639\u0627\u0644\u0645",
    "hostile0007": "\U0001f3ac\U0001f525 Emoji title \U0001f47e",
    "hostile0008": "<script>alert(1)</script> & \"quotes\" 'single'",
    "hostile0009": "back\\slash %2F%2e%2e /abs/path",
}
DEMO_PLAYLIST = "PLnestdemo"
HOSTILE_PLAYLIST = "PLhostile"


@dataclass
class Video:
    """One video: which cached clip it serves and its title."""

    id: str
    title: str
    clip: int = 0


@dataclass
class Playlist:
    """An ordered list of video ids."""

    id: str
    title: str
    videos: list[str] = field(default_factory=list)


def seed() -> tuple[dict[str, Video], dict[str, Playlist]]:
    """The initial videos and playlists."""
    videos = {f"nestdemo00{n}": Video(f"nestdemo00{n}", title, n - 1) for n, title in enumerate(
        ("Test pattern, 440 Hz", "SMPTE bars, 550 Hz", "Moving pattern, 660 Hz", "RGB pattern, 880 Hz"), start=1)}
    for n, (vid, title) in enumerate(HOSTILE_TITLES.items()):
        videos[vid] = Video(vid, title, n % 4)
    playlists = {
        DEMO_PLAYLIST: Playlist(DEMO_PLAYLIST, "MediaNest demo playlist", [v for v in videos if v.startswith("nest")]),
        HOSTILE_PLAYLIST: Playlist(HOSTILE_PLAYLIST, "Hostile $(id); ../titles \U0001f3ac", list(HOSTILE_TITLES)),
    }
    return videos, playlists


def _attr(text: str) -> str:
    return html.escape(text, quote=True).replace("\r", "&#13;").replace("\n", "&#10;")


def _page(title: str, body: str) -> str:
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta property="og:title" content="{_attr(title)}">'
            f"<title>{html.escape(title)}</title></head><body>\n{body}\n</body></html>\n")


def watch_page(video: Video) -> str:
    """A single-video page."""
    return _page(video.title, f'<h1>{html.escape(video.title)}</h1>\n'
                              f'<video controls src="/media/{video.id}.mp4" width="320" height="240"></video>')


def playlist_page(playlist: Playlist, videos: dict[str, Video]) -> str:
    """A playlist page: one ``<video>`` per entry, in order."""
    rows = "\n".join(f'<figure><video controls src="/media/{vid}.mp4"></video>'
                     f"<figcaption>{html.escape(videos[vid].title)}</figcaption></figure>"
                     for vid in playlist.videos if vid in videos)
    return _page(playlist.title, f"<h1>{html.escape(playlist.title)}</h1>\n{rows}")


def feed(playlist: Playlist, videos: dict[str, Video], base: str, sizes: dict[str, int]) -> str:
    """The playlist as RSS 2.0 with one enclosure per video."""
    items = "".join(
        f"<item><title>{html.escape(videos[v].title)}</title><guid isPermaLink=\"false\">{v}</guid>"
        f"<link>{base}/watch/{v}</link><enclosure url=\"{base}/media/{v}.mp4\" type=\"video/mp4\" "
        f"length=\"{sizes.get(v, 0)}\"/></item>"
        for v in playlist.videos if v in videos)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{html.escape(playlist.title)}</title><link>{base}/playlist/{playlist.id}</link>"
            f"<description>Fake YouTube playlist</description>{items}</channel></rss>\n")


def index_page(videos: dict[str, Video], playlists: dict[str, Playlist]) -> str:
    """A human-readable list of what the fake serves (links only: yt-dlp does not read these)."""
    lists = "".join(f'<li><a href="/playlist/{p.id}">{html.escape(p.title)}</a> '
                    f'(<a href="/feed/{p.id}.xml">RSS</a>)</li>' for p in playlists.values())
    vids = "".join(f'<li><a href="/watch/{v.id}">{html.escape(v.title)}</a></li>' for v in videos.values())
    return _page("Fake YouTube", f"<h2>Playlists</h2><ul>{lists}</ul><h2>Videos</h2><ul>{vids}</ul>")
