"""Sign-in in a real browser: a stranger is refused."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.browser.conftest import Person

pytestmark = pytest.mark.browser


def test_a_stranger_is_refused_with_a_clear_message(people: Callable[[str], Person]) -> None:
    mallory = people("mallory")
    mallory.sign_in_with_plex("mallory", refused=True)

    alert = mallory.page.get_by_role("alert")
    alert.wait_for()
    assert "no access to this server" in alert.inner_text()
    assert re.search(r"/signin$", mallory.page.url)
    # no session was handed out: the app still sees nobody
    me = mallory.context.request.get(f"{mallory.portal.url}/api/v1/auth/me")
    assert me.status == 401
    mallory.shot("refused")
