"""Builders for Plex metadata items (movies, shows, seasons, episodes, files found by a scan).

Shapes follow the captured PMS answers in the contracts: string ``ratingKey``/``key``, epoch-second
``addedAt``/``updatedAt``, millisecond ``duration``, ``Media[].Part[]`` with the file path, tag arrays
of ``{"tag": ...}`` and ``Guid`` entries ``imdb://``/``tmdb://``/``tvdb://``. Private bookkeeping lives in
keys starting with ``_`` and never reaches a client.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from fakes.catalog import GENRE_IDS, Movie, Show

BASE_ADDED = 1_700_000_000  # seed items are added one day apart from here


def plex_guid(kind: str, seed: str) -> str:
    """A stable ``plex://<kind>/<24 hex>`` guid."""
    return f"plex://{kind}/" + hashlib.sha1(f"{kind}:{seed}".encode()).hexdigest()[:24]  # noqa: S324


def section_ref(section: dict[str, Any]) -> dict[str, Any]:
    """The section fields items carry."""
    return {"librarySectionTitle": section["title"], "librarySectionID": int(section["key"]),
            "librarySectionKey": f"/library/sections/{section['key']}"}


def _images(rk: str, ts: int) -> dict[str, str]:
    return {"thumb": f"/library/metadata/{rk}/thumb/{ts}", "art": f"/library/metadata/{rk}/art/{ts}"}


def _tags(values: tuple[str, ...] | list[str], with_ids: bool = False) -> list[dict[str, Any]]:
    if not with_ids:
        return [{"tag": v} for v in values]
    return [{"id": GENRE_IDS.get(v, 1), "filter": f"genre={GENRE_IDS.get(v, 1)}", "tag": v} for v in values]


def media(part_id: int, file: str, duration: int, size: int, *, width: int = 1920,
          height: int = 1080) -> list[dict[str, Any]]:
    """One ``Media`` entry with one ``Part`` for a file."""
    ext = Path(file).suffix.lstrip(".").lower() or "mkv"
    resolution = "1080" if height >= 1080 else "720" if height >= 720 else "sd"
    return [{
        "id": part_id, "duration": duration, "bitrate": 4000 if height >= 720 else 800, "width": width,
        "height": height, "aspectRatio": round(width / height, 2), "audioChannels": 2, "audioCodec": "aac",
        "videoCodec": "h264", "videoResolution": resolution, "container": ext, "videoFrameRate": "24p",
        "Part": [{"id": part_id, "key": f"/library/parts/{part_id}/{BASE_ADDED}/file.{ext}", "duration": duration,
                  "file": file, "size": size, "container": ext}],
    }]


def movie_item(m: Movie, rk: str, section: dict[str, Any], added_at: int, file: str) -> dict[str, Any]:
    """A catalog film as a Plex movie."""
    duration = m.minutes * 60_000
    return {
        "ratingKey": rk, "key": f"/library/metadata/{rk}", "guid": plex_guid("movie", str(m.tmdb)),
        "studio": m.studio or None, "type": "movie", "title": m.title,
        "titleSort": m.title[4:] if m.title.startswith("The ") else None, **section_ref(section),
        "contentRating": m.content_rating, "summary": m.summary, "rating": m.rating,
        "audienceRating": m.rating, "year": m.year, "tagline": m.tagline or None, **_images(rk, added_at),
        "duration": duration, "originallyAvailableAt": m.released, "addedAt": added_at, "updatedAt": added_at,
        "Media": media(int(rk), file, duration, 1_500_000_000 + int(rk)),
        "Genre": _tags(m.genres, with_ids=True), "Country": [{"tag": "United States of America"}],
        "Role": [{"tag": name, "role": ""} for name in m.cast],
        "Guid": [{"id": f"imdb://{m.imdb}"}, {"id": f"tmdb://{m.tmdb}"}],
        "_section": section["key"], "_file": file, "_tmdb": m.tmdb,
    }


