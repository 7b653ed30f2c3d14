"""The poster proxy: only Plex metadata ids, bounded sizes, caching headers, no token, no SSRF."""

from __future__ import annotations

import copy
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from tests.media.conftest import JPEG, PLEX, PLEX_TOKEN, fixture


def _transcodes(plex) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(c.request.url).query) for c in plex.rsps.calls if "/photo/:/transcode" in c.request.url]


def test_poster_bytes_headers_and_plex_call(plex, user):
    response = user.get("/thumb/108?kind=thumb&w=200&h=300")
    assert response.status_code == 200
    assert response.data == JPEG
    assert response.content_type == "image/jpeg"
    assert response.headers["Cache-Control"] == "private, max-age=86400"
    assert response.headers["ETag"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert PLEX_TOKEN not in str(response.headers)
    sent = _transcodes(plex)[-1]
    assert sent == {"width": ["200"], "height": ["300"], "minSize": ["1"], "upscale": ["1"],
                    "url": ["/library/metadata/108/thumb/1663510739"]}
    art = user.get("/thumb/108?kind=art")
    assert art.status_code == 200
    assert art.headers["ETag"] != response.headers["ETag"]
    assert _transcodes(plex)[-1]["url"] == ["/library/metadata/108/art/1663510739"]
    assert _transcodes(plex)[-1]["width"] == ["960"]


def test_etag_gives_304_without_asking_plex(plex, user):
    first = user.get("/thumb/108")
    etag = first.headers["ETag"]
    before = len(_transcodes(plex))
    again = user.get("/thumb/108", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "private, max-age=86400"
    assert len(_transcodes(plex)) == before
    weak = user.get("/thumb/108", headers={"If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304
    other_size = user.get("/thumb/108?w=100", headers={"If-None-Match": etag})
    assert other_size.status_code == 200


@pytest.mark.parametrize("path", [
    "/thumb/../../etc/passwd", "/thumb/..%2F..%2Fetc%2Fpasswd", "/thumb/%2e%2e/108", "/thumb/108%2F..%2F1",
    "/thumb/http://evil.example/x.jpg", "/thumb/http%3A%2F%2Fevil", "/thumb//etc/passwd", "/thumb/-1",
    "/thumb/1e3", "/thumb/108.0", "/thumb/%31%30%38%00", "/thumb/108\\..\\1", "/thumb/0x6c",
    f"/thumb/{10**13}", "/thumb/",
])
def test_only_metadata_ids_are_accepted(plex, user, path):
    assert user.get(path).status_code == 404
    assert not _transcodes(plex)


@pytest.mark.parametrize("query", [
    "w=1001", "h=5000", "w=-1", "h=0", "w=99999999999999999999", "kind=banner", "kind=../thumb",
    "url=http://evil.example/", "url=/library/metadata/1/thumb/1", "path=/etc/passwd", "w=abc",
])
def test_bad_parameters_are_refused(plex, user, query):
    assert user.get(f"/thumb/108?{query}").status_code == 422
    assert not _transcodes(plex)


@pytest.mark.parametrize("thumb", [
    "http://evil.example/x.jpg", "//evil.example/x.jpg", "/library/metadata/108/thumb/../../../etc/passwd",
    "/photo/:/transcode?url=http://evil", "file:///etc/passwd", "/library/metadata/108/thumb/1?url=http://evil",
])
def test_a_hostile_image_path_from_metadata_is_not_followed(plex, user, thumb):
    body = copy.deepcopy(fixture("pms-metadata-108.json"))
    body["MediaContainer"]["Metadata"][0]["thumb"] = thumb
    plex.rsps.replace(responses.GET, f"{PLEX}/library/metadata/108", json=body)
    assert user.get("/thumb/108").status_code == 404
    assert not _transcodes(plex)


def test_items_without_art_and_unknown_items(plex, user):
    assert user.get("/thumb/161?kind=art").status_code == 404  # the collection has no art
    assert user.get("/thumb/404").status_code == 404
    assert not _transcodes(plex)


def test_non_raster_answers_are_not_passed_on(plex, user):
    plex.rsps.replace(responses.GET, f"{PLEX}/photo/:/transcode",
                      body='<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                      content_type="image/svg+xml")
    response = user.get("/thumb/108")
    assert response.status_code == 503
    assert b"<script>" not in response.data
    plex.rsps.replace(responses.GET, f"{PLEX}/photo/:/transcode", body="<html>X-Plex-Token=abc</html>",
                      content_type="text/html", status=200)
    response = user.get("/thumb/108?w=17")
    assert response.status_code == 503
    assert b"X-Plex-Token" not in response.data


def test_metadata_lookup_is_cached(plex, user):
    for size in (100, 120, 140):
        assert user.get(f"/thumb/108?w={size}").status_code == 200
    assert plex.count("/library/metadata/108") == 1


def test_plex_image_404(plex, user):
    plex.rsps.replace(responses.GET, f"{PLEX}/photo/:/transcode", body="Not Found", status=404)
    assert user.get("/thumb/108").status_code == 404


def test_posters_have_their_own_rate_budget(settings, plex, make_user, signed_in):
    from functions.media.app import create_app
    from tests.conftest import derive

    app = create_app(derive(settings, MEDIANEST_RATE_LIMIT="5/minute"))
    client, _ = signed_in(app, make_user())
    assert [client.get(f"/thumb/108?w={100 + n}").status_code for n in range(12)] == [200] * 12
    assert [client.get("/recent").status_code for _ in range(6)][-1] == 429


def test_discovery_posters_come_through_overseerr_on_our_own_origin(app, overseerr, login) -> None:
    client = login()
    response = client.get("/tmdb-poster/p438631.jpg")
    assert response.status_code == 200
    assert response.content_type == "image/jpeg"
    assert response.headers["Cache-Control"] == "private, max-age=86400"
    again = client.get("/tmdb-poster/p438631.jpg", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    proxied = [c.request.url for c in overseerr.rsps.calls if "/imageproxy/" in c.request.url]
    assert proxied == ["http://overseerr.test:5055/imageproxy/tmdb/t/p/w342/p438631.jpg"]


@pytest.mark.parametrize("name", ["..%2F..%2Fetc%2Fpasswd", "%2e%2e", "x.svg", "a b.jpg", "x.jpg%00.png",
                                  "http:%2F%2Fevil%2Fx.jpg", "p" * 120 + ".jpg"])
def test_discovery_posters_take_only_a_tmdb_file_name(app, overseerr, login, name: str) -> None:
    response = login().get(f"/tmdb-poster/{name}")
    assert response.status_code == 404
    assert not [c for c in overseerr.rsps.calls if "/imageproxy/" in c.request.url]
