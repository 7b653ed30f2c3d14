"""Sessions: short-lived access JWTs, rotating refresh tokens with reuse detection, revocation in Redis.

A session is a Redis hash `mn:sess:<sid>` holding the user, role, device and the hash of the one refresh
token currently valid for it. Every request re-reads that hash (one round trip), so revoking a session or
disabling a user takes effect on the very next request of every function, not when the JWT expires.
Presenting a refresh token that was already rotated away means it was copied: the session is revoked.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt
import redis

ACCESS_COOKIE = "mn_access"
REFRESH_COOKIE = "mn_refresh"
CSRF_COOKIE = "mn_csrf"
CSRF_HEADER = "X-CSRF-Token"
REFRESH_COOKIE_PATH = "/api/v1/auth"
JWT_ALGORITHM = "HS256"
JWT_ISSUER = "medianest"
LAST_SEEN_GRANULARITY = 60  # seconds; avoids a Redis write on every request


_ROTATE = """
local current = redis.call('HGET', KEYS[1], 'refresh')
if not current then return 'missing' end
if current == ARGV[1] then
  redis.call('HSET', KEYS[1], 'refresh', ARGV[2], 'last_seen', ARGV[4], 'ip', ARGV[5])
  redis.call('SADD', KEYS[2], ARGV[1])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  return 'ok'
