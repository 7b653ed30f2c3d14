"""Access JWTs and refresh tokens: forgery, expiry, revocation, rotation and reuse detection."""

from __future__ import annotations

import base64
import json
import time
import warnings

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from medianest.config import Settings
from medianest.sessions import ACCESS_COOKIE, AuthError, SessionManager
from tests.foundation.webapp import build


@pytest.fixture
def manager(settings: Settings, redis_client) -> SessionManager:
    return SessionManager(redis_client, settings.secret_key, access_ttl=900, refresh_ttl=3600)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(issued, **extra) -> dict:
    now = int(time.time())
    return {"sub": issued.user_id, "sid": issued.session_id, "role": "admin", "iat": now, "exp": now + 600,
            "iss": "medianest", "typ": "access", **extra}


def _answer(settings: Settings, token: str) -> int:
    client = build(settings).test_client()
    client.set_cookie(ACCESS_COOKIE, token)
    return client.get("/mine").status_code


def test_a_fresh_session_authenticates(manager: SessionManager, settings: Settings) -> None:
    issued = manager.create("00000000-0000-0000-0000-000000000001", "user", "1.2.3.4", "Firefox")
    principal = manager.authenticate(issued.access_token)
    assert (principal.user_id, principal.role, principal.session_id) == (issued.user_id, "user", issued.session_id)
    assert _answer(settings, issued.access_token) == 200


def test_expired_token_is_refused(manager: SessionManager, settings: Settings) -> None:
    issued = manager.create("00000000-0000-0000-0000-000000000002", "user")
    old = manager.encode_access(issued.user_id, "user", issued.session_id, now=int(time.time()) - 3600)
    with pytest.raises(AuthError, match="expired"):
        manager.authenticate(old)
    assert _answer(settings, old) == 401


def test_alg_none_is_refused(manager: SessionManager, settings: Settings) -> None:
    issued = manager.create("00000000-0000-0000-0000-000000000003", "user")
    forged = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(issued))}."
    with pytest.raises(AuthError):
        manager.authenticate(forged)
    assert _answer(settings, forged) == 401


def test_wrong_key_is_refused(manager: SessionManager, settings: Settings) -> None:
    issued = manager.create("00000000-0000-0000-0000-000000000004", "user")
    forged = jwt.encode(_claims(issued), "another-key-that-is-long-enough-000000", algorithm="HS256")
    assert _answer(settings, forged) == 401


def test_wrong_algorithm_is_refused(manager: SessionManager, settings: Settings) -> None:
    issued = manager.create("00000000-0000-0000-0000-000000000005", "user")
    with warnings.catch_warnings():  # pyjwt warns that our key is short for HS512; the forgery is the point
        warnings.simplefilter("ignore")
        hs512 = jwt.encode(_claims(issued), settings.secret_key, algorithm="HS512")
    assert _answer(settings, hs512) == 401
    # key confusion: an RS256 token whose "public key" is our HMAC secret must not verify
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    rs256 = jwt.encode(_claims(issued), pem, algorithm="RS256")
    assert _answer(settings, rs256) == 401


def test_token_of_a_revoked_session_is_refused_at_once(manager: SessionManager, settings: Settings) -> None:
    issued = manager.create("00000000-0000-0000-0000-000000000006", "user")
    assert _answer(settings, issued.access_token) == 200
    manager.revoke(issued.session_id)
    assert _answer(settings, issued.access_token) == 401


def test_revoking_a_user_ends_all_their_sessions(manager: SessionManager) -> None:
    uid = "00000000-0000-0000-0000-000000000007"
    first, second = manager.create(uid, "user"), manager.create(uid, "user")
    assert len(manager.list_for_user(uid)) == 2
    assert manager.revoke_user(uid) == 2
    for issued in (first, second):
        with pytest.raises(AuthError):
            manager.authenticate(issued.access_token)
    assert manager.list_for_user(uid) == []


def test_role_change_applies_to_live_sessions(manager: SessionManager) -> None:
    uid = "00000000-0000-0000-0000-000000000008"
    issued = manager.create(uid, "admin")
    manager.set_role(uid, "user")
    assert manager.authenticate(issued.access_token).role == "user"


def test_refresh_rotates_and_a_reused_token_revokes_the_session(manager: SessionManager) -> None:
    issued = manager.create("00000000-0000-0000-0000-000000000009", "user")
    rotated = manager.rotate(issued.refresh_token)
    assert rotated.session_id == issued.session_id
    assert rotated.refresh_token != issued.refresh_token
    assert manager.authenticate(rotated.access_token).user_id == issued.user_id
    again = manager.rotate(rotated.refresh_token)
    with pytest.raises(AuthError) as info:
        manager.rotate(issued.refresh_token)  # the first token, already rotated away: stolen
    assert info.value.code == "session_reused"
    for token in (rotated.access_token, again.access_token):
        with pytest.raises(AuthError):
            manager.authenticate(token)
    with pytest.raises(AuthError):
        manager.rotate(again.refresh_token)


@pytest.mark.parametrize("token", [None, "", "garbage", "a" * 32 + ".nope", "x.y.z"])
def test_malformed_refresh_tokens_are_refused(manager: SessionManager, token) -> None:
    with pytest.raises(AuthError):
        manager.rotate(token)


def test_guessed_refresh_secret_does_not_revoke_the_session(manager: SessionManager) -> None:
    issued = manager.create("00000000-0000-0000-0000-00000000000a", "user")
    with pytest.raises(AuthError) as info:
        manager.rotate(f"{issued.session_id}.guessed-secret")
    assert info.value.code == "unauthenticated"
    assert manager.authenticate(issued.access_token).session_id == issued.session_id


def test_tokens_are_plain_hs256_jwts(manager: SessionManager, settings: Settings) -> None:
    issued = manager.create("00000000-0000-0000-0000-00000000000a", "user")
    claims = jwt.decode(issued.access_token, settings.secret_key, algorithms=["HS256"], issuer="medianest")
    assert (claims["sub"], claims["sid"]) == (issued.user_id, issued.session_id)
    assert jwt.get_unverified_header(issued.access_token)["alg"] == "HS256"
    # one signed by PyJWT elsewhere with our key is accepted
    signed_elsewhere = jwt.encode(_claims(issued), settings.secret_key, algorithm="HS256")
    assert manager.authenticate(signed_elsewhere).session_id == issued.session_id
    with pytest.raises(AuthError):
        manager.decode_access(jwt.encode(_claims(issued), "another-key-that-is-long-enough-000000", algorithm="HS256"))
