"""The Plex Media Server fake: tokens, XML/JSON, paging, browsing, search, images."""

from __future__ import annotations

import io
from xml.etree import ElementTree as ET

import pytest
import requests
from PIL import Image

from fakes import accounts as acc
from fakes.plex import FakePlex

OWNER = {"X-Plex-Token": acc.OWNER_TOKEN, "Accept": "application/json"}



def _xml(data: bytes) -> ET.Element:
    """Parse an answer of our own fake (trusted, local)."""
    return ET.fromstring(data)  # noqa: S314

def _get(fake: FakePlex, path: str, headers: dict | None = None, **params: object) -> requests.Response:
    return requests.get(fake.url + path, headers=OWNER if headers is None else headers, params=params, timeout=5)


def _mc(resp: requests.Response) -> dict:
    assert resp.status_code == 200, resp.text
    return resp.json()["MediaContainer"]


def test_identity_needs_no_token(fake_plex: FakePlex) -> None:
    resp = requests.get(f"{fake_plex.url}/identity", headers={"Accept": "application/json"}, timeout=5)
    assert resp.json()["MediaContainer"]["machineIdentifier"] == acc.PLEX_MACHINE_ID


@pytest.mark.parametrize("token", [None, "nope", acc.ALICE_TOKEN, acc.MALLORY_TOKEN, acc.CAROL_FOREIGN_SERVER_TOKEN])
def test_everything_else_needs_a_server_token(fake_plex: FakePlex, token: str | None) -> None:
    # Alice's plex.tv token is not a server token: she must use the accessToken from her resources.
    headers = {"X-Plex-Token": token} if token else {}
    assert _get(fake_plex, "/library/sections", headers=headers).status_code == 401


@pytest.mark.parametrize("token", [acc.OWNER_TOKEN, acc.ALICE_SERVER_TOKEN, acc.BOB_SERVER_TOKEN])
def test_token_in_header_or_query(fake_plex: FakePlex, token: str) -> None:
    assert _get(fake_plex, "/library/sections", headers={"X-Plex-Token": token}).status_code == 200
    assert _get(fake_plex, "/library/sections", headers={}, **{"X-Plex-Token": token}).status_code == 200


def test_xml_by_default_json_with_accept(fake_plex: FakePlex) -> None:
    xml = _get(fake_plex, "/library/sections", headers={"X-Plex-Token": acc.OWNER_TOKEN})
    root = _xml(xml.content)
    assert root.tag == "MediaContainer"
    assert [d.get("title") for d in root.findall("Directory")] == ["Movies", "TV Shows", "YouTube"]
    token = {"X-Plex-Token": acc.OWNER_TOKEN}
    movies = _xml(_get(fake_plex, "/library/sections/1/all", headers=token).content)
    assert movies.find("Video/Media/Part") is not None  # movies are <Video> in XML
    sections = _mc(_get(fake_plex, "/library/sections"))["Directory"]
    assert [(s["key"], s["type"]) for s in sections] == [("1", "movie"), ("2", "show"), ("3", "movie")]
    assert sections[2]["Location"][0]["path"] == str(fake_plex.media_root / "youtube")


@pytest.mark.parametrize("via", ["query", "headers"])
def test_container_paging(fake_plex: FakePlex, via: str) -> None:
    paging = {"X-Plex-Container-Start": "3", "X-Plex-Container-Size": "5"}
    if via == "query":
        resp = _get(fake_plex, "/library/sections/1/all", **paging)
    else:
        resp = _get(fake_plex, "/library/sections/1/all", headers=OWNER | paging)
    body = _mc(resp)
    assert (body["size"], body["totalSize"], body["offset"]) == (5, 16, 3)
    assert resp.headers["X-Plex-Container-Start"] == "3"
    assert resp.headers["X-Plex-Container-Total-Size"] == "16"
    everything = _mc(_get(fake_plex, "/library/sections/1/all"))["Metadata"]
    assert [m["ratingKey"] for m in body["Metadata"]] == [m["ratingKey"] for m in everything[3:8]]


def test_size_zero_gives_only_counts_and_bad_paging_is_400(fake_plex: FakePlex) -> None:
    body = _mc(_get(fake_plex, "/library/sections/1/all", **{"X-Plex-Container-Size": "0"}))
    assert body["size"] == 0
    assert body["totalSize"] == 16
    assert "Metadata" not in body
    assert _get(fake_plex, "/library/sections/1/all", **{"X-Plex-Container-Start": "x"}).status_code == 400


def test_section_listing_filters_sorts_and_adds_guids_on_request(fake_plex: FakePlex) -> None:
    plain = _mc(_get(fake_plex, "/library/sections/1/all", year="1999"))["Metadata"]
    assert [m["title"] for m in plain] == ["The Matrix"]
    assert "Guid" not in plain[0]
    with_guids = _mc(_get(fake_plex, "/library/sections/1/all", year="1999", includeGuids="1"))["Metadata"]
    assert {"id": "tmdb://603"} in with_guids[0]["Guid"]
    newest = _mc(_get(fake_plex, "/library/sections/1/all", sort="year:desc"))["Metadata"]
    assert newest[0]["title"] == "Paddington 2"
    assert _get(fake_plex, "/library/sections/1/all", sort="bogus").status_code == 400
    episodes = _mc(_get(fake_plex, "/library/sections/2/all", type="4"))["Metadata"]
    assert len(episodes) == 15
    assert {e["type"] for e in episodes} == {"episode"}


