"""A fake plex.tv: PIN login, who-am-I, server resources and the owner's friends list.

Behaviour follows the plex.tv notes in the contracts: ``X-Plex-Client-Identifier`` (header or query) is
required on ``/api/v2/*`` (400, error code 1000), tokens are checked (401, code 1001), an unknown or
expired PIN is a 404 (code 1020), a PIN can only be polled by the client that created it, and answers
are XML unless ``Accept: application/json``.

Accounts and tokens: :mod:`fakes.accounts`. Control endpoints (besides those in :mod:`fakes.base`):

* ``POST /__control/pins/<id>/approve`` ``{"account": "alice"}`` — sign that PIN in as an account.
* ``POST /__control/pins/by-code/<code>/approve`` — the same by PIN code (what the ``/auth`` page uses).
* ``POST /__control/pins/<id>/expire`` — the next poll gets 404.
* ``POST /__control/auto-approve`` ``{"account": "bob", "after_polls": 2}`` — every PIN signs in as
  that account on its N-th poll; ``{"account": null}`` turns it off.
* ``POST /__control/accounts/<key>/revoke`` — that account's plex.tv token stops working.
* ``POST /__control/pms`` ``{"url": "http://127.0.0.1:1234"}`` — where our server's connection points.
* ``GET  /__control/pins`` — the PINs so far.

``GET /auth#?clientID=..&code=..`` is a small page standing in for app.plex.tv: it offers a button per
account and approves the PIN through the control endpoint, so the demo's login can be clicked through.
"""

from __future__ import annotations

import itertools
import json
import secrets
import string
import time
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from flask import Flask, Response, jsonify, request

from fakes import accounts as acc
from fakes.base import FakeService
from fakes.plextv_pages import AUTH_PAGE
from fakes.plextv_resources import friends_xml, resources_for, resources_v1_xml, shared_servers_xml
from fakes.xmlutil import build, wants_json, xml_response

STRONG_PIN_TTL = 1800
SHORT_PIN_TTL = 900


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _error(code: int, message: str, status: int) -> Response:
    if wants_json():
        return Response(
            _json_bytes({"errors": [{"code": code, "message": message, "status": status}]}),
            status=status, content_type="application/json",
        )
    root = ET.Element("errors")
    ET.SubElement(root, "error", {"code": str(code), "message": message, "status": str(status)})
    return xml_response(root, status=status)


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data).encode()


def _client_id() -> str | None:
    return request.headers.get("X-Plex-Client-Identifier") or request.args.get("X-Plex-Client-Identifier")


def _token() -> str | None:
    return request.headers.get("X-Plex-Token") or request.args.get("X-Plex-Token")


def _flag(name: str) -> bool:
    return request.args.get(name, "0").lower() in ("1", "true")


