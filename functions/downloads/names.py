"""Safe file and folder names from titles we do not control, and the download folders built from them.

Titles come from YouTube (or whatever page a user pasted): they may hold shell syntax, path separators,
`..`, NUL, newlines, bidirectional overrides, hundreds of characters or names Windows reserves. Nothing
here ever reaches a shell, but the names are also read by Plex, by Samba shares and by people's scripts,
so they are made plain. Every path is checked again after it is built (`inside`).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

# Path separators, characters Windows refuses, and shell syntax that tends to surprise scripts.
_REPLACED = re.compile(r'[/\\:*?"<>|$`;\x00]')
_SPACES = re.compile(r"\s+")
_UNDERSCORES = re.compile(r"_{2,}")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)
# Control, format (bidirectional overrides, zero-width), surrogate, private-use and unassigned characters.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
MAX_NAME_BYTES = 120
INCOMPLETE_FOLDER = ".incomplete"
ARCHIVE_NAME = ".medianest-archive.txt"
VIDEO_EXTENSIONS = frozenset({"mp4", "mkv", "webm", "mov", "m4v"})
MEDIA_EXTENSIONS = VIDEO_EXTENSIONS | {"m4a", "mp3", "opus", "ogg", "aac", "flac", "wav"}


class UnsafePath(Exception):
    """A built path would leave the folder it belongs in."""


def _truncate(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


def safe_name(text: str | None, fallback: str = "untitled", max_bytes: int = MAX_NAME_BYTES) -> str:
    """One path component made from any text: no separators, controls or reserved names, bounded length."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(" " if ch in "\t\n\r\v\f\u2028\u2029\x85" else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    text = _REPLACED.sub("_", text)
    text = _UNDERSCORES.sub("_", _SPACES.sub(" ", text))
    # leading dots hide files (and make `.`/`..`), leading dashes read as options; trailing dots and spaces
    # are dropped by Windows
    text = _truncate(text.strip(" ._-"), max_bytes).strip(" ._-")
    if not text:
        text = fallback
    if _WINDOWS_RESERVED.match(text):
        text = f"_{text}"
    return text


def inside(path: Path, folder: Path) -> Path:
    """`path` resolved, when it stays under `folder` (symbolic links followed); UnsafePath otherwise."""
    resolved, root = path.resolve(), folder.resolve()
    if resolved == root or not resolved.is_relative_to(root):
        raise UnsafePath(f"{path.name!r} would leave its folder")
    return resolved


def library_root(media_root: Path, library_folder: str) -> Path:
    """MEDIA_ROOT/<library folder>: where every download lands."""
    return inside(media_root / safe_name(library_folder, "youtube"), media_root)


def user_component(username: str, user_id: object, name_shared: bool) -> str:
    """A user's folder name: their name, plus a short id when the name had to change or is not unique."""
    name = safe_name(username, "user", 60)
    if name != username or name_shared:
        name = f"{name} ({str(user_id)[:8]})"
    return name


def download_folder(root: Path, user_part: str, title: str) -> Path:
    """<library root>/<user>/<playlist title>, checked to stay under the library root."""
    return inside(root / user_part / safe_name(title, "Videos"), root)


def incomplete_folder(media_root: Path, download_id: object) -> Path:
    """Where a download's partial files live: on the same disk as the library, outside every Plex library."""
    return inside(media_root / INCOMPLETE_FOLDER / str(download_id), media_root)


def item_stem(position: int | None, title: str | None, video_id: str | None) -> str:
    """A file name without extension: `007 - Title [id]` (the id lets a later run find the file again)."""
    vid = safe_name(video_id, "noid", 40)
    prefix = f"{position:03d} - " if position else ""
    return f"{prefix}{safe_name(title, vid)} [{vid}]"


def find_item_file(folder: Path, video_id: str | None) -> Path | None:
    """The finished file of a video in a download folder (by the id in its name), if there is one."""
    if not folder.is_dir():
        return None
    tag = f"[{safe_name(video_id, 'noid', 40)}]."
    for path in sorted(folder.iterdir()):
        stem_tag = path.name.rsplit(".", 1)[0] + "."
        if path.is_file() and stem_tag.endswith(tag) and path.suffix.lstrip(".").lower() in MEDIA_EXTENSIONS:
            return path
    return None


def forget_archived(folder: Path, video_ids: set[str]) -> None:
    """Drop videos from the folder's download archive (lines `<extractor> <id>`) so they are fetched again."""
    archive = folder / ARCHIVE_NAME
    if not video_ids or not archive.is_file():
        return
    lines = archive.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if line.split(" ", 1)[-1] not in video_ids]
    archive.write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
