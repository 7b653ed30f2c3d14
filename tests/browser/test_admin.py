"""The admin in a real browser: disabling a friend drops the friend's open tab to sign-in; and a tour of every
page (a friend's and the admin's) with no console errors."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.browser.conftest import Person
from tests.e2e.stack import ADMIN_PASSWORD

pytestmark = pytest.mark.browser

DROP_BOUND_MS = 20_000  # the tab should drop within seconds; this only proves "it did not hang"


def enable_again(admin: Person, username: str) -> None:
    """Through the admin's own session, as the Users tab does; used to put things back whatever happened."""
    user = next(u for u in admin.api("/auth/users?limit=100")["items"] if u["username"] == username)
    if user["status"] == "active":
        return
    csrf = next(c["value"] for c in admin.context.cookies() if c["name"] == "mn_csrf")
    answer = admin.context.request.patch(f"{admin.portal.url}/api/v1/auth/users/{user['id']}",
                                         data={"status": "active"},
                                         headers={"X-CSRF-Token": csrf, "Accept": "application/json"})
    assert answer.ok, answer.text()


def test_disabling_a_friend_drops_their_open_tab_to_sign_in(people: Callable[[str], Person]) -> None:
    owner, alice = people("owner"), people("alice")
    alice.sign_in_friend("alice")
    owner.sign_in_friend("owner")
    alice.nav("Requests")
    alice.shot("open-tab")

    with owner.expect(owner.public_status_off()):
        owner.nav("Admin")
        owner.page.get_by_test_id("service-form-plex").wait_for()
        owner.page.get_by_role("navigation", name="Admin sections").get_by_role("link", name="Users").click()
    row = owner.page.locator("[data-testid=admin-user-row][data-username=alice]")
    try:
        row.get_by_role("button", name="Disable alice").click()
        # From here on alice's session is gone: whatever her tab asks the API is answered 401 (and her refresh
        # 401 or 403), which is how the app learns it; alice herself does nothing.
        api = re.escape(f"{alice.portal.url}/api/v1")
        with alice.expect((401, rf"{api}/.+"), (403, rf"{api}/auth/refresh")):
            owner.page.get_by_role("dialog").get_by_role("button", name="Disable", exact=True).click()
            row.get_by_text("Disabled", exact=True).wait_for()
            owner.shot("disabled")
            # the server closes her socket; the app re-checks who she is and goes to sign-in
            alice.page.wait_for_url(re.compile(r"/signin(\?|$)"), timeout=DROP_BOUND_MS)
            alice.page.get_by_test_id("signin-plex").wait_for()
        assert "next=%2Frequests" in alice.page.url
        alice.shot("dropped")

        # and signing in again is refused with the reason
        alice.sign_in_with_plex("alice", refused=True)
        alert = alice.page.get_by_role("alert")
        alert.wait_for()
        assert "account is disabled" in alert.inner_text()
        alice.shot("refused")

        row.get_by_role("button", name="Enable").click()
        row.get_by_text("Active", exact=True).wait_for()
        owner.shot("enabled")
    finally:
        # the portal is shared by the session's tests: alice must be able to sign in whatever happened here
        enable_again(owner, "alice")

    alice.sign_in_friend("alice")
    alice.shot("back")


def visit(person: Person, label: str, ready: str) -> None:
    """Follow a main-navigation link and wait for the page's content (a CSS selector), then a screenshot."""
    person.nav(label)
    person.page.locator(ready).first.wait_for()
    person.shot(label.lower())


def test_every_page_opens_without_console_errors(people: Callable[[str], Person]) -> None:
    alice = people("alice")
    alice.sign_in_friend("alice")
    alice.page.locator("[data-testid^=service-tile-]").first.wait_for()
    alice.page.get_by_test_id("poster-card").first.wait_for()
    alice.shot("dashboard")

    visit(alice, "Library", "[data-testid=poster-card]")
    alice.page.get_by_test_id("poster-card").first.click()
    alice.page.wait_for_url(re.compile(r"/library/items/"))
    alice.page.get_by_role("heading", level=1).wait_for()
    alice.shot("item")

    visit(alice, "Discover", "[data-testid=discover-search]")
    alice.page.get_by_test_id("discover-search").fill("Matrix")
    alice.page.get_by_test_id("discover-result").first.wait_for()
    alice.shot("discover-results")
    visit(alice, "Requests", "[data-testid=request-card], .state--empty")
    visit(alice, "Downloads", "#dl-history")

    alice.page.get_by_test_id("notifications-bell").click()
    alice.page.get_by_role("link", name=re.compile("notifications", re.IGNORECASE)).last.click()
    alice.page.get_by_role("heading", level=1, name="Notifications").wait_for()
    alice.page.locator("[data-testid=notification-item], .state--empty").first.wait_for()
    alice.shot("notifications")

    # The local admin signs in behind the link on the sign-in page.
    admin = people("admin")
    with admin.expect(*admin.signed_out_probe()):
        admin.page.goto(f"{admin.portal.url}/")
        admin.page.get_by_test_id("signin-local").click()
        dialog = admin.page.get_by_role("dialog")
        dialog.get_by_label("Username").fill("admin")
        dialog.get_by_label("Password").fill(ADMIN_PASSWORD)
        dialog.get_by_role("button", name="Sign in").click()
        admin.page.get_by_role("heading", level=1, name="Dashboard").wait_for()
    admin.shot("dashboard")

    visit(admin, "Requests", "[data-testid=request-card], .state--empty")
    visit(admin, "Downloads", "#dl-history")
    with admin.expect(admin.public_status_off()):
        visit(admin, "Admin", "[data-testid=service-form-plex]")
    tabs = admin.page.get_by_role("navigation", name="Admin sections")
    # each tab is a lazily loaded chunk; wait for what it shows once its data is in
    for tab, ready in (("Users", "[data-testid=admin-user-row]"), ("Queue", "[data-testid=admin-queue]"),
                       ("Audit log", "main .state, [data-testid=admin-audit]"),
                       ("Insights", "[data-testid=admin-insights] svg.chart__svg")):
        tabs.get_by_role("link", name=tab).click()
        admin.page.locator(ready).first.wait_for()
        admin.shot(f"admin-{tab.split()[0].lower()}")
        if tab == "Queue":
            assert admin.page.get_by_test_id("admin-queue").get_by_role("alert").count() == 0, "no worker alive"
