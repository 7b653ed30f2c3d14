"""Sign-in with Plex: create a PIN, then poll it until plex.tv hands over the account's token.

The browser polls us and we poll plex.tv once per call. A pending PIN lives in Redis
(`mn:plexpin:<id>`: its code, when it expires, and the hash of the `mn_pin` cookie of the browser that
created it). When the token arrives, one `SET NX` claim on the PIN lets exactly one poll go on to read the
account and its servers, so concurrent polls can never turn one PIN into two sessions. The account gets
in only when plex.tv lists the linked server (same machineIdentifier, provides `server`) among its
resources; otherwise nothing about it is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from functions.auth.accounts import account_disabled, begin_session, linked_server, plex_client
from medianest.clients import plextv
from medianest.errors import ApiError, not_found
from medianest.http import UpstreamError
from medianest.sessions import IssuedSession
from medianest.store import users
from medianest.store.sealed import USER_PLEX_TOKEN, USER_SERVER_TOKEN
from medianest.web import services

log = logging.getLogger(__name__)
# A PIN's record outlives the PIN a little, so late polls still get 410 instead of 404.
RECORD_GRACE = 600
MIN_PIN_TTL = 60


def _pin_key(pin_id: int) -> str:
    """Redis key of a pending PIN's record."""
    return f"mn:plexpin:{pin_id}"


def _claim_key(pin_id: int) -> str:
    """Redis key whose creation (SET NX) consumes the PIN."""
    return f"mn:plexpin:{pin_id}:claim"


def _digest(binder: str) -> str:
    """What is stored of the browser's PIN-binding secret."""
    return hashlib.sha256(binder.encode()).hexdigest()


def _expired(message: str = "This sign-in code has expired; start again.") -> ApiError:
    """The 410 answer for a PIN that can no longer sign anyone in."""
    return ApiError(410, "expired", message)


@dataclass(frozen=True)
class PollResult:
    status: str  # "waiting" or "authorized"
    user: dict[str, Any] | None = None
    issued: IssuedSession | None = None


def create_pin(binder: str) -> dict[str, Any]:
    """Ask plex.tv for a strong PIN and remember it for the browser holding `binder`."""
    svc = services()
    with svc.db.connection() as conn:
        linked_server(conn)
        client = plex_client(conn)
    pin = client.create_pin()
    expires_at = pin.expires_at.timestamp()
    ttl = max(MIN_PIN_TTL, int(expires_at - time.time()))
    key = _pin_key(pin.id)
    pipe = svc.redis.pipeline()
    pipe.hset(key, mapping={"code": pin.code, "binder": _digest(binder), "expires_at": int(expires_at)})
    pipe.expire(key, ttl + RECORD_GRACE)
    pipe.execute()
    return {"pin_id": pin.id, "code": pin.code, "auth_url": client.auth_url(pin.code),
            "expires_at": datetime.fromtimestamp(expires_at, UTC)}


def poll_pin(pin_id: int, binder: str | None) -> PollResult:
    """One poll: waiting, or authorized with a new session; raises the API's 403/404/409/410 answers."""
    svc = services()
    with svc.db.connection() as conn:
        machine = linked_server(conn)
        client = plex_client(conn)
    pending = svc.redis.hgetall(_pin_key(pin_id))
    # Another browser's PIN looks exactly like an unknown one: PIN ids are guessable numbers.
    if not pending or not binder or not hmac.compare_digest(pending.get("binder", ""), _digest(binder)):
        raise not_found("That sign-in code")
    if svc.redis.exists(_claim_key(pin_id)):
        raise _expired("This sign-in code was already used; start again.")
    if time.time() >= int(pending["expires_at"]):
        raise _expired()
    try:
        pin = client.poll_pin(pin_id, pending["code"])
    except plextv.PinExpired:
        raise _expired() from None
    if pin.auth_token is None:
        return PollResult("waiting")
    claim_ttl = max(MIN_PIN_TTL, svc.redis.ttl(_pin_key(pin_id)))
    if not svc.redis.set(_claim_key(pin_id), "1", nx=True, ex=claim_ttl):
        raise _expired("This sign-in code was already used; start again.")
    try:
        account = client.user(pin.auth_token)
        resources = client.resources(pin.auth_token)
    except UpstreamError:
        svc.redis.delete(_claim_key(pin_id))  # plex.tv hiccup: let the next poll try again
        raise
    except plextv.PlexTvUnauthorized:
        raise _expired("plex.tv did not accept this sign-in; start again.") from None
    access = plextv.server_access(resources, machine)
    if access is None:
        log.info("plex sign-in refused: no access to the linked server", extra={"plex_id": account.id})
        raise ApiError(403, "no_server_access",
                       "This Plex account has no access to this server; ask its owner to share it with you.")
    user = _store_account(account, access, pin.auth_token)
    issued = begin_session(user)
    log.info("plex sign-in", extra={"user_id": str(user["id"]), "role": user["role"]})
    return PollResult("authorized", user, issued)


def _store_account(account: plextv.PlexAccount, access: plextv.PlexResource, token: str) -> dict[str, Any]:
    """Upsert the account by plex id with its tokens sealed; refuses a disabled account untouched."""
    svc = services()
    with svc.db.connection() as conn:
        existing = users.get_by_plex_id(conn, account.id, for_update=True)
        if existing is not None and existing["status"] != "active":
            log.info("plex sign-in refused: account disabled", extra={"user_id": str(existing["id"])})
            raise account_disabled()
        user = users.upsert_plex_sign_in(conn, plex_id=account.id, plex_uuid=account.uuid,
                                         username=account.username, email=account.email, thumb=account.thumb,
                                         owner=access.owned)
        server_token = access.access_token
        users.set_plex_tokens(
            conn, user["id"], svc.sealer.seal(token, USER_PLEX_TOKEN.aad(user["id"])),
            svc.sealer.seal(server_token, USER_SERVER_TOKEN.aad(user["id"])) if server_token else None,
        )
    return user