def test_shows_seasons_episodes(fake_plex: FakePlex) -> None:
    show = _mc(_get(fake_plex, "/library/metadata/201"))["Metadata"][0]
    assert (show["type"], show["childCount"], show["leafCount"]) == ("show", 2, 6)
    assert {"id": "tvdb://121361"} in show["Guid"]
    seasons = _mc(_get(fake_plex, "/library/metadata/201/children"))["Metadata"]
    assert [s["title"] for s in seasons] == ["Season 1", "Season 2"]
    episodes = _mc(_get(fake_plex, f"/library/metadata/{seasons[0]['ratingKey']}/children"))["Metadata"]
    assert episodes[0]["title"] == "Winter Is Coming"
    assert (episodes[0]["grandparentTitle"], episodes[0]["parentIndex"], episodes[0]["index"]) == \
        ("Game of Thrones", 1, 1)
    assert len(_mc(_get(fake_plex, "/library/metadata/201/allLeaves"))["Metadata"]) == 6


def test_metadata_one_or_several_and_404(fake_plex: FakePlex) -> None:
    movie = _mc(_get(fake_plex, "/library/metadata/105"))["Metadata"][0]
    assert movie["ratingKey"] == "105"
    assert movie["year"] == 1999
    assert movie["summary"]
    assert movie["Media"][0]["Part"][0]["file"].endswith("The Matrix (1999).mkv")
    assert [g["tag"] for g in movie["Genre"]] == ["Action", "Science Fiction"]
    assert len(_mc(_get(fake_plex, "/library/metadata/105,101"))["Metadata"]) == 2
    assert _get(fake_plex, "/library/metadata/999999").status_code == 404


def test_recently_added_newest_first_with_seasons(fake_plex: FakePlex) -> None:
    resp = _get(fake_plex, "/library/recentlyAdded", **{"X-Plex-Container-Size": "5"})
    items = _mc(resp)["Metadata"]
    assert len(items) == 5
    assert any(i["type"] == "season" and i["parentTitle"] for i in items)
    stamps = [i["updatedAt"] if i["type"] == "season" else i["addedAt"] for i in items]
    assert stamps == sorted(stamps, reverse=True)


def test_hub_search(fake_plex: FakePlex) -> None:
    assert _get(fake_plex, "/hubs/search").status_code == 400
    hubs = {h["hubIdentifier"]: h for h in _mc(_get(fake_plex, "/hubs/search", query="matrix"))["Hub"]}
    assert [m["title"] for m in hubs["movie"]["Metadata"]] == ["The Matrix"]
    assert hubs["show"]["size"] == 0
    assert "Metadata" not in hubs["show"]
    assert hubs["movie"]["Metadata"][0]["librarySectionID"] == 1
    accented = _mc(_get(fake_plex, "/hubs/search", query="amelie"))["Hub"]
    assert accented[0]["Metadata"][0]["title"] == "Amélie"
    actors = {h["hubIdentifier"]: h for h in _mc(_get(fake_plex, "/hubs/search", query="keanu"))["Hub"]}
    assert actors["actor"]["Directory"][0]["tag"] == "Keanu Reeves"
    assert _get(fake_plex, "/hubs/search", query="x", sectionId="99").status_code == 404


def _image(resp: requests.Response) -> Image.Image:
    assert resp.status_code == 200, resp.text
    return Image.open(io.BytesIO(resp.content))


def test_posters_and_art_are_generated_deterministically(fake_plex: FakePlex) -> None:
    movie = _mc(_get(fake_plex, "/library/metadata/105"))["Metadata"][0]
    poster = _get(fake_plex, movie["thumb"], headers={"X-Plex-Token": acc.OWNER_TOKEN})
    assert poster.headers["Content-Type"] == "image/jpeg"
    assert _image(poster).size == (400, 600)
    assert _image(_get(fake_plex, movie["art"], headers={"X-Plex-Token": acc.OWNER_TOKEN})).size == (960, 540)
    again = _get(fake_plex, movie["thumb"], headers={"X-Plex-Token": acc.OWNER_TOKEN})
    assert again.content == poster.content
    assert _get(fake_plex, movie["thumb"], headers={}).status_code == 401


def test_photo_transcode_resizes(fake_plex: FakePlex) -> None:
    thumb = "/library/metadata/105/thumb/1700000000"
    token = {"X-Plex-Token": acc.OWNER_TOKEN}
    fit = _image(_get(fake_plex, "/photo/:/transcode", headers={}, url=thumb, width=100, height=100, minSize=0,
                      upscale=1, **token))
    assert fit.size == (67, 100)  # fits inside the box
    fill = _image(_get(fake_plex, "/photo/:/transcode", headers={}, url=thumb, width=100, height=100, minSize=1,
                       upscale=1, **token))
    assert fill.size == (100, 150)  # fills the box, one side overflows
    png = _get(fake_plex, "/photo/:/transcode", headers={}, url=fake_plex.url + thumb, width=50, height=75,
               format="png", **token)
    assert png.headers["Content-Type"] == "image/png"
    assert _image(png).size == (50, 75)
    assert _get(fake_plex, "/photo/:/transcode", headers=token, url=thumb, width=100).status_code == 400
    elsewhere = _get(fake_plex, "/photo/:/transcode", headers=token, url="http://169.254.169.254/x.jpg",
                     width=10, height=10)
    assert elsewhere.status_code == 404
    assert _get(fake_plex, "/photo/:/transcode", headers={}, url=thumb, width=10, height=10).status_code == 401
