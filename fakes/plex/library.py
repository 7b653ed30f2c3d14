"""The Plex fake's library: sections, items, collections, and what lists and searches return.

Sections: 1 Movies (``<media_root>/movies``), 2 TV Shows (``<media_root>/tv``), 3 YouTube
(``<media_root>/youtube``, an "Other videos" library: type ``movie``, no agent). Rating keys of seed items
are fixed (films 101-116, shows 201-203, seasons and episodes from 301), new items count from 2000 and
collections from 5000, so tests can name them.
"""

from __future__ import annotations

import itertools
import time
import unicodedata
import uuid
from pathlib import Path
from typing import Any

from fakes.catalog import MOVIES, SHOWS, Movie, Show
from fakes.plex import items as build

TYPE_NUMBERS = {"movie": 1, "show": 2, "season": 3, "episode": 4, "collection": 18}
COLLECTION_SORTS = {"0": "release", "1": "alpha", "2": "custom"}


def fold(text: str) -> str:
    """Case- and accent-insensitive form for searching ("amelie" finds "Amélie")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def sort_title(item: dict[str, Any]) -> str:
    """What ``titleSort`` sorting compares."""
    return fold(item.get("titleSort") or item["title"])


class Library:
    """All mutable Plex state; the caller holds the fake's lock."""

    def __init__(self, media_root: Path) -> None:
        self.media_root = media_root
        self.sections: dict[str, dict[str, Any]] = {}
        self.items: dict[str, dict[str, Any]] = {}
        self._keys = itertools.count(2000)
        self._collection_keys = itertools.count(5000)
        self._seed()

    # -- seed ------------------------------------------------------------------------------------
    def _section(self, key: str, title: str, kind: str, agent: str, scanner: str, folder: str) -> None:
        path = self.media_root / folder
        path.mkdir(parents=True, exist_ok=True)
        self.sections[key] = {
            "allowSync": True, "art": f"/:/resources/{kind}-fanart.jpg", "composite":
            f"/library/sections/{key}/composite/{build.BASE_ADDED}", "filters": True, "refreshing": False,
            "thumb": f"/:/resources/{kind}.png", "key": key, "type": kind, "title": title, "agent": agent,
            "scanner": scanner, "language": "en-US" if agent != "tv.plex.agents.none" else "xn",
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"medianest-fake-section-{key}")),
            "updatedAt": build.BASE_ADDED, "createdAt": build.BASE_ADDED - 86_400 * 365,
            "scannedAt": build.BASE_ADDED, "content": True, "directory": True, "contentChangedAt": 1000,
            "hidden": 0, "Location": [{"id": int(key), "path": str(path)}],
        }

    def _seed(self) -> None:
        self._section("1", "Movies", "movie", "tv.plex.agents.movie", "Plex Movie", "movies")
        self._section("2", "TV Shows", "show", "tv.plex.agents.series", "Plex TV Series", "tv")
        self._section("3", "YouTube", "movie", "tv.plex.agents.none", "Plex Video Files Scanner", "youtube")
        day = 86_400
        for n, movie in enumerate(m for m in MOVIES if m.rating_key):
            self.add_movie(movie, movie.rating_key, build.BASE_ADDED + n * day)
        keys = itertools.count(301)
        for n, show in enumerate(s for s in SHOWS if s.rating_key):
            added = build.BASE_ADDED + (20 + n) * day
            self.add_show(show, show.rating_key, show.in_plex, added, keys)

    def add_movie(self, movie: Movie, rk: str | None = None, added_at: int | None = None) -> dict[str, Any]:
        """Put a catalog film in Movies (files of seed items are not on disk; Plex keeps them anyway)."""
        rk = rk or str(next(self._keys))
        folder = self.media_root / "movies" / f"{movie.title} ({movie.year})"
        item = build.movie_item(movie, rk, self.sections["1"], added_at or int(time.time()),
                                str(folder / f"{movie.title} ({movie.year}).mkv"))
        self.items[rk] = item
        return item

    def add_show(self, show: Show, rk: str | None, seasons: dict[int, tuple[str, ...]],
                 added_at: int | None = None, keys: Any = None) -> dict[str, Any]:
        """Put a catalog series (or more seasons of it) in TV Shows."""
        keys = keys or self._keys
        added_at = added_at or int(time.time())
        existing = self.find_by_tmdb(show.tmdb, "show")
        item = existing or build.show_item(show, rk or str(next(keys)), self.sections["2"], added_at)
        self.items[item["ratingKey"]] = item
        for index, titles in sorted(seasons.items()):
            season = self._season(item, index, added_at, keys)
            have = {self.items[c]["index"] for c in season["_children"]}
            for ep_index, title in enumerate(titles, start=1):
                if ep_index in have:
                    continue
                file = (self.media_root / "tv" / show.title / f"Season {index:02d}" /
                        f"{show.title} - S{index:02d}E{ep_index:02d} - {title}.mkv")
                self.add_episode(item, season, ep_index, title, added_at, str(file), rk=str(next(keys)))
        return item

    def _season(self, show: dict[str, Any], index: int, added_at: int, keys: Any) -> dict[str, Any]:
        for child in show["_children"]:
            if self.items[child]["index"] == index:
                return self.items[child]
        season = build.season_item(show, str(next(keys)), index, added_at)
        self.items[season["ratingKey"]] = season
        show["_children"].append(season["ratingKey"])
        return season

    def add_episode(self, show: dict[str, Any], season: dict[str, Any], index: int, title: str,
                    added_at: int, file: str, rk: str | None = None, duration: int = 2_700_000) -> dict[str, Any]:
        """Add one episode to a season."""
        ep = build.episode_item(show, season, rk or str(next(self._keys)), index, title, added_at, file, duration)
        self.items[ep["ratingKey"]] = ep
        season["_children"].append(ep["ratingKey"])
        season["updatedAt"] = max(season["updatedAt"], added_at)
        return ep

    def season_for(self, show: dict[str, Any], index: int) -> dict[str, Any]:
        """Season ``index`` of ``show``, created when missing."""
        return self._season(show, index, int(time.time()), self._keys)

    def new_key(self) -> str:
        """A fresh rating key."""
        return str(next(self._keys))

    # -- queries ---------------------------------------------------------------------------------
    def find_by_tmdb(self, tmdb: int, kind: str) -> dict[str, Any] | None:
        """The item of ``kind`` for a TMDB id."""
        return next((i for i in self.items.values() if i.get("_tmdb") == tmdb and i["type"] == kind), None)

    def known_files(self) -> set[str]:
        """Every file path the library already has."""
        return {i["_file"] for i in self.items.values() if i.get("_file")}

    def view(self, item: dict[str, Any]) -> dict[str, Any]:
        """An item with its derived counts filled in."""
        out = dict(item)
        if item["type"] == "show":
            seasons = [self.items[c] for c in item["_children"]]
            out["childCount"] = len(seasons)
            out["leafCount"] = sum(len(s["_children"]) for s in seasons)
            out["viewedLeafCount"] = 0
        elif item["type"] == "season":
            out["leafCount"] = len(item["_children"])
            out["viewedLeafCount"] = 0
        elif item["type"] == "collection":
            members = [self.items[m] for m in item["_members"] if m in self.items]
            years = [m["year"] for m in members if m.get("year")]
            out["childCount"] = str(len(members))  # a string, as captured from a real server
            out["maxYear"] = str(max(years)) if years else None
            out["minYear"] = str(min(years)) if years else None
        return out

    def section_items(self, key: str, type_number: int | None) -> list[dict[str, Any]]:
        """Items of a section: its top-level kind by default, or seasons/episodes/collections by type."""
        section = self.sections[key]
        default = TYPE_NUMBERS[section["type"]]
        wanted = {v: k for k, v in TYPE_NUMBERS.items()}.get(type_number or default)
        return [self.view(i) for i in self.items.values() if i["_section"] == key and i["type"] == wanted]

    def children(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        """Seasons of a show, episodes of a season, members of a collection (in collection order)."""
        if item["type"] == "collection":
            return [self.view(self.items[m]) for m in self.collection_order(item)]
        kids = [self.items[c] for c in item.get("_children", [])]
        return [self.view(k) for k in sorted(kids, key=lambda k: k.get("index", 0))]

    def all_leaves(self, show: dict[str, Any]) -> list[dict[str, Any]]:
        """Every episode of a show, season by season."""
        return [ep for season in self.children(show) for ep in self.children(self.items[season["ratingKey"]])]

    def recently_added(self, section: str | None = None, type_number: int | None = None) -> list[dict[str, Any]]:
        """Films and seasons, newest first (TV shows up as seasons, as on a real server)."""
        out = []
        for item in self.items.values():
            if section is not None and item["_section"] != section:
                continue
            if item["type"] not in ("movie", "season"):
                continue
            if type_number is None or TYPE_NUMBERS[item["type"]] == type_number:
                out.append(self.view(item))
        return sorted(out, key=lambda i: (i["updatedAt"] if i["type"] == "season" else i["addedAt"]), reverse=True)

    def search(self, query: str, section: str | None) -> dict[str, list[dict[str, Any]]]:
        """Matches by kind (title contains the query; actors by name)."""
        q = fold(query)
        found: dict[str, list[dict[str, Any]]] = {"movie": [], "show": [], "episode": [], "collection": [], "actor": []}
        actors: dict[str, int] = {}
        for item in self.items.values():
            if section is not None and item["_section"] != section:
                continue
            if item["type"] in found and q in fold(item["title"]):
                found[item["type"]].append(self.view(item))
            for role in item.get("Role", []):
                if q in fold(role["tag"]):
                    actors[role["tag"]] = actors.get(role["tag"], 0) + 1
        found["actor"] = [{"tag": name, "id": 9000 + n, "filter": f"actor={9000 + n}", "count": count}
                          for n, (name, count) in enumerate(sorted(actors.items()))]
        return found

    # -- collections -----------------------------------------------------------------------------
    def create_collection(self, section: str, title: str, subtype: str, members: list[str]) -> dict[str, Any]:
        """A regular collection holding ``members``."""
        rk = str(next(self._collection_keys))
        now = int(time.time())
        item = {
            "ratingKey": rk, "key": f"/library/collections/{rk}/children",
            "guid": f"collection://{uuid.uuid5(uuid.NAMESPACE_URL, f'medianest-fake-collection-{rk}')}",
            "type": "collection", "title": title, **build.section_ref(self.sections[section]),
            "subtype": subtype, "summary": "", "index": int(rk), "smart": False, "collectionSort": 0,
            "collectionMode": -1, "thumb": f"/library/collections/{rk}/composite/{now}",
            "addedAt": now, "updatedAt": now, "_section": section, "_members": [],
        }
        self.items[rk] = item
        self.add_to_collection(item, members)
        return item

    def add_to_collection(self, collection: dict[str, Any], members: list[str]) -> None:
        """Append members not already in; tag each item with the collection, as Plex does."""
        for rk in members:
            if rk in collection["_members"]:
                continue
            collection["_members"].append(rk)
            tags = self.items[rk].setdefault("Collection", [])
            if all(t["tag"] != collection["title"] for t in tags):
                tags.append({"tag": collection["title"]})
        collection["updatedAt"] = int(time.time())

    def remove_from_collection(self, collection: dict[str, Any], rk: str) -> None:
        """Take one item out of a collection."""
        collection["_members"].remove(rk)
        item = self.items.get(rk)
        if item is not None:
            item["Collection"] = [t for t in item.get("Collection", []) if t["tag"] != collection["title"]]

    def move_in_collection(self, collection: dict[str, Any], rk: str, after: str | None) -> None:
        """Custom order: put ``rk`` right after ``after`` (first when ``after`` is None)."""
        members = collection["_members"]
        members.remove(rk)
        members.insert(0 if after is None else members.index(after) + 1, rk)

    def collection_order(self, collection: dict[str, Any]) -> list[str]:
        """Members in the order the collection's sort setting gives (release date by default)."""
        members = [m for m in collection["_members"] if m in self.items]
        sort = COLLECTION_SORTS.get(str(collection.get("collectionSort", 0)), "release")
        if sort == "custom":
            return members
        if sort == "alpha":
            return sorted(members, key=lambda m: sort_title(self.items[m]))
        return sorted(members, key=lambda m: (self.items[m].get("originallyAvailableAt") or "9999",
                                              sort_title(self.items[m])))

    def delete_collection(self, collection: dict[str, Any]) -> None:
        """Remove a collection and its tags."""
        for rk in list(collection["_members"]):
            self.remove_from_collection(collection, rk)
        del self.items[collection["ratingKey"]]
