"""The session cookies the auth function sets and clears, with the attributes SECURITY.md asks for.

`mn_access` (HttpOnly, every path) carries the access JWT; `mn_refresh` (HttpOnly, only sent to the auth
function) the rotating refresh token; `mn_csrf` is readable by the page, which echoes it in the
`X-CSRF-Token` header. No cookie has a Domain attribute; all are Secure when the portal runs on HTTPS.
`mn_pin` ties a pending Plex PIN to the browser that asked for it, so nobody else can poll it into a
session.
"""

from __future__ import annotations

import secrets

from flask import Response, request

from medianest.config import Settings
from medianest.sessions import ACCESS_COOKIE, CSRF_COOKIE, REFRESH_COOKIE, REFRESH_COOKIE_PATH, IssuedSession

PIN_COOKIE = "mn_pin"
PIN_COOKIE_PATH = f"{REFRESH_COOKIE_PATH}/plex"
PIN_COOKIE_MAX_AGE = 3600


def set_session_cookies(response: Response, issued: IssuedSession, settings: Settings) -> None:
    """Hand the browser a new session (or the rotated one)."""
    secure = settings.secure_cookies
    response.set_cookie(ACCESS_COOKIE, issued.access_token, max_age=settings.access_ttl, path="/",
                        secure=secure, httponly=True, samesite="Lax")
    # Strict: the refresh token is only ever sent by our own page's fetch to /refresh.
    response.set_cookie(REFRESH_COOKIE, issued.refresh_token, max_age=settings.refresh_ttl,
                        path=REFRESH_COOKIE_PATH, secure=secure, httponly=True, samesite="Strict")
    set_csrf_cookie(response, issued.csrf_token, settings)


def set_csrf_cookie(response: Response, value: str, settings: Settings) -> None:
    """The double-submit token; readable by the page on purpose."""
    response.set_cookie(CSRF_COOKIE, value, max_age=settings.refresh_ttl, path="/",
                        secure=settings.secure_cookies, httponly=False, samesite="Lax")


def ensure_csrf_cookie(response: Response, settings: Settings) -> None:
    """Give a browser without a CSRF cookie one, so its first state-changing call can carry it."""
    if not request.cookies.get(CSRF_COOKIE):
        set_csrf_cookie(response, secrets.token_urlsafe(24), settings)


def clear_session_cookies(response: Response, settings: Settings) -> None:
    """Forget the session in the browser (the server side is revoked separately)."""
    secure = settings.secure_cookies
    response.delete_cookie(ACCESS_COOKIE, path="/", secure=secure, httponly=True, samesite="Lax")
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_COOKIE_PATH, secure=secure, httponly=True,
                           samesite="Strict")
    response.delete_cookie(CSRF_COOKIE, path="/", secure=secure, samesite="Lax")


def pin_binder() -> tuple[str, bool]:
    """This browser's PIN-binding secret, and whether it is new (and so must be set as a cookie)."""
    current = request.cookies.get(PIN_COOKIE, "")
    if 20 <= len(current) <= 100:
        return current, False
    return secrets.token_urlsafe(32), True


def set_pin_cookie(response: Response, binder: str, settings: Settings) -> None:
    """Remember the PIN-binding secret in the browser that created the PIN."""
    response.set_cookie(PIN_COOKIE, binder, max_age=PIN_COOKIE_MAX_AGE, path=PIN_COOKIE_PATH,
                        secure=settings.secure_cookies, httponly=True, samesite="Strict")
