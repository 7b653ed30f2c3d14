"""What POST /preview and POST / accept and refuse: hosts, playlist size, hourly quota, disk floor."""

from __future__ import annotations

import pytest

from fakes.youtube import DEMO_PLAYLIST
from medianest.queues import DOWNLOADS, get_queue, rq_connection
from tests.downloads.conftest import submit


def queued_jobs(redis_url: str) -> int:
    return get_queue(DOWNLOADS, rq_connection(redis_url)).count


def test_preview_lists_a_playlist_without_downloading(user, youtube) -> None:
    fake = youtube()
    response = user.post("/preview", json={"url": fake.playlist_url(DEMO_PLAYLIST)})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["title"] == "MediaNest demo playlist"
    assert body["kind"] == "playlist"
    assert body["count"] == 4
    assert [e["id"] for e in body["entries"]] == [f"{DEMO_PLAYLIST}-{n}" for n in range(1, 5)]
    assert body["entries"][0]["title"] == "MediaNest demo playlist (1)"
    assert body["too_many"] is False
    assert fake.hits == {}  # no media was fetched


def test_preview_of_a_single_video(user, youtube) -> None:
    body = user.post("/preview", json={"url": youtube().watch_url("nestdemo002")}).get_json()
    assert body["kind"] == "video"
    assert body["count"] == 1
    assert body["entries"] == [{"id": "nestdemo002-1", "title": "SMPTE bars, 550 Hz (1)", "duration": None}]


@pytest.mark.parametrize("url", [
    "https://youtube.com.evil.test/watch?v=x",
    "https://evil.test/youtube.com",
    "https://127.0.0.1.evil.test/playlist/PLnestdemo",
    "http://evil.test/?next=http://127.0.0.1/",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "ftp://127.0.0.1/x",
    "http://127.0.0.1@evil.test/",
    "http://evil.test\\@127.0.0.1/",
])
def test_disallowed_hosts_are_refused(user, youtube, redis_url, url: str) -> None:
    youtube()
    for path in ("/preview", "/"):
        response = user.post(path, json={"url": url, "quality": "best"} if path == "/" else {"url": url})
        assert response.status_code == 422, (path, response.get_json())
        assert response.get_json()["error"]["code"] == "url_not_allowed"
    assert user.get("/").get_json()["total"] == 0
    assert queued_jobs(redis_url) == 0


def test_youtube_hosts_alone_keep_other_sites_out_even_if_they_resolve(user, youtube) -> None:
    fake = youtube(allowed_hosts=["youtube.com", "www.youtube.com"])
    response = user.post("/", json={"url": fake.playlist_url(DEMO_PLAYLIST)})
    assert response.get_json()["error"]["code"] == "url_not_allowed"


def test_an_address_that_is_no_video_is_refused(user, youtube) -> None:
    fake = youtube()
    for url in (f"{fake.url}/playlist/nope", f"{fake.url}/"):
        response = user.post("/", json={"url": url})
        assert response.status_code == 422
        assert response.get_json()["error"]["code"] == "unsupported_url"


def test_oversized_playlists_are_refused(user, youtube, redis_url) -> None:
    fake = youtube(max_items=3)
    url = fake.playlist_url(DEMO_PLAYLIST)
    preview = user.post("/preview", json={"url": url}).get_json()
    assert (preview["too_many"], preview["max_items"], len(preview["entries"])) == (True, 3, 3)
    response = user.post("/", json={"url": url})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "too_many_items"
    assert queued_jobs(redis_url) == 0
    submit(user, fake.watch_url("nestdemo001"))  # a single video is fine


def test_hourly_quota_counts_accepted_submissions_only(user, other, youtube) -> None:
    fake = youtube(hourly_quota=2)
    url = fake.watch_url("nestdemo001")
    for _ in range(3):  # refused submissions do not use up the quota
        assert user.post("/", json={"url": "https://evil.test/"}).status_code == 422
    submit(user, url)
    submit(user, url, quality="480p")
    limited = user.post("/", json={"url": url})
    assert limited.status_code == 429
    assert limited.get_json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0
    assert user.get("/").get_json()["total"] == 2
    submit(other, url)  # the quota is per user


def test_a_full_disk_refuses_new_downloads(user, youtube, redis_url) -> None:
    fake = youtube(min_free_gb=100000)
    response = user.post("/", json={"url": fake.playlist_url(DEMO_PLAYLIST)})
    assert response.status_code == 507
    assert response.get_json()["error"]["code"] == "insufficient_storage"
    assert queued_jobs(redis_url) == 0
    assert fake.hits == {}


@pytest.mark.parametrize("body", [
    {"url": "x", "quality": "4k"},
    {"url": "x", "format": "bestvideo", "quality": "best"},
    {"url": "x", "exec": "id"},
    {"quality": "best"},
    {"url": "x", "collection": "a\u202eb"},
])
def test_bodies_outside_the_contract_are_refused(user, youtube, body: dict) -> None:
    youtube()
    response = user.post("/", json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_error"


def test_a_submission_is_queued_with_its_id_only(user, youtube, redis_url) -> None:
    fake = youtube()
    download_id = submit(user, fake.playlist_url(DEMO_PLAYLIST), quality="720p", collection="Road trip")
    job = get_queue(DOWNLOADS, rq_connection(redis_url)).jobs[0]
    assert job.func_name == "functions.downloads.jobs.run_download"
    assert job.args == [download_id]
    assert job.kwargs == {}
    assert job.timeout >= 3600
    body = user.get(f"/{download_id}").get_json()
    assert (body["status"], body["collection"], body["quality"]) == ("queued", "Road trip", "720p")
    assert body["folder"] == "youtube/alice/MediaNest demo playlist"
    assert body["progress"]["items_total"] == 4
