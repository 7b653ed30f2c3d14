"""Headless Chromium against the whole portal (`make demo`'s processes and fakes) for the browser tests.

One browser for the run; each person gets a fresh context (own cookies, own socket). Every console error and
uncaught page error fails the test, except HTTP answers a test has declared as expected (`Person.expect`):
Chromium logs "Failed to load resource" for every 4xx a page fetches, even when the app asked on purpose and
handles the answer (the signed-out probe of `/auth/me`, a refused Plex PIN).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import redis
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright

from tests.e2e import conftest as e2e
from tests.e2e.stack import Stack

portal = e2e.portal  # the session's whole portal, as the end-to-end tests start it

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
# Quiet on a closed network: no background fetches, updates, sync or QUIC probes.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
# Bounds that only prove "it did not hang"; the machine is shared and noisy.
STEP_TIMEOUT_MS = 20_000
FAILED_LOAD = re.compile(r"^Failed to load resource: the server responded with a status of (\d{3})\b")

# How the fake plex.tv's /auth page names each account on its buttons.
PLEX_BUTTON = {"owner": "nestowner", "alice": "alice", "bob": "bob", "mallory": "mallory", "carol": "carol"}


class Person:
    """One person's browser context and tab, with what their console said."""

    def __init__(self, name: str, context: BrowserContext, stack: Stack, shots: Callable[[str, Page], None]) -> None:
        self.name = name
        self.context = context
        self.portal = stack
        self._shot = shots
        self.problems: list[str] = []
        self.expected: list[tuple[int, re.Pattern[str]]] = []
        self.socket_frames: list[str] = []
        context.set_default_timeout(STEP_TIMEOUT_MS)
        # on the context, so popups are watched too
        context.on("console", self._on_console)
        context.on("weberror", lambda err: self.problems.append(f"uncaught error: {err.error}"))
        self.page = context.new_page()
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._on_frame))

    # -- what the browser says ----------------------------------------------------------------------
    def _on_console(self, msg: ConsoleMessage) -> None:
        if msg.type != "error":
            return
        where = msg.location.get("url", "") if msg.location else ""
        failed = FAILED_LOAD.match(msg.text)
        if failed and any(status == int(failed.group(1)) and pattern.fullmatch(where)
                          for status, pattern in self.expected):
            return
        self.problems.append(f"console error ({where}): {msg.text.strip()}")

    def _on_frame(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            self.socket_frames.append(payload)

    @contextmanager
    def expect(self, *answers: tuple[int, str]) -> Iterator[None]:
        """While inside, these HTTP answers (status, regex for the whole URL) are not console errors."""
        added = [(status, re.compile(url)) for status, url in answers]
        self.expected.extend(added)
        try:
            yield
        finally:
            self.page.wait_for_timeout(100)  # console events already sent are delivered before the allowance ends
            for item in added:
                self.expected.remove(item)

    def signed_out_probe(self) -> list[tuple[int, str]]:
        """What the app is answered when it opens without a live session: /auth/me 401, then one refresh that
        fails (403 without any session, since there is no CSRF cookie; 401 with a revoked one)."""
        api = re.escape(f"{self.portal.url}/api/v1")
        return [(401, f"{api}/auth/me"), (401, f"{api}/auth/refresh"), (403, f"{api}/auth/refresh")]

    def public_status_off(self) -> tuple[int, str]:
        """Admin → Services reads the public status switch as `GET /status/public`: 404 means off (there is no
        other read route), so the page asks knowing it may get a 404."""
        return (404, re.escape(f"{self.portal.url}/api/v1/status/public"))

    # -- helpers -----------------------------------------------------------------------------------
    def shot(self, step: str, page: Page | None = None) -> None:
        self._shot(f"{self.name}-{step}", page or self.page)

    def api(self, path: str) -> Any:
        """GET an API route with this person's cookies (the page's own session)."""
        response = self.context.request.get(f"{self.portal.url}/api/v1{path}", headers={"Accept": "application/json"})
        assert response.ok, f"GET {path} as {self.name}: {response.status} {response.text()[:300]}"
        return response.json()

    def nav(self, label: str) -> None:
        """Follow a link of the main navigation (in-app navigation, no page load)."""
        self.page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True).click()
        self.page.get_by_role("heading", level=1).first.wait_for()

    def sign_in_with_plex(self, account: str, refused: bool = False) -> None:
        """Open the app, press "Sign in with Plex" and approve the PIN in the fake plex.tv popup as `account`;
        returns once the app has shown the outcome and closed the popup. `refused`: the app is expected to
        turn the PIN down (403), as for a stranger or a disabled account."""
        plextv = self.portal.fakes["plextv"]["url"]
        api = re.escape(f"{self.portal.url}/api/v1")
        # the fake plex.tv page has no icon: a 404 for its favicon (its page, not ours)
        answers = [*self.signed_out_probe(), (404, re.escape(f"{plextv}/favicon.ico"))]
        if refused:
            answers.append((403, rf"{api}/auth/plex/pin/[^/?]+"))
        with self.expect(*answers):
            self.page.goto(f"{self.portal.url}/")
            self.page.wait_for_url(re.compile(r"/signin"))
            button = self.page.get_by_test_id("signin-plex")
            button.wait_for()
            self.shot("signin")
            with self.page.expect_popup() as opened:
                button.click()
            popup = opened.value
            # opened by the click itself (at our own loading page), then sent on to plex.tv
            assert popup.opener() == self.page
            popup.wait_for_url(f"{plextv}/auth**")
            choice = popup.get_by_role("button", name=re.compile(rf"^Sign in as {PLEX_BUTTON[account]} \("))
            choice.wait_for()
            self.shot("plex-auth", popup)
            choice.click()
            # the app closes the popup itself when the PIN poll has its answer
            popup.wait_for_event("close")
            self.page.wait_for_function(
                "() => location.pathname !== '/signin' || document.querySelector('[role=alert]')")

    def sign_in_friend(self, account: str) -> None:
        """A person with access signs in with Plex and lands on the dashboard."""
        self.sign_in_with_plex(account)
        self.page.wait_for_url(f"{self.portal.url}/")
        self.page.get_by_role("heading", level=1, name="Dashboard").wait_for()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    # Debian's Chromium; Playwright's own browser download does not work (nor belong) here. `.ci/run` installs
    # it; a machine without it fails here with the command that fixes it.
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture(autouse=True)
def fresh_rate_budgets(browser: Browser, portal: Stack) -> None:
    """Every test starts with unused rate-limit budgets. All browsers here come from 127.0.0.1 and the same few
    accounts sign in again in every test, a minute's worth of which no household produces (10 Plex PINs per IP
    and minute, 100 API calls per person and minute); without this, a test's outcome would depend on the tests
    run just before it."""
    client = redis.Redis.from_url(portal.redis_url)
    try:
        keys = list(client.scan_iter(match="LIMITS:LIMITER/mn:rl/*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    # keeps each phase's report on the test, so the `people` fixture knows whether the test failed
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def people(request: pytest.FixtureRequest, browser: Browser, portal: Stack) -> Iterator[Callable[[str], Person]]:
    """`people("alice")` gives a person with a fresh context; console errors fail the test at the end."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    counter = iter(range(1, 1000))
    made: list[Person] = []

    def shoot(step: str, page: Page) -> None:
        page.screenshot(path=str(folder / f"{next(counter):02d}-{step}.png"), full_page=True)

    def make(name: str) -> Person:
        person = Person(name, browser.new_context(viewport={"width": 1280, "height": 900}), portal, shoot)
        made.append(person)
        return person

    yield make

    report = getattr(request.node, "report_call", None)
    failed = report is None or report.failed
    problems: list[str] = []
    for person in made:
        if failed and not person.page.is_closed():
            try:
                person.shot("at-failure")
            except Exception as exc:  # a crashed page must not hide the real failure
                problems.append(f"{person.name}: no screenshot at failure: {exc}")
        person.page.wait_for_timeout(200)  # late console events arrive
        problems += [f"{person.name}: {p}" for p in person.problems]
        person.context.close()
    if problems and not failed:
        pytest.fail("the browser reported errors:\n" + "\n".join(problems))
    if problems:
        print("browser errors:\n" + "\n".join(problems))
    if failed:
        print("portal log (last lines):\n" + "\n".join(portal.log().splitlines()[-80:]))