class FakePlexTv(FakeService):
    """plex.tv with the accounts of :mod:`fakes.accounts`."""

    name = "plextv"

    def __init__(self, pms_url: str | None = None) -> None:
        self.pms_url = pms_url or "http://127.0.0.1:32400"
        self.pin_ttl: int | None = None  # override expiresIn (seconds) for every new PIN
        super().__init__()

    def reset_state(self) -> None:
        """No PINs, no auto-approval, no revoked tokens."""
        self.pins: dict[int, dict[str, Any]] = {}
        self.auto_approve: tuple[str, int] | None = None
        self.revoked: set[str] = set()
        self._ids = itertools.count(1_000_001)

    def describe(self) -> dict[str, Any]:
        """URL and the account tokens a demo user signs in with."""
        return {
            "url": self.url,
            "accounts": {k: {"id": a.id, "username": a.username, "token": a.token, "role": a.role,
                             "server_token": a.server_token} for k, a in acc.ACCOUNTS.items()},
            "auth_page": f"{self.url}/auth",
        }

    # -- Python control API ----------------------------------------------------------------------
    def approve(self, pin_id: int, account: str) -> None:
        """Sign a PIN in as ``account`` (a key of :data:`fakes.accounts.ACCOUNTS`)."""
        with self.lock:
            pin = self.pins[pin_id]
            pin["authToken"] = acc.ACCOUNTS[account].token
            pin["newRegistration"] = False

    def expire(self, pin_id: int) -> None:
        """Make a PIN expire now."""
        with self.lock:
            self.pins[pin_id]["expires"] = 0.0

    def set_auto_approve(self, account: str | None, after_polls: int = 1) -> None:
        """Approve every PIN as ``account`` on its ``after_polls``-th poll (None turns it off)."""
        with self.lock:
            self.auto_approve = None if account is None else (acc.ACCOUNTS[account].key, max(1, after_polls))

    def _account(self, token: str | None) -> acc.Account | None:
        account = acc.account_by_token(token)
        if account is None or account.token in self.revoked:
            return None
        return account

    # -- routes ----------------------------------------------------------------------------------
    def build_app(self, app: Flask) -> None:
        """plex.tv routes."""
        app.before_request(self._check_identity)
        app.add_url_rule("/api/v2/pins", view_func=self._create_pin, methods=["POST"])
        app.add_url_rule("/api/v2/pins/<int:pin_id>", view_func=self._poll_pin, methods=["GET"])
        app.add_url_rule("/api/v2/user", view_func=self._user, methods=["GET"])
        app.add_url_rule("/api/v2/ping", view_func=self._ping, methods=["GET"])
        app.add_url_rule("/users/account.json", view_func=self._legacy_account, methods=["GET"])
        app.add_url_rule("/users/account", view_func=self._legacy_account, methods=["GET"])
        app.add_url_rule("/api/v2/resources", view_func=self._resources, methods=["GET"])
        app.add_url_rule("/api/resources", view_func=self._resources_v1, methods=["GET"])
        app.add_url_rule("/api/users", view_func=self._users, methods=["GET"], strict_slashes=False)
        app.add_url_rule("/api/servers/<machine_id>/shared_servers", view_func=self._shared_servers,
                         methods=["GET"])
        app.add_url_rule("/auth", view_func=lambda: Response(AUTH_PAGE, content_type="text/html"))
        self._add_plextv_controls(app)

    def _check_identity(self) -> Response | None:
        path = request.path
        if path.startswith("/api/v2/") and not _client_id():
            return _error(1000, "X-Plex-Client-Identifier is missing", 400)
        needs_token = path.startswith(("/api/", "/users/")) and not path.startswith("/api/v2/pins")
        if needs_token and self._account(_token()) is None:
            return _error(1001, "User could not be authenticated", 401)
        return None

    def _pin_view(self, pin: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in pin.items() if k not in ("expires", "polls")}

    def _respond_pin(self, pin: dict[str, Any], status: int) -> Response:
        view = self._pin_view(pin)
        if wants_json():
            return Response(_json_bytes(view), status=status, content_type="application/json")
        flat = {k: v for k, v in view.items() if k != "location"}
        return xml_response(build("pin", flat | {"location": view["location"]}), status=status)

    def _create_pin(self) -> Response:
        strong = request.args.get("strong", "false").lower() in ("true", "1")
        now = time.time()
        ttl = self.pin_ttl or (STRONG_PIN_TTL if strong else SHORT_PIN_TTL)
        if strong:
            code = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(25))
        else:
            code = "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(4))
        with self.lock:
            pin_id = next(self._ids)
            pin = {
                "id": pin_id, "code": code, "product": request.headers.get("X-Plex-Product", "0"),
                "trusted": False, "qr": f"https://plex.tv/api/v2/pins/qr/{code}",
                "clientIdentifier": _client_id(),
                "location": {"code": "GB", "european_union_member": False, "continent_code": "EU",
                             "country": "United Kingdom", "city": "London", "time_zone": "Europe/London",
                             "postal_code": "N19", "in_privacy_restricted_country": True,
                             "subdivisions": "England", "coordinates": "51.5, -0.1"},
                "expiresIn": ttl, "createdAt": _iso(now), "expiresAt": _iso(now + ttl),
                "authToken": None, "newRegistration": None, "expires": now + ttl, "polls": 0,
            }
            self.pins[pin_id] = pin
        return self._respond_pin(pin, 201)

    def _poll_pin(self, pin_id: int) -> Response:
        with self.lock:
            pin = self.pins.get(pin_id)
            if pin is None or pin["expires"] <= time.time() or pin["clientIdentifier"] != _client_id():
                return _error(1020, "Code not found or expired", 404)
            pin["polls"] += 1
            pin["expiresIn"] = max(0, int(pin["expires"] - time.time()))
            if self.auto_approve and pin["authToken"] is None and pin["polls"] >= self.auto_approve[1]:
                pin["authToken"] = acc.ACCOUNTS[self.auto_approve[0]].token
                pin["newRegistration"] = False
            return self._respond_pin(dict(pin), 200)

    def _user_dict(self, a: acc.Account) -> dict[str, Any]:
        owner = a.role == "owner"
        return {
            "id": a.id, "uuid": a.uuid, "username": a.username, "title": a.username, "email": a.email,
            "friendlyName": a.username.title(), "locale": None, "confirmed": True, "emailOnlyAuth": False,
            "hasPassword": True, "protected": False, "thumb": a.thumb, "authToken": a.token,
            "mailingListStatus": "unsubscribed", "mailingListActive": False, "scrobbleTypes": "",
            "country": "GB",
            "subscription": {"active": owner, "subscribedAt": "2021-04-01T10:00:00Z" if owner else None,
                             "status": "Active" if owner else "Inactive", "paymentService": None,
                             "plan": "lifetime" if owner else None, "features": ["webhooks"] if owner else []},
            "subscriptionDescription": None, "restricted": False, "anonymous": None, "home": False,
            "guest": False, "homeSize": 1, "homeAdmin": False, "maxHomeSize": 15,
            "rememberExpiresAt": 1893456000, "roles": [], "entitlements": [],
            "profile": {"autoSelectAudio": True, "defaultAudioLanguage": None,
                        "defaultSubtitleLanguage": None, "autoSelectSubtitle": 1,
                        "defaultSubtitleAccessibility": 0, "defaultSubtitleForced": 0},
            "services": [], "experimentalFeatures": False, "twoFactorEnabled": False,
            "backupCodesCreated": False, "joinedAt": 1339124759,
        }

    def _user(self) -> Response:
        data = self._user_dict(self._account(_token()))  # type: ignore[arg-type]
        if wants_json():
            return jsonify(data)
        return xml_response(build("user", data))

    def _ping(self) -> Response:
        if wants_json():
            return jsonify({"pong": True})
        return xml_response(ET.Element("pong", {"value": "1"}))

    def _legacy_account(self) -> Response:
        a = self._account(_token())
        d = self._user_dict(a)  # type: ignore[arg-type]
        user = {"id": d["id"], "uuid": d["uuid"], "email": d["email"], "joined_at": "2012-06-08T03:05:59Z",
                "username": d["username"], "title": d["title"], "thumb": d["thumb"], "hasPassword": True,
                "authToken": d["authToken"], "subscription": d["subscription"], "roles": {"roles": []},
                "entitlements": []}
        return jsonify({"user": user})

    def _resources_list(self, a: acc.Account) -> list[dict[str, Any]]:
        return resources_for(a, self.pms_url, https=_flag("includeHttps"), relay=_flag("includeRelay"),
                             ipv6=_flag("includeIPv6"))

    def _resources(self) -> Response:
        items = self._resources_list(self._account(_token()))  # type: ignore[arg-type]
        if wants_json():
            return jsonify(items)
        root = ET.Element("resources", {"size": str(len(items))})
        for item in items:
            conns = item["connections"]
            elem = build("resource", {k: v for k, v in item.items() if k != "connections"})
            holder = ET.SubElement(elem, "connections")
            for c in conns:
                holder.append(build("connection", c))
            root.append(elem)
        return xml_response(root)

    def _resources_v1(self) -> Response:
        return xml_response(resources_v1_xml(self._resources_list(self._account(_token()))))  # type: ignore[arg-type]

    def _users(self) -> Response:
        return xml_response(friends_xml(self._account(_token())))  # type: ignore[arg-type]

    def _shared_servers(self, machine_id: str) -> Response:
        root = shared_servers_xml(self._account(_token()), machine_id)  # type: ignore[arg-type]
        if root is None:
            return _error(1001, "User could not be authenticated", 401)
        return xml_response(root)

    # -- control routes --------------------------------------------------------------------------
    def _add_plextv_controls(self, app: Flask) -> None:
        def account_from_body() -> str | None:
            body = request.get_json(silent=True) or {}
            key = body.get("account", "owner")
            return key if key in acc.ACCOUNTS else None

        @app.post("/__control/pins/<int:pin_id>/approve")
        def control_approve(pin_id: int) -> Any:
            key = account_from_body()
            if key is None or pin_id not in self.pins:
                return jsonify({"error": "unknown pin or account"}), 404
            self.approve(pin_id, key)
            return jsonify({"approved": pin_id, "account": key})

        @app.post("/__control/pins/by-code/<code>/approve")
        def control_approve_code(code: str) -> Any:
            key = account_from_body()
            pin_id = next((p["id"] for p in self.pins.values() if p["code"] == code), None)
            if key is None or pin_id is None:
                return jsonify({"error": "unknown pin code or account"}), 404
            self.approve(pin_id, key)
            return jsonify({"approved": pin_id, "account": key})

        @app.post("/__control/pins/<int:pin_id>/expire")
        def control_expire(pin_id: int) -> Any:
            if pin_id not in self.pins:
                return jsonify({"error": "unknown pin"}), 404
            self.expire(pin_id)
            return jsonify({"expired": pin_id})

        @app.get("/__control/pins")
        def control_pins() -> Any:
            with self.lock:
                return jsonify([self._pin_view(p) | {"polls": p["polls"]} for p in self.pins.values()])

        @app.post("/__control/auto-approve")
        def control_auto_approve() -> Any:
            body = request.get_json(silent=True) or {}
            key = body.get("account")
            if key is not None and key not in acc.ACCOUNTS:
                return jsonify({"error": "unknown account"}), 404
            self.set_auto_approve(key, int(body.get("after_polls", 1)))
            return jsonify({"account": key, "after_polls": int(body.get("after_polls", 1))})

        @app.post("/__control/accounts/<key>/revoke")
        def control_revoke(key: str) -> Any:
            if key not in acc.ACCOUNTS:
                return jsonify({"error": "unknown account"}), 404
            with self.lock:
                self.revoked.add(acc.ACCOUNTS[key].token)
            return jsonify({"revoked": key})

        @app.post("/__control/pms")
        def control_pms() -> Any:
            url = (request.get_json(silent=True) or {}).get("url")
            if not isinstance(url, str) or not url.startswith("http"):
                return jsonify({"error": "url must be an http(s) URL"}), 400
            self.pms_url = url.rstrip("/")
            return jsonify({"url": self.pms_url})
