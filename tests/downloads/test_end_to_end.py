"""Real yt-dlp against the fake YouTube, real RQ jobs, the fake Plex: files, collections, events."""

from __future__ import annotations

import itertools
import os
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from fakes.plex import FakePlex
from fakes.youtube import DEMO_PLAYLIST, HOSTILE_PLAYLIST, HOSTILE_TITLES
from functions.downloads import jobs, state
from medianest.store import downloads, notifications
from tests.downloads.conftest import files_in, submit

DEMO_IDS = [f"{DEMO_PLAYLIST}-{n}" for n in range(1, 5)]


def collections(fake: FakePlex) -> dict[str, list[str]]:
    """Every collection of the fake Plex: title -> member rating keys in the order Plex shows them."""
    with fake.lock:
        return {c["title"]: fake.library.collection_order(c) for c in fake.library.items.values()
                if c["type"] == "collection"}


def folder_of(body: dict[str, Any], media_root: Path) -> Path:
    return media_root / body["folder"]


def every_file(root: Path) -> set[Path]:
    return {Path(d) / f for d, _, names in os.walk(root) for f in names}


def test_playlist_lands_in_plex_as_an_ordered_collection(user, youtube, plex, run_worker, dl_settings,
                                                         db_conn) -> None:
    fake = youtube()
    download_id = submit(user, fake.playlist_url(DEMO_PLAYLIST), quality="720p")
    run_worker()
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "completed", body
    assert body["error"] is None
    assert body["progress"] | {"downloaded_bytes": 0} == {
        "percent": 100.0, "downloaded_bytes": 0, "total_bytes": sum(len(c) for c in fake.clips), "speed": None,
        "eta": None, "current_item": None, "current_position": None, "items_done": 4, "items_total": 4}
    folder = folder_of(body, dl_settings.media_root)
    assert folder == dl_settings.media_root / "youtube" / "alice" / "MediaNest demo playlist"
    names = [f"00{n} - MediaNest demo playlist ({n}) [{vid}].mp4" for n, vid in enumerate(DEMO_IDS, start=1)]
    assert files_in(folder) == names
    assert [(folder / name).read_bytes() for name in names] == fake.clips  # the real media, byte for byte
    assert [f["name"] for f in body["files"]] == names
    # Plex scanned that folder only, in the YouTube section, and the collection follows the playlist
    assert [(r["section"], r["path"]) for r in plex.refreshes] == [("3", str(folder))]
    keys = [f["plex_rating_key"] for f in body["files"]]
    assert all(keys)
    assert collections(plex) == {"MediaNest demo playlist": keys}
    assert body["plex_collection_key"] is not None
    assert not (dl_settings.media_root / ".incomplete" / download_id).exists()
    note = notifications.list_for_user(db_conn, user.user["id"])[0]
    assert (note["type"], note["title"]) == ("download:completed", "Downloaded: MediaNest demo playlist")
    assert note["link"] == f"/downloads/{download_id}"


