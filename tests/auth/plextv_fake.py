"""plex.tv faked with `responses`, answering with the shapes of the contract samples in ./fixtures.

Stateful enough for sign-in tests: PINs are created, approved as an account, expired; tokens map to
accounts; `/api/v2/resources` lists our server only for people it is shared with. Like the real plex.tv it
refuses a call without `X-Plex-Client-Identifier` (400), a bad token (401), and a PIN polled by another
client identifier or after expiry (404).
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import secrets
import string
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
import responses

FIXTURES = Path(__file__).parent / "fixtures"
MACHINE_ID = "5e0c1a7f3b9d4e2c8a6f0b1d3c5e7a9b2d4f6a8c"
OTHER_MACHINE_ID = "9a8b7c6d5e4f30211203f4e5d6c7b8a9f0e1d2c3"
JSON = {"Content-Type": "application/json"}


def _fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def _token(label: str) -> str:
    # Realistic plex.tv tokens are 20 characters; random so a leak test cannot pass by coincidence.
    return f"{label}{secrets.token_urlsafe(12)}"


@dataclass(frozen=True)
class Account:
    id: int
    uuid: str
    username: str
    email: str
    token: str
    server_token: str | None = None  # accessToken of OUR server in this account's resources
    owned: bool = False
    other_server_token: str | None = None  # reaches another server only

    @property
    def tokens(self) -> list[str]:
        return [t for t in (self.token, self.server_token, self.other_server_token) if t]


def make_accounts() -> dict[str, Account]:
    """The cast: the server's owner, a friend it is shared with, a stranger, a friend of another server."""
    owner_token = _token("OWN")
    return {
        "owner": Account(1001, "0f1e2d3c4b5a6978", "nestowner", "owner@example.test", owner_token,
                         server_token=owner_token, owned=True),
        "alice": Account(2002, "a11ce0000000a11c", "alice", "alice@example.test", _token("ALI"),
                         server_token=_token("ALS")),
        "mallory": Account(3004, "3a11043y00000000", "mallory", "mallory@example.test", _token("MAL")),
        "carol": Account(4005, "ca401000000ca401", "carol", "carol@example.test", _token("CAR"),
                         other_server_token=_token("CAS")),
    }


