"""A fake Plex Media Server: library browsing, search, images, collections and folder scans.

Every route but ``/identity`` needs a token (``X-Plex-Token`` header or query): the owner's token or a
friend's server access token from :mod:`fakes.accounts` (401 otherwise). Scans, collection edits,
``/library`` and prefs are for the owner only (403 for friends). Answers are XML unless
``Accept: application/json``. See :mod:`fakes.plex.library` for the sections and fixed rating keys.

Control endpoints (besides those in :mod:`fakes.base`):

* ``POST /__control/scan-delay`` ``{"seconds": 0.2}`` — how long a refresh takes to add new files.
* ``GET  /__control/refreshes`` — every refresh request so far (section, path, items it added).
* ``POST /__control/items`` ``{"type": "movie"|"tv", "tmdb": 438631}`` — put a catalog title in Plex now.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, g, jsonify, request

from fakes import accounts as acc
from fakes.base import FakeService
from fakes.catalog import movie_by_tmdb, show_by_tmdb
from fakes.plex.collections import edit_collection, register_collections
from fakes.plex.image_routes import int_arg, register_images
from fakes.plex.library import TYPE_NUMBERS, Library, fold, sort_title
from fakes.plex.render import FORBIDDEN_HTML, UNAUTHORIZED_HTML, container, paged
from fakes.plex.scanner import scan

VERSION = "1.41.3.9314-a0bfb8370"
SORT_FIELDS = {"titleSort", "title", "addedAt", "updatedAt", "originallyAvailableAt", "year", "rating",
               "duration", "lastViewedAt", "viewCount"}
NOT_FILTERS = {"type", "sort", "includeGuids", "includeMeta", "includeCollections", "includeExternalMedia",
               "includeAdvanced", "checkFiles", "X-Plex-Token", "X-Plex-Container-Start", "X-Plex-Container-Size"}


def _token() -> str | None:
    return request.headers.get("X-Plex-Token") or request.args.get("X-Plex-Token")


def _owner_only() -> bool:
    path = request.path
    return (request.method in ("POST", "PUT", "DELETE") or path == "/library" or path.endswith("/refresh")
            or path.endswith("/prefs"))


class FakePlex(FakeService):
    """Plex Media Server with the catalog of :mod:`fakes.catalog` and real folder scans."""

    name = "plex"

    def __init__(self, media_root: str | Path | None = None, scan_delay: float = 0.5) -> None:
        self.media_root = Path(media_root or tempfile.mkdtemp(prefix="fake-plex-media-")).resolve()
        self.scan_delay = scan_delay
        self.machine_identifier = acc.PLEX_MACHINE_ID
        self._timers: list[threading.Timer] = []
        super().__init__()

    def reset_state(self) -> None:
        """Seed library, no pending scans (files on disk stay; they are the test's business)."""
        for timer in getattr(self, "_timers", []):
            timer.cancel()
        self._timers = []
        self.library = Library(self.media_root)
        self.refreshes: list[dict[str, Any]] = []

    def describe(self) -> dict[str, Any]:
        """URL, machine id, media folders and the owner's token."""
        return {"url": self.url, "machineIdentifier": self.machine_identifier, "media_root": str(self.media_root),
                "owner_token": acc.OWNER_TOKEN,
                "sections": {k: s["Location"][0]["path"] for k, s in self.library.sections.items()}}

    # -- Python control API ----------------------------------------------------------------------
    def refresh(self, section_key: str, path: str | None = None) -> None:
        """Start a scan as the refresh endpoint does (new items appear after ``scan_delay``)."""
        entry = {"section": section_key, "path": path, "at": time.time(), "added": [], "done": False}
        with self.lock:
            self.refreshes.append(entry)
            self.library.sections[section_key]["refreshing"] = True
        timer = threading.Timer(self.scan_delay, self._run_scan, args=(section_key, path, entry))
        timer.daemon = True
        self._timers.append(timer)
        timer.start()

    def _run_scan(self, section_key: str, path: str | None, entry: dict[str, Any]) -> None:
        with self.lock:
            if entry not in self.refreshes:  # reset while waiting
                return
            added = scan(self.library, section_key, path)
            section = self.library.sections[section_key]
            section["refreshing"] = False
            section["scannedAt"] = int(time.time())
            entry["added"] = [i["ratingKey"] for i in added]
            entry["done"] = True

    def wait_for_scans(self, timeout: float = 10.0) -> None:
        """Block until every scan started so far has finished."""
        deadline = time.monotonic() + timeout
        for timer in list(self._timers):
            timer.join(max(0.0, deadline - time.monotonic()))

    def add_from_catalog(self, media_type: str, tmdb: int) -> str | None:
        """Put a catalog title in Plex (as if its download finished); returns its rating key."""
        with self.lock:
            if media_type == "movie":
                movie = movie_by_tmdb(tmdb)
                if movie is None:
                    return None
                found = self.library.find_by_tmdb(tmdb, "movie")
                return (found or self.library.add_movie(movie))["ratingKey"]
            show = show_by_tmdb(tmdb)
            if show is None:
                return None
            seasons = show.in_plex or {1: tuple(f"Episode {n}" for n in range(1, 4))}
            return self.library.add_show(show, None, seasons)["ratingKey"]

    # -- routes ----------------------------------------------------------------------------------
    def build_app(self, app: Flask) -> None:
        """PMS routes."""
        app.before_request(self._check_token)
        rule = app.add_url_rule
        rule("/identity", view_func=self._identity)
        rule("/", view_func=self._root)
        rule("/library", view_func=self._library_root)
        rule("/library/sections", view_func=self._sections, strict_slashes=False)
        rule("/library/sections/<key>", view_func=self._section)
        rule("/library/sections/<key>/all", view_func=self._section_all, methods=["GET", "PUT"])
        rule("/library/sections/<key>/recentlyAdded", view_func=self._section_recent)
        rule("/library/sections/<key>/refresh", view_func=self._refresh, methods=["GET", "POST", "DELETE"])
        rule("/library/recentlyAdded", view_func=self._recently_added)
        rule("/hubs/search", view_func=self._hub_search, strict_slashes=False)
        rule("/library/metadata/<keys>", view_func=self._metadata)
        rule("/library/metadata/<rk>/children", view_func=self._children)
        rule("/library/metadata/<rk>/allLeaves", view_func=self._all_leaves)
        rule("/library/metadata/<rk>/refresh", view_func=lambda rk: Response(status=200), methods=["PUT"])
        register_images(app, self)
        register_collections(app, self)
        self._add_plex_controls(app)

    def _check_token(self) -> Response | None:
        if request.path == "/identity" or request.path.startswith("/__control/"):
            return None
        account = acc.account_by_server_token(_token())
        if account is None:
            return Response(UNAUTHORIZED_HTML, status=401, content_type="text/html")
        g.account = account
        if _owner_only() and account.role != "owner":
            return Response(FORBIDDEN_HTML, status=403, content_type="text/html")
        return None

    def _identity(self) -> Response:
        return container({"size": 0, "apiVersion": "1.1.1", "claimed": True,
                          "machineIdentifier": self.machine_identifier, "version": VERSION})

    def _root(self) -> Response:
        return container({"size": 0, "allowCameraUpload": False, "allowSync": True,
                          "friendlyName": acc.PLEX_SERVER_NAME,
                          "machineIdentifier": self.machine_identifier, "myPlex": True,
                          "myPlexUsername": acc.OWNER.email, "platform": "Linux", "platformVersion": "6.1.0",
                          "transcoderVideo": True, "transcoderAudio": True, "updatedAt": int(time.time()),
                          "version": VERSION})

    def _library_root(self) -> Response:
        dirs = [{"key": k, "title": t} for k, t in (("sections", "Library Sections"),
                                                      ("recentlyAdded", "Recently Added Content"),
                                                      ("onDeck", "On Deck Content"))]
        return container({"size": len(dirs), "allowSync": False, "art": "/:/resources/library-art.png",
                          "content": "", "identifier": "com.plexapp.plugins.library", "title1": "Plex Library"},
                         {"Directory": dirs})

    def _section_or_404(self, key: str) -> dict[str, Any]:
        section = self.library.sections.get(key)
        if section is None:
            abort(404)
        return section

    def _sections(self) -> Response:
        with self.lock:
            sections = [dict(s) for s in self.library.sections.values()]
        return container({"size": len(sections), "allowSync": False, "title1": "Plex Library"},
                         {"Directory": sections})

    def _section(self, key: str) -> Response:
        if key == "all":
            return self._sections()
        with self.lock:
            section = self._section_or_404(key)
            dirs = [{"key": k, "title": t} for k, t in (("all", f"All {section['title']}"),
                                                          ("recentlyAdded", "Recently Added"),
                                                          ("collections", "Collections"))]
            return container({"size": len(dirs), "librarySectionID": int(key), "title1": section["title"],
                              "viewGroup": "secondary"}, {"Directory": dirs})

    def _container_for(self, section: dict[str, Any], title2: str) -> dict[str, Any]:
        return {"allowSync": True, "art": section["art"], "identifier": "com.plexapp.plugins.library",
                "librarySectionID": int(section["key"]), "librarySectionTitle": section["title"],
                "librarySectionUUID": section["uuid"], "mediaTagPrefix": "/system/bundle/media/flags/",
                "mediaTagVersion": 1700000000, "thumb": section["thumb"], "title1": section["title"],
                "title2": title2, "viewGroup": section["type"], "viewMode": 65592}

    def _section_all(self, key: str) -> Response:
        if request.method == "PUT":
            return edit_collection(self, key)
        type_number = int_arg("type")
        if type_number is not None and type_number not in TYPE_NUMBERS.values():
            abort(400)
        sort = request.args.get("sort", "titleSort")
        field, _, direction = sort.partition(":")
        if field not in SORT_FIELDS or direction not in ("", "asc", "desc"):
            abort(400)
        include_guids = request.args.get("includeGuids") == "1"
        with self.lock:
            section = self._section_or_404(key)
            items = self.library.section_items(key, type_number)
            items = [i for i in items if self._matches_filters(i)]
            if field in ("titleSort", "title"):
                items.sort(key=sort_title, reverse=direction == "desc")
            else:
                items.sort(key=lambda i: (i.get(field) is None, i.get(field) or 0), reverse=direction == "desc")
            listed = [self._list_view(i, include_guids) for i in items]
            return paged(self._container_for(section, "All"), "Metadata", listed)

    def _matches_filters(self, item: dict[str, Any]) -> bool:
        for name, value in request.args.items():
            if name in NOT_FILTERS:
                continue
            if name == "year" and str(item.get("year")) != value:
                return False
            if name == "genre" and not any(value in (str(gn.get("id")), gn["tag"]) for gn in item.get("Genre", [])):
                return False
            if name == "title" and fold(value) not in fold(item["title"]):
                return False
            if name == "collection" and not any(value == c["tag"] for c in item.get("Collection", [])):
                return False
            if name in ("studio", "contentRating") and item.get(name) != value:
                return False
        return True

    @staticmethod
    def _list_view(item: dict[str, Any], include_guids: bool) -> dict[str, Any]:
        # Section listings carry the section on the container, and Guid only with includeGuids=1.
        skip = {"librarySectionTitle", "librarySectionID", "librarySectionKey", "Role"}
        if not include_guids:
            skip.add("Guid")
        return {k: v for k, v in item.items() if k not in skip}

    def _section_recent(self, key: str) -> Response:
        with self.lock:
            section = self._section_or_404(key)
            items = self.library.recently_added(section=key, type_number=int_arg("type"))
            return paged(self._container_for(section, "Recently Added"), "Metadata", items)

    def _recently_added(self) -> Response:
        section = request.args.get("sectionID")
        with self.lock:
            if section is not None and section not in self.library.sections:
                abort(404)
            items = self.library.recently_added(section=section, type_number=int_arg("type"))
            return paged({"allowSync": False, "identifier": "com.plexapp.plugins.library",
                          "mixedParents": True, "title1": "Recently Added"}, "Metadata", items)

    def _refresh(self, key: str) -> Response:
        keys = list(self.library.sections) if key == "all" else [key]
        if key != "all":
            self._section_or_404(key)
        if request.method == "DELETE":
            return Response(status=200)
        path = request.args.get("path")
        for k in keys:
            self.refresh(k, path)
        return Response(status=200)

    def _hub_search(self) -> Response:
        query = request.args.get("query")
        if not query:
            abort(400)
        limit = int_arg("limit") or 3
        section = request.args.get("sectionId")
        with self.lock:
            if section is not None and section not in self.library.sections:
                abort(404)
            found = self.library.search(query, section)
        hubs = []
        for kind, title in (("movie", "Movies"), ("show", "Shows"), ("episode", "Episodes"),
                            ("collection", "Collections"), ("actor", "Actors")):
            matches = found[kind]
            hub: dict[str, Any] = {"title": title, "type": kind, "hubIdentifier": kind, "context": "",
                                   "size": min(len(matches), limit), "more": len(matches) > limit,
                                   "style": "shelf"}
            hub["Directory" if kind == "actor" else "Metadata"] = matches[:limit]
            hubs.append(hub)
        return container({"size": len(hubs)}, {"Hub": hubs})

    def _item_or_404(self, rk: str) -> dict[str, Any]:
        item = self.library.items.get(rk)
        if item is None:
            abort(404)
        return item

    def _metadata_container(self, item: dict[str, Any]) -> dict[str, Any]:
        section = self.library.sections[item["_section"]]
        return {"allowSync": True, "identifier": "com.plexapp.plugins.library",
                "librarySectionID": int(section["key"]), "librarySectionTitle": section["title"],
                "librarySectionUUID": section["uuid"], "mediaTagPrefix": "/system/bundle/media/flags/",
                "mediaTagVersion": 1700000000}

    def _metadata(self, keys: str) -> Response:
        with self.lock:
            found = [self.library.view(self._item_or_404(k)) for k in keys.split(",")]
            return container(self._metadata_container(found[0]) | {"size": len(found)}, {"Metadata": found})

    def _children(self, rk: str) -> Response:
        with self.lock:
            item = self._item_or_404(rk)
            kids = self.library.children(item) if item["type"] in ("show", "season", "collection") else []
            attrs = self._metadata_container(item) | {"key": rk, "parentTitle": item["title"],
                                                      "title1": item["title"], "viewGroup": "season"}
            return paged(attrs, "Metadata", kids)

    def _all_leaves(self, rk: str) -> Response:
        with self.lock:
            item = self._item_or_404(rk)
            if item["type"] != "show":
                abort(400)
            return paged(self._metadata_container(item) | {"key": rk, "title1": item["title"]}, "Metadata",
                         self.library.all_leaves(item))

    def _add_plex_controls(self, app: Flask) -> None:
        @app.post("/__control/scan-delay")
        def control_scan_delay() -> Any:
            seconds = (request.get_json(silent=True) or {}).get("seconds")
            if not isinstance(seconds, int | float) or seconds < 0:
                return jsonify({"error": "seconds must be a number >= 0"}), 400
            self.scan_delay = float(seconds)
            return jsonify({"seconds": self.scan_delay})

        @app.get("/__control/refreshes")
        def control_refreshes() -> Any:
            with self.lock:
                return jsonify(self.refreshes)

        @app.post("/__control/items")
        def control_items() -> Any:
            body = request.get_json(silent=True) or {}
            media_type, tmdb = body.get("type", "movie"), body.get("tmdb")
            rk = self.add_from_catalog(media_type, tmdb) if isinstance(tmdb, int) else None
            if rk is None:
                return jsonify({"error": "unknown catalog title"}), 404
            return jsonify({"ratingKey": rk})
