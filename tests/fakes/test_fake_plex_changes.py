"""The Plex fake's write side: folder scans (refresh by path) and collections."""

from __future__ import annotations

import shutil
import time

import requests

from fakes import accounts as acc
from fakes.plex import FakePlex
from fakes.youtube.media import ensure_clips

OWNER = {"X-Plex-Token": acc.OWNER_TOKEN, "Accept": "application/json"}
FRIEND = {"X-Plex-Token": acc.ALICE_SERVER_TOKEN, "Accept": "application/json"}


def _items(fake: FakePlex, section: str) -> list[dict]:
    resp = requests.get(f"{fake.url}/library/sections/{section}/all", headers=OWNER, timeout=5)
    return resp.json()["MediaContainer"].get("Metadata", [])


def _wait_for(predicate: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_refresh_by_path_turns_new_files_into_items_after_a_delay(fake_plex: FakePlex) -> None:
    fake_plex.scan_delay = 0.5
    folder = fake_plex.media_root / "youtube" / "My playlist"
    folder.mkdir(parents=True)
    clip = ensure_clips()[0]
    shutil.copy(clip, folder / "01 - First clip [abc].mp4")
    shutil.copy(clip, folder / "02 - Second clip [def].mp4")
    (folder / "03 - Still downloading.mp4.part").write_bytes(b"partial")
    resp = requests.get(f"{fake_plex.url}/library/sections/3/refresh", params={"path": str(folder)},
                        headers=OWNER, timeout=5)
    assert resp.status_code == 200
    assert resp.content == b""
    assert _items(fake_plex, "3") == []  # not yet: scanning takes a moment, like Plex
    sections = requests.get(f"{fake_plex.url}/library/sections", headers=OWNER, timeout=5).json()
    assert sections["MediaContainer"]["Directory"][2]["refreshing"] is True
    _wait_for(lambda: len(_items(fake_plex, "3")) == 2)
    items = sorted(_items(fake_plex, "3"), key=lambda i: i["title"])
    assert [i["title"] for i in items] == ["01 - First clip [abc]", "02 - Second clip [def]"]
    part = items[0]["Media"][0]["Part"][0]
    assert part["file"] == str(folder / "01 - First clip [abc].mp4")
    assert part["size"] == clip.stat().st_size
    if shutil.which("ffprobe"):
        assert 2500 <= items[0]["duration"] <= 3500
    log = requests.get(f"{fake_plex.url}/__control/refreshes", timeout=5).json()
    assert log[-1]["path"] == str(folder)
    assert log[-1]["done"] is True
    assert len(log[-1]["added"]) == 2
    # A second scan of the same folder adds nothing.
    fake_plex.refresh("3", str(folder))
    fake_plex.wait_for_scans()
    assert len(_items(fake_plex, "3")) == 2


def test_refresh_matches_catalog_films_and_episodes(fake_plex: FakePlex) -> None:
    fake_plex.scan_delay = 0.0
    clip = ensure_clips()[1]
    movie_dir = fake_plex.media_root / "movies" / "Dune (2021)"
    movie_dir.mkdir(parents=True)
    shutil.copy(clip, movie_dir / "Dune (2021).mkv")
    show_dir = fake_plex.media_root / "tv" / "Severance" / "Season 01"
    show_dir.mkdir(parents=True)
    shutil.copy(clip, show_dir / "Severance - S01E01 - Good News About Hell.mkv")
    assert requests.get(f"{fake_plex.url}/library/sections/1/refresh", params={"path": str(movie_dir)},
                        headers=OWNER, timeout=5).ok
    assert requests.post(f"{fake_plex.url}/library/sections/2/refresh", headers=OWNER, timeout=5).ok
    fake_plex.wait_for_scans()
    dune = [i for i in _items(fake_plex, "1") if i["title"] == "Dune"]
    assert len(dune) == 1
    detail = requests.get(f"{fake_plex.url}/library/metadata/{dune[0]['ratingKey']}", headers=OWNER, timeout=5)
    assert {"id": "tmdb://438631"} in detail.json()["MediaContainer"]["Metadata"][0]["Guid"]
    shows = {s["title"]: s for s in _items(fake_plex, "2")}
    assert shows["Severance"]["leafCount"] == 1


def test_refresh_outside_the_section_or_by_a_friend(fake_plex: FakePlex, tmp_path: object) -> None:
    fake_plex.scan_delay = 0.0
    outside = fake_plex.media_root / "elsewhere"
    outside.mkdir()
    shutil.copy(ensure_clips()[0], outside / "sneaky.mp4")
    resp = requests.get(f"{fake_plex.url}/library/sections/3/refresh", params={"path": str(outside)},
                        headers=OWNER, timeout=5)
    assert resp.status_code == 200  # Plex answers 200 and ignores a path outside the library
    fake_plex.wait_for_scans()
    assert _items(fake_plex, "3") == []
    assert requests.get(f"{fake_plex.url}/library/sections/3/refresh", headers=FRIEND, timeout=5).status_code == 403
    assert requests.get(f"{fake_plex.url}/library/sections/9/refresh", headers=OWNER, timeout=5).status_code == 404
    shutil.rmtree(outside)


def _uri(*keys: str, machine: str = acc.PLEX_MACHINE_ID) -> str:
    return f"server://{machine}/com.plexapp.plugins.library/library/metadata/{','.join(keys)}"


def _create(fake: FakePlex, uri: str, headers: dict = OWNER, **extra: object) -> requests.Response:
    params = {"uri": uri, "type": 1, "title": "Road trip", "smart": 0, "sectionId": 1} | extra
    return requests.post(f"{fake.url}/library/collections", params=params, headers=headers, timeout=5)


def _children(fake: FakePlex, rk: str) -> list[str]:
    resp = requests.get(f"{fake.url}/library/collections/{rk}/children", headers=OWNER, timeout=5)
    return [m["ratingKey"] for m in resp.json()["MediaContainer"].get("Metadata", [])]


def test_collection_create_add_list_and_reorder(fake_plex: FakePlex) -> None:
    resp = _create(fake_plex, _uri("110", "105"))
    assert resp.status_code == 200
    collection = resp.json()["MediaContainer"]["Metadata"][0]
    rk = collection["ratingKey"]
    assert (collection["type"], collection["subtype"], collection["title"]) == ("collection", "movie", "Road trip")
    assert collection["key"] == f"/library/collections/{rk}/children"
    assert collection["childCount"] == "2"
    added = requests.put(f"{fake_plex.url}/library/collections/{rk}/items", params={"uri": _uri("108")},
                         headers=OWNER, timeout=5)
    assert added.json()["MediaContainer"]["Metadata"][0]["childCount"] == "3"
    assert _children(fake_plex, rk) == ["108", "105", "110"]  # release date order (1985, 1999, 2016)
    move = f"{fake_plex.url}/library/collections/{rk}/items/110/move"
    assert requests.put(move, headers=OWNER, timeout=5).ok
    assert _children(fake_plex, rk) == ["108", "105", "110"]  # moving shows only in custom order
    assert requests.put(f"{fake_plex.url}/library/metadata/{rk}/prefs", params={"collectionSort": 2},
                        headers=OWNER, timeout=5).ok
    assert _children(fake_plex, rk) == ["110", "105", "108"]
    assert requests.put(move, params={"after": "108"}, headers=OWNER, timeout=5).ok
    assert _children(fake_plex, rk) == ["105", "108", "110"]
    listed = requests.get(f"{fake_plex.url}/library/sections/1/collections", headers=OWNER, timeout=5)
    assert [c["title"] for c in listed.json()["MediaContainer"]["Metadata"]] == ["Road trip"]
    member = requests.get(f"{fake_plex.url}/library/metadata/105", headers=OWNER, timeout=5).json()
    assert {"tag": "Road trip"} in member["MediaContainer"]["Metadata"][0]["Collection"]
    assert requests.delete(f"{fake_plex.url}/library/collections/{rk}/items/105", headers=OWNER, timeout=5).ok
    assert _children(fake_plex, rk) == ["108", "110"]


def test_collection_requests_a_real_server_would_refuse(fake_plex: FakePlex) -> None:
    assert _create(fake_plex, _uri("105", machine=acc.FOREIGN_MACHINE_ID)).status_code == 400
    assert _create(fake_plex, _uri("105", "999999")).status_code == 400
    assert _create(fake_plex, _uri("201")).status_code == 400  # a show in a movie collection
    assert _create(fake_plex, "/library/metadata/105").status_code == 400  # not a server:// uri
    assert _create(fake_plex, _uri("105"), title="").status_code == 400
    assert _create(fake_plex, _uri("105"), headers=FRIEND).status_code == 403
    rk = _create(fake_plex, _uri("105")).json()["MediaContainer"]["Metadata"][0]["ratingKey"]
    bad_move = requests.put(f"{fake_plex.url}/library/collections/{rk}/items/105/move", params={"after": "101"},
                            headers=OWNER, timeout=5)
    assert bad_move.status_code == 400


def test_catalog_title_can_be_added_for_overseerr(fake_plex: FakePlex) -> None:
    resp = requests.post(f"{fake_plex.url}/__control/items", json={"type": "movie", "tmdb": 872585}, timeout=5)
    rk = resp.json()["ratingKey"]
    meta = requests.get(f"{fake_plex.url}/library/metadata/{rk}", headers=OWNER, timeout=5).json()
    assert meta["MediaContainer"]["Metadata"][0]["title"] == "Oppenheimer"