end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 'reused' end
return 'invalid'
"""


def revoked_channel(client: redis.Redis) -> str:
    """Where the id of an ended session is published, so its open WebSockets close at once."""
    return f"mn:{client.connection_pool.connection_kwargs.get('db', 0)}:control:session-revoked"


class AuthError(Exception):
    """No valid session; `code` is the API error code."""

    def __init__(self, message: str, code: str = "unauthenticated") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Principal:
    user_id: str
    role: str
    session_id: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class IssuedSession:
    session_id: str
    user_id: str
    role: str
    access_token: str
    refresh_token: str
    csrf_token: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _session_key(sid: str) -> str:
    return f"mn:sess:{sid}"


def _used_key(sid: str) -> str:
    return f"mn:sess:{sid}:used"


def _user_key(user_id: str) -> str:
    return f"mn:user-sess:{user_id}"


class SessionManager:
    def __init__(self, client: redis.Redis, secret_key: str, access_ttl: int = 900, refresh_ttl: int = 2592000):
        self.redis = client
        self.secret_key = secret_key
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self._rotate = client.register_script(_ROTATE)

    # --- tokens -----------------------------------------------------------------------------------
    def encode_access(self, user_id: str, role: str, sid: str, now: int | None = None) -> str:
        now = int(time.time()) if now is None else now
        claims = {"sub": user_id, "sid": sid, "role": role, "iat": now, "exp": now + self.access_ttl,
                  "iss": JWT_ISSUER, "typ": "access"}
        return jwt.encode(claims, self.secret_key, algorithm=JWT_ALGORITHM)

    def decode_access(self, token: str) -> dict[str, Any]:
        """Verify signature (HS256 only), expiry and issuer; anything else is 401."""
        try:
            claims = jwt.decode(
                token, self.secret_key, algorithms=[JWT_ALGORITHM], issuer=JWT_ISSUER, leeway=5,
                options={"require": ["exp", "iat", "sub", "sid", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise AuthError("Your session has expired; sign in again.") from None
        except jwt.PyJWTError:
            raise AuthError("The session token is not valid.") from None
        if claims.get("typ") != "access":
            raise AuthError("The session token is not valid.")
        return claims

    # --- lifecycle --------------------------------------------------------------------------------
    def create(self, user_id: str, role: str, ip: str | None = None, device: str | None = None) -> IssuedSession:
        sid = secrets.token_hex(16)
        refresh_secret = secrets.token_urlsafe(32)
        now = int(time.time())
        pipe = self.redis.pipeline()
        pipe.hset(_session_key(sid), mapping={
            "user_id": user_id, "role": role, "refresh": _hash(refresh_secret), "created_at": now,
            "last_seen": now, "ip": ip or "", "device": (device or "")[:200],
        })
        pipe.expire(_session_key(sid), self.refresh_ttl)
        pipe.sadd(_user_key(user_id), sid)
        pipe.expire(_user_key(user_id), self.refresh_ttl)
        pipe.execute()
        return IssuedSession(sid, user_id, role, self.encode_access(user_id, role, sid, now),
                             f"{sid}.{refresh_secret}", secrets.token_urlsafe(24))

    def authenticate(self, access_token: str | None) -> Principal:
        if not access_token:
            raise AuthError("Sign in to continue.")
        claims = self.decode_access(access_token)
        sid = str(claims["sid"])
        user_id, role, last_seen = self.redis.hmget(_session_key(sid), ["user_id", "role", "last_seen"])
        if user_id is None or user_id != claims["sub"]:
            raise AuthError("This session has ended; sign in again.")
        now = int(time.time())
        if last_seen is None or now - int(last_seen) > LAST_SEEN_GRANULARITY:
            self.redis.hset(_session_key(sid), "last_seen", now)
        return Principal(user_id=user_id, role=role or "user", session_id=sid)

    def rotate(self, refresh_token: str | None, ip: str | None = None) -> IssuedSession:
        """Swap a refresh token for a new pair; a token used twice revokes its session (theft)."""
        sid, _, secret = (refresh_token or "").partition(".")
        if not sid or not secret or len(sid) != 32:
            raise AuthError("Sign in to continue.")
        new_secret = secrets.token_urlsafe(32)
        result = self._rotate(
            keys=[_session_key(sid), _used_key(sid)],
            args=[_hash(secret), _hash(new_secret), self.refresh_ttl, int(time.time()), ip or ""],
        )
        if result == "reused":
            self.revoke(sid)
            raise AuthError("This sign-in was used elsewhere; every device of this session was signed out.",
                            code="session_reused")
        if result != "ok":
            raise AuthError("This session has ended; sign in again.")
        user_id, role = self.redis.hmget(_session_key(sid), ["user_id", "role"])
        if user_id is None:
            raise AuthError("This session has ended; sign in again.")
        return IssuedSession(sid, user_id, role or "user", self.encode_access(user_id, role or "user", sid),
                             f"{sid}.{new_secret}", secrets.token_urlsafe(24))

    def revoke(self, sid: str) -> None:
        user_id = self.redis.hget(_session_key(sid), "user_id")
        pipe = self.redis.pipeline()
        pipe.delete(_session_key(sid), _used_key(sid))
        if user_id:
            pipe.srem(_user_key(user_id), sid)
        pipe.publish(revoked_channel(self.redis), sid)
        pipe.execute()

    def revoke_user(self, user_id: str) -> int:
        sids = list(self.redis.smembers(_user_key(user_id)))
        for sid in sids:
            self.revoke(sid)
        self.redis.delete(_user_key(user_id))
        return len(sids)

    def set_role(self, user_id: str, role: str) -> None:
        """A role change applies to the user's live sessions at once."""
        for sid in self.redis.smembers(_user_key(user_id)):
            if self.redis.exists(_session_key(sid)):
                self.redis.hset(_session_key(sid), "role", role)

    def list_for_user(self, user_id: str) -> list[dict[str, Any]]:
        sessions = []
        for sid in sorted(self.redis.smembers(_user_key(user_id))):
            data = self.redis.hgetall(_session_key(sid))
            if not data:
                self.redis.srem(_user_key(user_id), sid)
                continue
            sessions.append({
                "id": sid, "device": data.get("device", ""), "ip": data.get("ip", ""),
                "created_at": int(data.get("created_at", 0)), "last_seen": int(data.get("last_seen", 0)),
            })
        return sessions

    def exists(self, sid: str) -> bool:
        return bool(self.redis.exists(_session_key(sid)))


def csrf_matches(cookie_value: str | None, header_value: str | None) -> bool:
    """Double-submit check in constant time; both must be present."""
    if not cookie_value or not header_value:
        return False
    return hmac.compare_digest(cookie_value.encode(), header_value.encode())
