"""Scanning a library folder on disk, the way ``/library/sections/{id}/refresh?path=`` makes Plex do.

New video files become items: in Movies a name like ``Title (Year).ext`` that matches the catalog
becomes that film (with its TMDB guid), in TV Shows ``Show/Season 01/Show - S01E02 - Title.ext`` becomes
an episode, anything else is titled after the file (as personal media are). Files yt-dlp is still
writing (``.part``, ``.ytdl``) and hidden files are skipped. Known files are never removed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from fakes.catalog import MOVIES, SHOWS, Show
from fakes.plex import items as build
from fakes.plex.library import Library, fold

VIDEO_EXTENSIONS = {".mp4", ".mkv", ".avi", ".mov", ".webm", ".m4v", ".ts", ".wmv", ".flv", ".mpg"}
EPISODE_RE = re.compile(r"[Ss](\d{1,2})[Ee](\d{1,3})(?:\s*-\s*(?P<title>.+))?$")
TITLE_YEAR_RE = re.compile(r"^(?P<title>.+?)\s*\((?P<year>\d{4})\)")


def probe_duration_ms(path: Path) -> int:
    """Duration from ffprobe when it is installed, else 0 (Plex shows no duration either then)."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return 0
    try:
        out = subprocess.run(
            [ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
            capture_output=True, text=True, timeout=10, check=False,
        ).stdout.strip()
        return int(float(out) * 1000) if out else 0
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return 0


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


def video_files(target: Path) -> list[Path]:
    """Video files at or under ``target``, sorted so items get rating keys in name order."""
    candidates = sorted(target.rglob("*")) if target.is_dir() else [target]
    return [f for f in candidates if f.is_file() and f.suffix.lower() in VIDEO_EXTENSIONS
            and not any(part.startswith(".") for part in f.parts[-2:])]


def scan(library: Library, section_key: str, path: str | None) -> list[dict[str, Any]]:
    """Add items for new files under ``path`` (or the whole section); returns the new items.

    A path outside the section's folders is ignored, as Plex does (the refresh still answers 200).
    """
    section = library.sections[section_key]
    roots = [Path(os.path.realpath(loc["path"])) for loc in section["Location"]]
    targets = roots
    if path is not None:
        target = Path(os.path.realpath(path))
        if not _inside(target, roots) or not target.exists():
            return []
        targets = [target]
    known = library.known_files()
    added: list[dict[str, Any]] = []
    for target in targets:
        for file in video_files(target):
            if str(file) in known:
                continue
            item = _add_file(library, section, roots, file)
            if item is not None:
                added.append(item)
                known.add(str(file))
    return added


def _add_file(library: Library, section: dict[str, Any], roots: list[Path], file: Path) -> dict[str, Any] | None:
    now = int(time.time())
    duration = probe_duration_ms(file)
    if section["type"] == "show":
        return _add_episode(library, roots, file, now, duration)
    match = None
    if section["agent"] != "tv.plex.agents.none":
        m = TITLE_YEAR_RE.match(file.stem) or TITLE_YEAR_RE.match(file.parent.name)
        if m:
            match = next((mv for mv in MOVIES if fold(mv.title) == fold(m["title"]) and mv.year == int(m["year"])),
                         None)
    rk = library.new_key()
    item = build.file_item(rk, section, file, now, duration, match)
    library.items[rk] = item
    return item


def _add_episode(library: Library, roots: list[Path], file: Path, now: int, duration: int) -> dict[str, Any] | None:
    m = EPISODE_RE.search(file.stem)
    if m is None:
        return None
    season_no, episode_no = int(m.group(1)), int(m.group(2))
    root = next(r for r in roots if r in file.parents)
    show_name = file.relative_to(root).parts[0] if len(file.relative_to(root).parts) > 1 else \
        file.stem[: m.start()].rstrip(" -.")
    catalog = next((s for s in SHOWS if fold(s.title) == fold(show_name)), None)
    show = library.find_by_tmdb(catalog.tmdb, "show") if catalog else next(
        (i for i in library.items.values() if i["type"] == "show" and fold(i["title"]) == fold(show_name)), None)
    if show is None:
        source = catalog or Show(0, 0, "", show_name, 0, "", "", (), "", {})
        show = build.show_item(source, library.new_key(), library.sections["2"], now)
        if catalog is None:
            show.pop("Guid")
            show["guid"] = f"local://{show['ratingKey']}"
        library.items[show["ratingKey"]] = show
    season = library.season_for(show, season_no)
    title = (m.group("title") or f"Episode {episode_no}").strip()
    return library.add_episode(show, season, episode_no, title, now, str(file), duration=duration or 2_700_000)
