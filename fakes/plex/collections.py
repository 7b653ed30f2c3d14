"""Collection routes of the Plex fake.

Items are named by a ``server://<machineIdentifier>/com.plexapp.plugins.library/library/metadata/<k1>,<k2>``
URI (python-plexapi's form). The fake is strict where a client bug would otherwise pass silently: another
server's machine id, an unknown rating key, items of another type or library, or a missing title are 400.

Order: a new collection sorts by release date, like Plex; ``move`` only shows once the collection is set
to custom order with ``PUT /library/metadata/{id}/prefs?collectionSort=2`` (0 release, 1 title, 2 custom).
Smart collections are not modelled (400).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, abort, request

from fakes.plex.library import TYPE_NUMBERS
from fakes.plex.render import container, paged

if TYPE_CHECKING:
    from fakes.plex.app import FakePlex

URI_RE = re.compile(r"^server://([^/]+)/com\.plexapp\.plugins\.library/library/metadata/(\d+(?:,\d+)*)$")


def _members_from_uri(fake: FakePlex, uri: str | None, type_number: int | None, section: str | None) -> list[str]:
    m = URI_RE.match(uri or "")
    if m is None or m.group(1) != fake.machine_identifier:
        abort(400)
    keys = m.group(2).split(",")
    for rk in keys:
        item = fake.library.items.get(rk)
        if item is None or item["type"] == "collection":
            abort(400)
        if type_number is not None and TYPE_NUMBERS.get(item["type"]) != type_number:
            abort(400)
        if section is not None and item["_section"] != section:
            abort(400)
    return keys


def _collection_or_404(fake: FakePlex, rk: str) -> dict[str, Any]:
    item = fake.library.items.get(rk)
    if item is None or item["type"] != "collection":
        abort(404)
    return item


def _answer(fake: FakePlex, collection: dict[str, Any]) -> Response:
    view = fake.library.view(collection)
    return container(fake._metadata_container(collection) | {"size": 1}, {"Metadata": [view]})


def edit_collection(fake: FakePlex, section_key: str) -> Response:
    """``PUT /library/sections/{key}/all?type=18&id=..&title.value=..`` (python-plexapi's edit)."""
    if request.args.get("type") != "18":
        abort(400)
    with fake.lock:
        collection = _collection_or_404(fake, request.args.get("id", ""))
        if collection["_section"] != section_key:
            abort(404)
        for field in ("title", "summary", "titleSort", "contentRating"):
            value = request.args.get(f"{field}.value")
            if value is not None:
                if field == "title" and not value.strip():
                    abort(400)
                collection[field] = value
    return Response(status=200)


def register_collections(app: Flask, fake: FakePlex) -> None:
    """Add the collection routes to the PMS app."""

    @app.post("/library/collections")
    def create_collection() -> Response:
        title, section = request.args.get("title", "").strip(), request.args.get("sectionId")
        if request.args.get("smart", "0") != "0" or not title or not section:
            abort(400)
        try:
            type_number = int(request.args.get("type", ""))
        except ValueError:
            abort(400)
        with fake.lock:
            if section not in fake.library.sections:
                abort(404)
            members = _members_from_uri(fake, request.args.get("uri"), type_number, section)
            subtype = {v: k for k, v in TYPE_NUMBERS.items()}[type_number]
            collection = fake.library.create_collection(section, title, subtype, members)
            return _answer(fake, collection)

    @app.put("/library/collections/<rk>/items")
    def add_items(rk: str) -> Response:
        with fake.lock:
            collection = _collection_or_404(fake, rk)
            type_number = TYPE_NUMBERS[collection["subtype"]]
            members = _members_from_uri(fake, request.args.get("uri"), type_number, collection["_section"])
            fake.library.add_to_collection(collection, members)
            return _answer(fake, collection)

    @app.delete("/library/collections/<rk>/items/<item>")
    def remove_item(rk: str, item: str) -> Response:
        with fake.lock:
            collection = _collection_or_404(fake, rk)
            if item not in collection["_members"]:
                abort(404)
            fake.library.remove_from_collection(collection, item)
            return _answer(fake, collection)

    @app.put("/library/collections/<rk>/items/<item>/move")
    def move_item(rk: str, item: str) -> Response:
        after = request.args.get("after")
        with fake.lock:
            collection = _collection_or_404(fake, rk)
            if item not in collection["_members"]:
                abort(404)
            if after is not None and (after not in collection["_members"] or after == item):
                abort(400)
            fake.library.move_in_collection(collection, item, after)
            return _answer(fake, collection)

    def list_children(rk: str) -> Response:
        with fake.lock:
            collection = _collection_or_404(fake, rk)
            attrs = fake._metadata_container(collection) | {"key": rk, "title1": collection["title"]}
            return paged(attrs, "Metadata", fake.library.children(collection))

    app.add_url_rule("/library/collections/<rk>/children", "collection_children", list_children)
    app.add_url_rule("/library/collections/<rk>/items", "collection_items", list_children, methods=["GET"])

    @app.delete("/library/collections/<rk>")
    def delete_collection(rk: str) -> Response:
        with fake.lock:
            fake.library.delete_collection(_collection_or_404(fake, rk))
        return Response(status=200)

    @app.get("/library/sections/<key>/collections")
    def section_collections(key: str) -> Response:
        with fake.lock:
            section = fake._section_or_404(key)
            found = [fake.library.view(i) for i in fake.library.items.values()
                     if i["type"] == "collection" and i["_section"] == key]
            return paged(fake._container_for(section, "Collections"), "Metadata", found)

    @app.put("/library/metadata/<rk>/prefs")
    def prefs(rk: str) -> Response:
        with fake.lock:
            item = fake._item_or_404(rk)
            sort, mode = request.args.get("collectionSort"), request.args.get("collectionMode")
            if item["type"] != "collection" and (sort is not None or mode is not None):
                abort(400)
            if sort is not None:
                if sort not in ("0", "1", "2"):
                    abort(400)
                item["collectionSort"] = int(sort)
            if mode is not None:
                if mode not in ("-1", "0", "1", "2"):
                    abort(400)
                item["collectionMode"] = int(mode)
        return Response(status=200)
