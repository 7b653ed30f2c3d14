"""The Plex client against the contract's captures: irregular JSON, paging, search hubs, images, scans and
collections, the token only ever in a header."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from medianest.clients.plex import Item, PlexClient
from medianest.http import UpstreamError
from tests.media.conftest import JPEG, MACHINE_ID, PLEX, PLEX_TOKEN, fixture


@pytest.fixture
def client() -> PlexClient:
    return PlexClient(PLEX, PLEX_TOKEN, retries=0)


def test_items_tolerate_strings_and_missing_arrays(plex, client):
    collection = client.metadata("161")
    assert collection is not None
    assert collection.type == "collection"
    assert collection.child_count == 3
    assert collection.genres == ()
    assert collection.art is None
    movie = client.metadata("108")
    assert movie.title == "Interstate 60"
    assert movie.year == 2002
    assert movie.duration_ms == 5062
    assert movie.genres[:2] == ("Adventure", "Comedy")
    assert movie.section_id == 1
    assert Item.from_dict(movie.to_dict()) == movie


def test_sections_counts_and_paging(plex, client):
    sections = client.sections()
    assert [(s.key, s.title, s.type) for s in sections] == [("1", "Movies", "movie"), ("2", "TV Shows", "show")]
    assert sections[1].refreshing is False  # "refreshing": "0", as some servers send it
    assert client.section_size("1") == 4
    page = client.section_items("1", offset=2, limit=2, sort="addedAt:desc")
    assert page.total == 4
    assert page.offset == 2
    assert len(page.items) == 2
    query = parse_qs(urlsplit(plex.rsps.calls[-1].request.url).query)
    assert query["X-Plex-Container-Start"] == ["2"]
    assert query["X-Plex-Container-Size"] == ["2"]
    assert query["sort"] == ["addedAt:desc"]
    empty = client.section_items("1", offset=10, limit=5)
    assert empty.items == []
    assert empty.total == 4
    assert client.section_items("9") is None


def test_recent_and_search(plex, client):
    recent = client.recently_added(5)
    assert [i.type for i in recent] == ["movie", "season"]
    assert recent[1].parent_title == "The 100"
    assert recent[1].section_id == 2
    assert recent[1].leaf_count == 9
    hits = client.search("bunny")
    assert [(i.rating_key, i.title) for i in hits] == [("55", "Big Buck Bunny")]  # the actor hub is skipped
    assert parse_qs(urlsplit(plex.rsps.calls[-1].request.url).query)["query"] == ["bunny"]


def test_unknown_item_is_none_and_children(plex, client):
    assert client.metadata("404") is None
    seasons = client.children("22")
    assert [(s.title, s.index, s.leaf_count) for s in seasons] == [("Season 1", 1, 9), ("Season 2", 2, 9)]


def test_token_only_in_header(plex, client):
    client.sections()
    client.transcode_image("/library/metadata/108/thumb/1663510739", 300, 450)
    for call in plex.rsps.calls:
        assert PLEX_TOKEN not in call.request.url
        assert call.request.headers["X-Plex-Token"] == PLEX_TOKEN


def test_wrong_token_is_an_upstream_error(plex):
    with pytest.raises(UpstreamError) as exc:
        PlexClient(PLEX, "wrong", retries=0).sections()
    assert exc.value.status == 401
    assert "wrong" not in exc.value.message


def test_transcode_parameters_and_content_type(mocked, client):
    mocked.add(responses.GET, f"{PLEX}/photo/:/transcode", body=JPEG, content_type="image/jpeg")
    image = client.transcode_image("/library/metadata/108/thumb/1663510739", 300, 450)
    assert image.content == JPEG
    assert image.content_type == "image/jpeg"
    query = parse_qs(urlsplit(mocked.calls[-1].request.url).query)
    assert query == {"width": ["300"], "height": ["450"], "minSize": ["1"], "upscale": ["1"],
                     "url": ["/library/metadata/108/thumb/1663510739"]}
    mocked.replace(responses.GET, f"{PLEX}/photo/:/transcode", body="<html>oops</html>", content_type="text/html")
    with pytest.raises(UpstreamError):
        client.transcode_image("/library/metadata/108/thumb/1663510739", 300, 450)


def test_keys_must_be_numbers(client):
    for bad in ("../etc", "1/../2", "%2e%2e", "http://evil", "-1", "١٢"):
        with pytest.raises(ValueError, match="is a number"):
            client.metadata(bad)


def test_scan_and_collections(mocked, client):
    mocked.add(responses.GET, f"{PLEX}/library/sections/1/refresh", body="")
    mocked.add(responses.POST, f"{PLEX}/library/collections",
               json={"MediaContainer": {"size": 1, "Metadata": [{"ratingKey": "500", "type": "collection",
                                                                  "title": "My list", "childCount": "2"}]}})
    mocked.add(responses.PUT, f"{PLEX}/library/collections/500/items", body="")
    client.refresh_section("1", "/data/Movies/youtube/a b&c")
    assert parse_qs(urlsplit(mocked.calls[0].request.url).query)["path"] == ["/data/Movies/youtube/a b&c"]
    created = client.create_collection(MACHINE_ID, "1", "My list", ["101", "102"], 1)
    assert created.rating_key == "500"
    assert created.child_count == 2
    query = parse_qs(urlsplit(mocked.calls[1].request.url).query)
    assert query["uri"] == [f"server://{MACHINE_ID}/com.plexapp.plugins.library/library/metadata/101,102"]
    assert query["smart"] == ["0"]
    assert query["sectionId"] == ["1"]
    assert query["type"] == ["1"]
    assert "server%3A%2F%2F" in mocked.calls[1].request.url  # the whole uri is encoded
    client.add_to_collection(MACHINE_ID, "500", ["103"])
    assert mocked.calls[2].request.method == "PUT"


def test_sample_shows_parse(client):
    shows = [Item.parse(raw) for raw in fixture("pms-section-all-shows.json")["MediaContainer"]["Metadata"]]
    assert [(s.title, s.child_count, s.leaf_count) for s in shows] == [("The 100", 2, 18),
                                                                        ("Game of Thrones", 2, 18)]
