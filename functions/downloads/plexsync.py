"""Putting a finished download into Plex: scan only its folder, wait for the items, build the collection.

The section is the one whose folder (`Location`) holds the download. Plex may see the media disk under
another path (a container mounting it elsewhere): when no location holds our path, a location named like
our library folder is taken as the same folder. The collection is found by title in that section before
one is created (never two of the same name), and our items are put in playlist order.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from medianest.clients.plex import PlexClient, Section
from medianest.http import UpstreamError

log = logging.getLogger(__name__)

WAIT_SECONDS = 120.0  # how long Plex may take to show new files before we give up waiting
POLL_SECONDS = 1.0
WATCH_SECONDS = 0.1  # how often the section's `refreshing` flag is read between two listings
TYPE_NUMBERS = {"movie": 1, "show": 2, "season": 3, "episode": 4, "artist": 8, "album": 9, "track": 10, "clip": 12}


class PlexStepFailed(Exception):
    """Plex could not be updated; the message is safe to show."""


@dataclass
class PlexResult:
    collection_key: str | None = None
    rating_keys: dict[int, str] = field(default_factory=dict)  # position -> ratingKey
    note: str | None = None  # something the user should know (not an error)


def locate(sections: list[Section], folder: Path, library_root: Path) -> tuple[Section, PurePosixPath] | None:
    """The section holding `folder`, and the folder's path as Plex sees it."""
    local = folder.resolve()
    best: tuple[int, Section, PurePosixPath] | None = None
    for section in sections:
        for location in section.locations:
            plex_path = PurePosixPath(location)
            real = Path(os.path.realpath(location))
            if local.is_relative_to(real):
                mapped = plex_path / local.relative_to(real).as_posix()
            elif plex_path.name == library_root.name and local.is_relative_to(library_root.resolve()):
                mapped = plex_path / local.relative_to(library_root.resolve()).as_posix()
            else:
                continue
            depth = len(plex_path.parts) + (100 if local.is_relative_to(real) else 0)
            if best is None or depth > best[0]:
                best = (depth, section, mapped)
    return None if best is None else (best[1], best[2])


def publish(client: PlexClient, machine_id: str, folder: Path, library_root: Path, files: dict[int, Path],
            collection: str | None, should_stop: Callable[[], None], wait_seconds: float = WAIT_SECONDS) -> PlexResult:
    """Scan the folder, wait for `files` (position -> local path) to appear, then build the collection."""
    try:
        found = locate(client.sections(), folder, library_root)
        if found is None:
            return PlexResult(note="No Plex library holds the download folder, so Plex was not updated.")
        section, plex_folder = found
        client.refresh_section(section.key, str(plex_folder))
        wanted = {str(plex_folder / path.name): position for position, path in files.items()}
        keys, types = _wait_for(client, section.key, plex_folder, wanted, should_stop, wait_seconds)
        if not keys:
            raise PlexStepFailed("Plex did not show the new files in time; retry to update Plex.")
        result = PlexResult(rating_keys=keys)
        if len(keys) < len(wanted):
            result.note = f"Plex showed {len(keys)} of {len(wanted)} files in time."
        if collection:
            result.collection_key = _collect(client, machine_id, section.key, collection,
                                             [keys[p] for p in sorted(keys)], types)
        return result
    except UpstreamError as exc:
        raise PlexStepFailed(f"The files are downloaded, but Plex could not be updated: {exc.message}") from None


def _wait_for(client: PlexClient, section_key: str, plex_folder: PurePosixPath, wanted: dict[str, int],
              should_stop: Callable[[], None], wait_seconds: float) -> tuple[dict[int, str], dict[str, str]]:
    """Look for the files now, then at growing intervals, and at once when the section's scan is seen to end.

    A listing reads the whole section (every page), so it is not repeated quickly; between two, the
    section's `refreshing` flag (one small request) shows when the scan has finished. A scan that ends
    before the first look, or a server that never sets the flag, only leaves the growing intervals.
    """
    deadline = time.monotonic() + wait_seconds
    pause = POLL_SECONDS / 4  # a scan of one folder is often quick: look early, then less often
    refreshing = False  # the flag as last seen
    while True:
        should_stop()
        seen = {f.file: f for f in client.files_under(section_key, str(plex_folder))}
        keys = {pos: seen[path].rating_key for path, pos in wanted.items() if path in seen}
        types = {seen[path].rating_key: seen[path].type for path in wanted if path in seen}
        if len(keys) == len(wanted) or time.monotonic() >= deadline:
            return keys, types
        next_listing = min(time.monotonic() + pause, deadline)
        pause = min(pause * 2, POLL_SECONDS * 2)
        while (left := next_listing - time.monotonic()) > 0:
            time.sleep(min(WATCH_SECONDS, left))
            should_stop()
            try:
                was_refreshing, refreshing = refreshing, _refreshing(client, section_key)
            except UpstreamError:  # the flag only brings a listing forward; the listings go on as planned
                continue
            if was_refreshing and not refreshing:
                break


def _refreshing(client: PlexClient, section_key: str) -> bool:
    return any(section.refreshing for section in client.sections() if section.key == section_key)


def _collect(client: PlexClient, machine_id: str, section_key: str, title: str, ordered: list[str],
             types: dict[str, str]) -> str:
    """Create or update the collection `title` so that it holds `ordered`, in that order."""
    kinds = {types[k] for k in ordered}
    type_number = TYPE_NUMBERS.get(kinds.pop()) if len(kinds) == 1 else None
    if type_number is None:
        raise PlexStepFailed("Plex indexed these files as different kinds of item, so no collection was made.")
    existing = next((c for c in client.section_collections(section_key) if c.title == title), None)
    if existing is None:
        key = client.create_collection(machine_id, section_key, title, ordered, type_number).rating_key
    else:
        key = existing.rating_key
        members = {item.rating_key for item in client.collection_items(key)}
        missing = [k for k in ordered if k not in members]
        if missing:
            client.add_to_collection(machine_id, key, missing)
    current = [item.rating_key for item in client.collection_items(key)]
    if [k for k in current if k in set(ordered)] != ordered:
        client.sort_collection_custom(key)
        previous: str | None = None
        for rating_key in ordered:
            client.move_in_collection(key, rating_key, previous)
            previous = rating_key
    return key
