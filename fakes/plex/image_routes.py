"""Image routes of the Plex fake: item posters/art, collection composites, resources, ``/photo/:/transcode``.

``/photo/:/transcode`` takes a server-relative image path (or an absolute URL of this same server) in
``url`` plus ``width``/``height`` (400 when missing); it never fetches another host (404), so a client
cannot use it to reach anything else. ``minSize=1`` fills the box, otherwise the image fits inside it;
``upscale=1`` allows enlarging; ``format=png`` switches from JPEG.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from flask import Flask, Response, abort, request

from fakes.plex import images

if TYPE_CHECKING:
    from fakes.plex.app import FakePlex

IMAGE_RE = re.compile(r"^/library/(metadata|collections)/(\d+)/(thumb|art|banner|composite)/\d+$")
MAX_SIDE = 4000


def int_arg(name: str) -> int | None:
    """An optional whole-number query parameter; anything else is Plex's 400."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        abort(400)


def image_bytes(fake: FakePlex, path: str) -> bytes | None:
    """JPEG bytes for a server-relative image path, or None when there is no such image."""
    m = IMAGE_RE.match(path)
    if m:
        with fake.lock:
            item = fake.library.items.get(m.group(2))
        if item is None or (m.group(1) == "collections") != (item["type"] == "collection"):
            return None
        kind = "thumb" if m.group(3) in ("thumb", "composite") else "art"
        subtitle = str(item.get("year") or item.get("parentTitle") or item.get("librarySectionTitle", ""))
        return images.draw(item["title"], subtitle, kind)
    if path.startswith("/:/resources/"):
        name = path.rsplit("/", 1)[-1]
        return images.draw(name.rsplit(".", 1)[0], "", "art" if "fanart" in name else "thumb")
    return None


def register_images(app: Flask, fake: FakePlex) -> None:
    """Add the image routes to the PMS app."""

    def jpeg() -> Response:
        data = image_bytes(fake, request.path)
        if data is None:
            abort(404)
        return Response(data, content_type="image/jpeg")

    app.add_url_rule("/library/metadata/<rk>/<kind>/<int:ts>", "item_image", lambda rk, kind, ts: jpeg())
    app.add_url_rule("/library/collections/<rk>/composite/<int:ts>", "collection_image", lambda rk, ts: jpeg())
    app.add_url_rule("/:/resources/<name>", "resource_image", lambda name: jpeg())

    @app.get("/photo/:/transcode")
    def transcode() -> Response:
        url, width, height = request.args.get("url"), int_arg("width"), int_arg("height")
        if not url or not width or not height or width > MAX_SIDE or height > MAX_SIDE:
            abort(400)
        own = fake.url
        if "://" in url or url.startswith("//"):
            if not url.startswith(own + "/"):
                abort(404)  # this fake never fetches other hosts
            url = url[len(own):]
        data = image_bytes(fake, url.split("?", 1)[0])
        if data is None:
            abort(404)
        fmt = request.args.get("format", "jpeg").lower()
        if fmt not in ("jpeg", "jpg", "png"):
            abort(400)
        out = images.transcode(data, width, height, min_size=request.args.get("minSize") == "1",
                               upscale=request.args.get("upscale") == "1", fmt=fmt, quality=int_arg("quality"))
        return Response(out, content_type="image/png" if fmt == "png" else "image/jpeg")
