"""The host allowlist: exact host names over http(s), no look-alikes."""

from __future__ import annotations

import pytest

from functions.downloads.urls import UrlRefused, check_url, youtube_only
from medianest.integrations import DEFAULT_YOUTUBE_HOSTS

HOSTS = list(DEFAULT_YOUTUBE_HOSTS)


@pytest.mark.parametrize("url", [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtube.com/playlist?list=PL1234",
    "http://m.youtube.com/watch?v=x",
    "https://youtu.be/dQw4w9WgXcQ",
    "HTTPS://WWW.YOUTUBE.COM/watch?v=x",
    "https://music.youtube.com:443/watch?v=x",
    "  https://www.youtube.com/watch?v=x  ",
])
def test_allowed(url: str) -> None:
    assert check_url(url, HOSTS) == url.strip()


@pytest.mark.parametrize("url", [
    "https://youtube.com.evil.test/watch?v=x",
    "https://evil.test/youtube.com",
    "https://evil.test/?u=https://youtube.com/",
    "https://notyoutube.com/watch?v=x",
    "https://youtube.com@evil.test/watch",
    "https://evil.test#@youtube.com",
    "https://evil.test\\@youtube.com/",
    "https://evil.test%2f@youtube.com/",
    "https://www.youtube.com.:443/watch",
    "https://\uff59outube.com/watch",  # a full-width y
    "https://youtube.com%2eevil.test/",
    "javascript:alert(document.cookie)//youtube.com",
    "JaVaScRiPt://youtube.com/%0aalert(1)",
    "file:///etc/passwd",
    "ftp://youtube.com/x",
    "data:text/html,youtube.com",
    "//youtube.com/watch?v=x",
    "youtube.com/watch?v=x",
    "https://you tube.com/",
    "https://youtube.com\n.evil.test/",
    "https://youtube.com:99999/",
    "https://[::1]/watch",
    "https://127.0.0.1/watch",
    "",
    "https://youtube.com/" + "a" * 2100,
])
def test_refused(url: str) -> None:
    with pytest.raises(UrlRefused):
        check_url(url, HOSTS)


def test_only_youtube_hosts_restrict_the_extractors() -> None:
    assert youtube_only(HOSTS)
    assert not youtube_only([*HOSTS, "127.0.0.1"])