def show_item(s: Show, rk: str, section: dict[str, Any], added_at: int) -> dict[str, Any]:
    """A catalog series as a Plex show (counts are filled in when rendered)."""
    return {
        "ratingKey": rk, "key": f"/library/metadata/{rk}/children", "guid": plex_guid("show", str(s.tmdb)),
        "studio": s.network, "type": "show", "title": s.title, **section_ref(section),
        "contentRating": s.content_rating, "summary": s.summary, "index": 1, "rating": s.rating,
        "year": s.year, **_images(rk, added_at), "duration": 3_000_000, "originallyAvailableAt": s.first_aired,
        "addedAt": added_at, "updatedAt": added_at, "Genre": _tags(s.genres, with_ids=True),
        "Role": [{"tag": name, "role": ""} for name in s.cast],
        "Guid": [{"id": f"imdb://{s.imdb}"}, {"id": f"tmdb://{s.tmdb}"}, {"id": f"tvdb://{s.tvdb}"}],
        "_section": section["key"], "_children": [], "_tmdb": s.tmdb,
    }


def season_item(show: dict[str, Any], rk: str, index: int, added_at: int) -> dict[str, Any]:
    """Season ``index`` of a show."""
    return {
        "ratingKey": rk, "key": f"/library/metadata/{rk}/children",
        "parentRatingKey": show["ratingKey"], "parentKey": f"/library/metadata/{show['ratingKey']}",
        "guid": plex_guid("season", f"{show['guid']}:{index}"), "parentGuid": show["guid"], "type": "season",
        "title": f"Season {index}", "parentTitle": show["title"], "summary": "", "index": index,
        "parentIndex": 1, "parentYear": show.get("year"), **section_ref_from(show),
        "thumb": f"/library/metadata/{rk}/thumb/{added_at}", "art": show["art"],
        "parentThumb": show["thumb"], "addedAt": added_at, "updatedAt": added_at,
        "_section": show["_section"], "_children": [],
    }


def section_ref_from(item: dict[str, Any]) -> dict[str, Any]:
    """Copy the section fields from another item."""
    return {k: item[k] for k in ("librarySectionTitle", "librarySectionID", "librarySectionKey")}


def episode_item(show: dict[str, Any], season: dict[str, Any], rk: str, index: int, title: str,
                 added_at: int, file: str, duration: int = 2_700_000) -> dict[str, Any]:
    """Episode ``index`` of a season."""
    return {
        "ratingKey": rk, "key": f"/library/metadata/{rk}", "parentRatingKey": season["ratingKey"],
        "grandparentRatingKey": show["ratingKey"], "guid": plex_guid("episode", f"{season['guid']}:{index}"),
        "parentGuid": season["guid"], "grandparentGuid": show["guid"], "type": "episode", "title": title,
        "grandparentKey": f"/library/metadata/{show['ratingKey']}",
        "parentKey": f"/library/metadata/{season['ratingKey']}", "grandparentTitle": show["title"],
        "parentTitle": season["title"], "contentRating": show.get("contentRating"),
        "summary": f"{show['title']}, season {season['index']}, episode {index}.", "index": index,
        "parentIndex": season["index"], "year": show.get("year"), **section_ref_from(show),
        "thumb": f"/library/metadata/{rk}/thumb/{added_at}", "art": show["art"],
        "parentThumb": season["thumb"], "grandparentThumb": show["thumb"], "grandparentArt": show["art"],
        "duration": duration, "addedAt": added_at, "updatedAt": added_at,
        "Media": media(int(rk), file, duration, 700_000_000 + int(rk), width=1280, height=720),
        "_section": show["_section"], "_file": file,
    }


def file_item(rk: str, section: dict[str, Any], file: Path, added_at: int, duration: int,
              match: Movie | None) -> dict[str, Any]:
    """A video file a scan found: a catalog film when its name matches one, else a bare item
    titled after the file (what Plex's video-files scanner does for personal media)."""
    if match is not None:
        item = movie_item(match, rk, section, added_at, str(file))
    else:
        stem = file.stem
        item = {
            "ratingKey": rk, "key": f"/library/metadata/{rk}", "guid": f"local://{rk}", "type": "movie",
            "title": stem, "titleSort": stem, **section_ref(section), "summary": "", **_images(rk, added_at),
            "duration": duration, "addedAt": added_at, "updatedAt": added_at,
            "_section": section["key"], "_file": str(file),
        }
    item["Media"] = media(int(rk), str(file), duration, file.stat().st_size if file.exists() else 0,
                          width=320 if match is None else 1920, height=240 if match is None else 1080)
    item["duration"] = duration or item["duration"]
    return item
