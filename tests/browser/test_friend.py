"""A friend of the server in a real browser: signs in through the fake Plex PIN, requests a film and sees it
turn available live, downloads a playlist into a Plex collection, and sees only their own things.

Films are chosen per test among those not in Plex yet (Dune, Interstellar), so the tests do not depend on
each other's requests on the shared portal.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from playwright.sync_api import Locator, Page

from tests.browser.conftest import Person
from tests.e2e.stack import Stack

pytestmark = pytest.mark.browser

DUNE = 438631
INTERSTELLAR = 157336
DEMO_VIDEOS = ("nestdemo001", "nestdemo002", "nestdemo003", "nestdemo004")  # the demo playlist's videos
DOWNLOAD_BOUND_S = 90  # the demo playlist takes seconds; this only proves "it did not hang"


def request_film(person: Person, title: str, tmdb_id: int) -> None:
    """Search Discover for a film and request it through the dialog."""
    person.nav("Discover")
    person.page.get_by_test_id("discover-search").fill(title)
    card = person.page.locator(f"[data-testid=discover-result][data-tmdb-id='{tmdb_id}']")
    card.get_by_test_id("request-button").click()
    person.page.get_by_test_id("request-submit").click()
    person.page.get_by_text(f"Requested {title}").first.wait_for()
    person.shot(f"requested-{tmdb_id}")


def my_request(person: Person, tmdb_id: int) -> dict[str, Any]:
    found = [r for r in person.api("/media/requests")["items"] if r["tmdb_id"] == tmdb_id]
    assert len(found) == 1, found
    return found[0]


def mark_same_document(page: Page) -> None:
    """A flag that only survives while the page is not reloaded."""
    page.evaluate("() => { window.__sameDocument = true; }")


def still_same_document(page: Page) -> bool:
    return page.evaluate("() => window.__sameDocument === true")


def test_friend_requests_a_film_and_watches_it_become_available(people: Callable[[str], Person]) -> None:
    alice = people("alice")
    alice.sign_in_friend("alice")
    tiles = alice.page.locator("[data-testid^=service-tile-]")
    tiles.first.wait_for()
    assert tiles.count() >= 2
    alice.page.get_by_test_id("service-tile-plex").wait_for()
    alice.shot("dashboard")

    request_film(alice, "Dune", DUNE)
    alice.nav("Requests")
    card = alice.page.get_by_test_id("request-card").filter(has_text="Dune")
    card.wait_for()
    # MediaNest asks Overseerr with its own key, so the request is approved at once and waits for the file.
    assert card.get_attribute("data-status") in ("pending", "approved", "processing")
    mark_same_document(alice.page)
    alice.shot("requested")

    # Plex gets the file: the fake Overseerr sends MEDIA_AVAILABLE to our webhook.
    overseerr = alice.portal.fakes["overseerr"]["url"]
    overseerr_id = my_request(alice, DUNE)["overseerr_id"]
    assert overseerr_id is not None
    made = requests.post(f"{overseerr}/__control/requests/{overseerr_id}/available", json={}, timeout=10)
    assert made.ok, made.text
    card.and_(alice.page.locator("[data-status=available]")).wait_for()
    alice.shot("available")

    assert still_same_document(alice.page), "the Requests page was reloaded"
    assert any('"request:update"' in frame for frame in alice.socket_frames), "no request:update on the socket"
    deliveries = requests.get(f"{overseerr}/__control/webhook/deliveries", timeout=10).json()
    available = [d for d in deliveries if "MEDIA_AVAILABLE" in str(d.get("body"))]
    assert available, deliveries
    assert all(200 <= (d.get("status") or 0) < 300 for d in available), available


def wait_for_collection(plex_url: str, token: str, title: str) -> dict[str, Any]:
    deadline = time.monotonic() + DOWNLOAD_BOUND_S
    while True:
        answer = requests.get(f"{plex_url}/library/sections/3/collections", timeout=10,
                              headers={"X-Plex-Token": token, "Accept": "application/json"})
        answer.raise_for_status()
        found = [c for c in answer.json()["MediaContainer"].get("Metadata", []) if c["title"] == title]
        if found:
            return found[0]
        assert time.monotonic() < deadline, f"no Plex collection {title!r}"
        time.sleep(0.5)


@pytest.fixture
def slow_demo_playlist(portal: Stack) -> Iterator[None]:
    """The demo clips at 40 kB/s each (a few seconds in all), so the progress bar has time to move."""
    youtube = portal.fakes["youtube"]["url"]
    for video in DEMO_VIDEOS:
        requests.post(f"{youtube}/__control/items/{video}", json={"speed": 40_000}, timeout=10).raise_for_status()
    yield
    for video in DEMO_VIDEOS:
        requests.post(f"{youtube}/__control/items/{video}", json={"speed": None}, timeout=10).raise_for_status()


def watch_download(person: Person, card: Locator) -> tuple[str | None, list[str | None]]:
    """Follow a download card until it ends; returns its last status and every value its bar showed."""
    bar = card.get_by_test_id("download-progress").get_by_role("progressbar")
    seen: list[str | None] = []
    status = None
    deadline = time.monotonic() + DOWNLOAD_BOUND_S
    while status not in ("completed", "failed", "cancelled"):
        assert time.monotonic() < deadline, f"the download did not finish (last status {status}, bar {seen})"
        person.page.wait_for_timeout(100)
        status = card.get_attribute("data-status")
        value = bar.get_attribute("aria-valuenow") if bar.count() else None
        if not seen or value != seen[-1]:
            seen.append(value)
            if value not in (None, "0", "100") and not any(v not in (None, "0", "100") for v in seen[:-1]):
                person.shot("downloading")  # the first time the bar is part-way
    return status, seen


@pytest.mark.usefixtures("slow_demo_playlist")
def test_friend_downloads_a_playlist_into_a_plex_collection(people: Callable[[str], Person]) -> None:
    alice = people("alice")
    alice.sign_in_friend("alice")
    alice.nav("Downloads")
    page = alice.page
    playlist = alice.portal.fakes["youtube"]["demo_playlist"]
    collection = f"Browser test {secrets.token_hex(3)}"

    page.get_by_test_id("download-url").fill(playlist)
    page.get_by_test_id("download-preview-button").click()
    preview = page.get_by_test_id("download-preview")
    preview.wait_for()
    assert "Playlist · 4 videos" in preview.inner_text()
    page.get_by_test_id("download-quality").select_option("720p")
    page.get_by_test_id("download-collection").fill(collection)
    alice.shot("preview")
    mark_same_document(page)
    page.get_by_test_id("download-submit").click()

    card = page.get_by_test_id("download-card").filter(has_text=collection)
    card.wait_for()
    status, seen = watch_download(alice, card)
    alice.shot("finished")
    assert status == "completed", f"the download ended {status}: {card.inner_text()}"
    assert card.get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
    numbers = [float(v) for v in seen if v is not None]
    assert numbers == sorted(numbers), f"the progress bar went backwards: {seen}"
    assert any(0 < n < 100 for n in numbers), f"the bar never showed progress between 0 and 100: {seen}"
    assert still_same_document(page), "the Downloads page was reloaded"
    statuses = [json.loads(f)["data"].get("status") for f in alice.socket_frames if '"download:progress"' in f]
    assert "downloading" in statuses, statuses
    assert statuses[-1] == "completed", statuses

    plex = alice.portal.fakes["plex"]
    found = wait_for_collection(plex["url"], plex["owner_token"], collection)
    assert int(found.get("childCount", 0)) == 4, found


def test_friends_see_only_their_own_requests_and_downloads(people: Callable[[str], Person]) -> None:
    alice, bob = people("alice"), people("bob")
    alice.sign_in_friend("alice")
    bob.sign_in_friend("bob")

    request_film(alice, "Interstellar", INTERSTELLAR)
    alice.nav("Downloads")
    alice.page.get_by_test_id("download-url").fill(alice.portal.fakes["youtube"]["video"])
    alice.page.get_by_test_id("download-submit").click()
    alice.page.get_by_test_id("download-card").first.wait_for()
    request_id = my_request(alice, INTERSTELLAR)["id"]
    download_ids = {d["id"] for d in alice.api("/downloads/")["items"]}
    assert download_ids

    # bob's pages, opened after alice's items exist, list none of them
    bob.nav("Requests")
    bob.page.get_by_role("heading", level=1, name="My requests").wait_for()
    bob.page.locator("[data-testid=request-card], .state--empty").first.wait_for()
    assert bob.page.locator(f"a[href='/requests/{request_id}']").count() == 0
    assert bob.page.get_by_test_id("request-card").filter(has_text="Interstellar").count() == 0
    bob.shot("requests")
    bob.nav("Downloads")
    bob.page.get_by_role("heading", level=2, name="History").wait_for()
    for download_id in download_ids:
        assert bob.page.locator(f"a[href='/downloads/{download_id}']").count() == 0
    bob.shot("downloads")

    # and the API behind them agrees, for the list and for the item itself
    assert all(r["id"] != request_id for r in bob.api("/media/requests")["items"])
    assert not download_ids & {d["id"] for d in bob.api("/downloads/")["items"]}
    base = f"{bob.portal.url}/api/v1"
    assert bob.context.request.get(f"{base}/media/requests/{request_id}").status == 404
    assert all(bob.context.request.get(f"{base}/downloads/{d}").status == 404 for d in download_ids)