class FakePlexTv:
    """Install with `fake.install(rsps)`; drive with approve/expire; `down = True` refuses connections."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.accounts = make_accounts()
        self.pins: dict[int, dict[str, Any]] = {}
        self.down = False
        self.failing: set[str] = set()  # route names refusing connections: pins, user, resources, users
        self.lock = threading.Lock()
        self._ids = itertools.count(111222333)

    @property
    def all_tokens(self) -> list[str]:
        return [t for a in self.accounts.values() for t in a.tokens] + ["DEVICE_TOKEN"]

    def install(self, rsps: responses.RequestsMock) -> None:
        """Register every plex.tv route this project calls."""
        base = re.escape(self.base_url)
        rsps.add_callback(responses.POST, re.compile(rf"{base}/api/v2/pins(\?.*)?$"), self._create_pin)
        rsps.add_callback(responses.GET, re.compile(rf"{base}/api/v2/pins/\d+(\?.*)?$"), self._poll_pin)
        rsps.add_callback(responses.GET, re.compile(rf"{base}/api/v2/user(\?.*)?$"), self._user)
        rsps.add_callback(responses.GET, re.compile(rf"{base}/api/v2/resources(\?.*)?$"), self._resources)
        rsps.add_callback(responses.GET, re.compile(rf"{base}/api/users/?(\?.*)?$"), self._friends)

    # --- control ---------------------------------------------------------------------------------
    def approve(self, pin_id: int, account: str) -> None:
        with self.lock:
            self.pins[pin_id]["authToken"] = self.accounts[account].token
            self.pins[pin_id]["newRegistration"] = False

    def expire(self, pin_id: int) -> None:
        with self.lock:
            self.pins[pin_id]["expired"] = True

    # --- routes ----------------------------------------------------------------------------------
    def _guard(self, request: requests.PreparedRequest, route: str) -> tuple[int, dict[str, str], str] | None:
        if self.down or route in self.failing:
            raise requests.ConnectionError("plex.tv is down")
        if "/api/v2/" in (request.url or "") and not request.headers.get("X-Plex-Client-Identifier"):
            return 400, JSON, json.dumps({"errors": [{"code": 1000, "message":
                                                      "X-Plex-Client-Identifier is missing", "status": 400}]})
        return None

    def _account(self, request: requests.PreparedRequest) -> Account | None:
        token = request.headers.get("X-Plex-Token")
        return next((a for a in self.accounts.values() if token and a.token == token), None)

    def _unauthorized(self) -> tuple[int, dict[str, str], str]:
        return 401, JSON, json.dumps({"errors": [{"code": 1001, "message": "User could not be authenticated",
                                                  "status": 401}]})

    def _create_pin(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        if (refused := self._guard(request, "pins")) is not None:
            return refused
        now = datetime.now(UTC)
        pin = _fixture("pin-created.json")
        strong = "strong=true" in (request.url or "")
        code = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(25 if strong else 4))
        with self.lock:
            pin.update(id=next(self._ids), code=code, clientIdentifier=request.headers["X-Plex-Client-Identifier"],
                       expiresIn=1800, createdAt=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       expiresAt=(now + timedelta(seconds=1800)).strftime("%Y-%m-%dT%H:%M:%SZ"))
            self.pins[pin["id"]] = pin | {"expired": False}
        return 201, JSON, json.dumps(pin)

    def _poll_pin(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        if (refused := self._guard(request, "pins")) is not None:
            return refused
        pin_id = int(re.search(r"/pins/(\d+)", request.url or "").group(1))  # type: ignore[union-attr]
        with self.lock:
            pin = copy.deepcopy(self.pins.get(pin_id))
        if pin is None or pin.pop("expired") or pin["clientIdentifier"] != request.headers["X-Plex-Client-Identifier"]:
            return 404, JSON, json.dumps({"errors": [{"code": 1020, "message": "Code not found or expired"}]})
        return 200, JSON, json.dumps(pin)

    def _user(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        if (refused := self._guard(request, "user")) is not None:
            return refused
        account = self._account(request)
        if account is None:
            return self._unauthorized()
        user = _fixture("user.json")
        user.update(id=account.id, uuid=account.uuid, username=account.username, title=account.username,
                    email=account.email, authToken=account.token,
                    thumb=f"https://plex.tv/users/{account.uuid}/avatar?c=1700000000")
        return 200, JSON, json.dumps(user)

    def _server(self, machine_id: str, token: str, owned: bool) -> dict[str, Any]:
        server = _fixture("resources.json")[0]
        server.update(clientIdentifier=machine_id, accessToken=token, owned=owned,
                      ownerId=None if owned else 1001, sourceTitle=None if owned else "nestowner")
        return server

    def _resources(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        if (refused := self._guard(request, "resources")) is not None:
            return refused
        account = self._account(request)
        if account is None:
            return self._unauthorized()
        items = []
        if account.server_token:
            items.append(self._server(MACHINE_ID, account.server_token, account.owned))
        if account.other_server_token:
            items.append(self._server(OTHER_MACHINE_ID, account.other_server_token, False))
        items.append(_fixture("player.json"))
        return 200, JSON, json.dumps(items)

    def _friends(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        if (refused := self._guard(request, "users")) is not None:
            return refused
        account = self._account(request)
        if account is None or not account.owned:
            return self._unauthorized()
        xml = (FIXTURES / "users.xml").read_text()
        xml = xml.replace('"OTHER_MACHINE_ID"', f'"{OTHER_MACHINE_ID}"').replace('"MACHINE_ID"', f'"{MACHINE_ID}"')
        return 200, {"Content-Type": "application/xml"}, xml