def test_the_job_downloads_the_playlist_as_the_submit_listed_it(user, youtube, plex, run_worker, db_conn,
                                                               redis_client, monkeypatch) -> None:
    fake = youtube()
    download_id = submit(user, fake.playlist_url(DEMO_PLAYLIST))
    job_id = downloads.get(db_conn, download_id)["job_id"]
    assert redis_client.exists(state.listing_key(job_id))

    def list_again(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the job listed the playlist again")

    monkeypatch.setattr(jobs, "list_url", list_again)
    run_worker()
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "completed", body
    assert [f["video_id"] for f in body["files"]] == DEMO_IDS
    assert not redis_client.exists(state.listing_key(job_id))  # read once: a later run lists the playlist


def test_a_collection_is_updated_and_reordered_never_duplicated(user, youtube, plex, run_worker) -> None:
    fake = youtube()
    first = submit(user, fake.playlist_url(DEMO_PLAYLIST))
    run_worker()
    keys = [f["plex_rating_key"] for f in user.get(f"/{first}").get_json()["files"]]
    with plex.lock:  # someone shuffled the collection in Plex
        collection = next(i for i in plex.library.items.values() if i["type"] == "collection")
        collection["collectionSort"] = 2
        for rating_key in keys:
            plex.library.move_in_collection(collection, rating_key, None)
    assert collections(plex)["MediaNest demo playlist"] == keys[::-1]
    second = submit(user, fake.playlist_url(DEMO_PLAYLIST))
    run_worker()
    body = user.get(f"/{second}").get_json()
    assert body["status"] == "completed"
    assert [f["status"] for f in body["files"]] == ["skipped"] * 4  # already in the folder's archive
    assert collections(plex) == {"MediaNest demo playlist": keys}
    assert sum(fake.hits.values()) == 4  # each video was fetched once in all


def test_single_video_with_and_without_a_collection(user, youtube, plex, run_worker, dl_settings) -> None:
    fake = youtube()
    plain = submit(user, fake.watch_url("nestdemo002"), quality="best")
    picked = submit(user, fake.watch_url("nestdemo003"), quality="1080p", collection="My picks")
    run_worker()
    plain_body, picked_body = (user.get(f"/{i}").get_json() for i in (plain, picked))
    assert (plain_body["status"], plain_body["collection"], plain_body["plex_collection_key"]) == \
        ("completed", None, None)
    assert files_in(folder_of(plain_body, dl_settings.media_root)) == ["SMPTE bars, 550 Hz (1) [nestdemo002-1].mp4"]
    assert plain_body["files"][0]["plex_rating_key"]
    assert picked_body["folder"] == "youtube/alice/My picks"
    assert collections(plex) == {"My picks": [picked_body["files"][0]["plex_rating_key"]]}


def test_progress_events_arrive_and_are_throttled(user, youtube, plex, run_worker, listen) -> None:
    fake = youtube()
    fake.set_speed(80_000)  # the playlist takes about three seconds
    events = listen(f"downloads:{user.user['id']}")
    notes = listen(f"user:{user.user['id']}")
    download_id = submit(user, fake.playlist_url(DEMO_PLAYLIST))
    run_worker()
    received = [e for _, e in events.close() if e["data"]["id"] == download_id]
    assert all(e["type"] == "download:progress" for e in received)
    statuses = [e["data"]["status"] for e in received]
    assert statuses[0] == "queued"
    assert statuses[-2:] == ["processing", "completed"]
    running = [e["data"]["progress"] for e in received if e["data"]["status"] == "downloading"]
    assert len(running) >= 3
    percents = [p["percent"] for p in running]
    assert percents == sorted(percents)
    assert 0 < percents[-1] <= 100
    assert any(p["speed"] for p in running)
    assert any(p["current_item"] for p in running)
    assert received[-1]["data"]["progress"]["percent"] == 100.0
    # at most two progress ticks a second from the job; a change of state is not held back behind them
    times = [datetime.fromisoformat(e["at"]) for e in received if e["data"]["status"] == "downloading"]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.49, gaps
    assert [e["data"]["title"] for _, e in notes.close()] == ["Downloaded: MediaNest demo playlist"]


def test_hostile_titles_become_safe_names_inside_the_folder(user, youtube, plex, run_worker, dl_settings) -> None:
    fake = youtube()
    before = every_file(dl_settings.media_root)
    download_id = submit(user, fake.feed_url(HOSTILE_PLAYLIST))
    run_worker()
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "completed", body
    folder = folder_of(body, dl_settings.media_root)
    assert folder.parent == dl_settings.media_root / "youtube" / "alice"
    assert folder.name == "Hostile _(id)_ .._titles \U0001f3ac"
    names = files_in(folder)
    assert len(names) == len(HOSTILE_TITLES)
    for name in names:
        assert not name.startswith((".", "-"))
        assert not set(name) & set("/\\$;")
        assert ".." not in name.rsplit(".", 1)[0]
        assert all(unicodedata.category(ch) not in ("Cc", "Cf") for ch in name)
        assert len(name.encode()) <= 255
        assert name.endswith(".mp4")
    assert "007 - \U0001f3ac\U0001f525 Emoji title \U0001f47e [hostile0007].mp4" in names
    # nothing was written anywhere else
    assert every_file(dl_settings.media_root) - before == every_file(folder)
    assert collections(plex) == {"Hostile $(id); ../titles \U0001f3ac": [f["plex_rating_key"] for f in body["files"]]}


def test_a_failing_item_is_recorded_and_the_rest_go_on(user, youtube, plex, run_worker, db_conn) -> None:
    fake = youtube()
    fake.set_item("nestdemo002", fail=404)
    download_id = submit(user, fake.playlist_url(DEMO_PLAYLIST))
    run_worker()
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "completed"
    assert body["error"] == "1 of 4 items failed; retry to try them again."
    assert [f["status"] for f in body["files"]] == ["completed", "failed", "completed", "completed"]
    assert body["files"][1]["error"] == "The video could not be downloaded: the site answered 404."
    assert body["progress"]["items_done"] == 3
    assert len(collections(plex)["MediaNest demo playlist"]) == 3
    fake.set_item("nestdemo002")  # the site recovered: a retry fetches the missing item only
    assert user.post(f"/{download_id}/retry").status_code == 202
    run_worker()
    body = user.get(f"/{download_id}").get_json()
    assert (body["status"], body["error"]) == ("completed", None)
    assert fake.hits == {"nestdemo001": 1, "nestdemo002": 2, "nestdemo003": 1, "nestdemo004": 1}
    assert collections(plex) == {"MediaNest demo playlist": [f["plex_rating_key"] for f in body["files"]]}


def test_without_plex_the_files_still_arrive(user, youtube, run_worker, dl_settings) -> None:
    fake = youtube()
    download_id = submit(user, fake.watch_url("nestdemo001"), collection="Later")
    run_worker()
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "completed"
    assert body["error"] == "Plex is not linked, so the files were not added to a Plex library."
    assert len(files_in(folder_of(body, dl_settings.media_root))) == 1


def test_plex_down_fails_with_a_plain_reason_and_a_retry_only_redoes_plex(user, youtube, plex, run_worker) -> None:
    fake = youtube()
    plex.set_mode("error")
    download_id = submit(user, fake.watch_url("nestdemo001"), collection="Later")
    run_worker()
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "failed"
    assert body["error"].startswith("The files are downloaded, but Plex could not be updated")
    plex.set_mode("normal")
    assert user.post(f"/{download_id}/retry").status_code == 202
    run_worker()
    body = user.get(f"/{download_id}").get_json()
    assert body["status"] == "completed"
    assert list(collections(plex)) == ["Later"]
    assert fake.hits == {"nestdemo001": 1}


def test_delete_with_files_removes_files_folder_and_collection(user, youtube, plex, run_worker, dl_settings) -> None:
    fake = youtube()
    download_id = submit(user, fake.playlist_url(DEMO_PLAYLIST))
    run_worker()
    folder = folder_of(user.get(f"/{download_id}").get_json(), dl_settings.media_root)
    response = user.delete(f"/{download_id}?files=1")
    assert response.status_code == 200
    assert response.get_json() | {"id": None} == {"id": None, "deleted": True, "files_removed": 4, "plex": "updated"}
    assert not folder.exists()
    assert collections(plex) == {}
    assert user.get(f"/{download_id}").status_code == 404


def test_delete_without_files_keeps_them(user, youtube, run_worker, dl_settings) -> None:
    fake = youtube()
    download_id = submit(user, fake.watch_url("nestdemo001"))
    run_worker()
    folder = folder_of(user.get(f"/{download_id}").get_json(), dl_settings.media_root)
    assert user.delete(f"/{download_id}").get_json()["files_removed"] == 0
    assert len(files_in(folder)) == 1
