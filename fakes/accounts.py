"""Fixed demo identities shared by the plex.tv and Plex Media Server fakes.

Tokens are constants so tests, ``make demo`` and documentation can name them. There are two kinds, as
with the real services: a plex.tv account token (``token``, what the PIN login returns and what
``/api/v2/user`` accepts) and, for people who may use our server, a server access token
(``server_token``, the ``accessToken`` of our server in their ``/api/v2/resources``). The Plex Media Server
fake accepts only server access tokens — plus the owner's account token, which is the same value, as
on a real owned server — so a client that sends a friend's plex.tv token to the server gets a 401.
"""

from __future__ import annotations

from dataclasses import dataclass

# Our server (plex.tv ``clientIdentifier`` == PMS ``machineIdentifier``).
PLEX_MACHINE_ID = "5e0c1a7f3b9d4e2c8a6f0b1d3c5e7a9b2d4f6a8c"
PLEX_SERVER_NAME = "MediaNest Plex"
# A server owned by someone else that the owner and Carol can see.
FOREIGN_MACHINE_ID = "9a8b7c6d5e4f30211203f4e5d6c7b8a9f0e1d2c3"
FOREIGN_SERVER_NAME = "Dave's Plex"

OWNER_TOKEN = "fake-owner-plextv-token"
ALICE_TOKEN = "fake-alice-plextv-token"
BOB_TOKEN = "fake-bob-plextv-token"
MALLORY_TOKEN = "fake-mallory-plextv-token"
CAROL_TOKEN = "fake-carol-plextv-token"
DAVE_TOKEN = "fake-dave-plextv-token"

ALICE_SERVER_TOKEN = "fake-alice-pms-token"
BOB_SERVER_TOKEN = "fake-bob-pms-token"
CAROL_FOREIGN_SERVER_TOKEN = "fake-carol-daves-pms-token"
OWNER_FOREIGN_SERVER_TOKEN = "fake-owner-daves-pms-token"


@dataclass(frozen=True)
class Account:
    """One plex.tv account and what it may reach."""

    key: str  # short name used by control endpoints ("owner", "alice", ...)
    id: int
    uuid: str
    username: str
    email: str
    token: str
    role: str  # owner | friend | stranger | other-server-friend | other-server-owner
    server_token: str | None = None  # access token for OUR server, None = no access
    foreign_server_token: str | None = None  # access token for Dave's server

    @property
    def thumb(self) -> str:
        """Avatar URL in plex.tv's format."""
        return f"https://plex.tv/users/{self.uuid}/avatar?c=1700000000"


ACCOUNTS: dict[str, Account] = {
    a.key: a
    for a in (
        Account("owner", 1001, "0f1e2d3c4b5a6978", "nestowner", "owner@medianest.test", OWNER_TOKEN,
                "owner", server_token=OWNER_TOKEN, foreign_server_token=OWNER_FOREIGN_SERVER_TOKEN),
        Account("alice", 2002, "a11ce0000000a11c", "alice", "alice@medianest.test", ALICE_TOKEN,
                "friend", server_token=ALICE_SERVER_TOKEN),
        Account("bob", 2003, "b0b0000000000b0b", "bob", "bob@medianest.test", BOB_TOKEN,
                "friend", server_token=BOB_SERVER_TOKEN),
        Account("mallory", 3004, "3a11043y00000000", "mallory", "mallory@example.test", MALLORY_TOKEN,
                "stranger"),
        Account("carol", 4005, "ca401000000ca401", "carol", "carol@example.test", CAROL_TOKEN,
                "other-server-friend", foreign_server_token=CAROL_FOREIGN_SERVER_TOKEN),
        Account("dave", 5006, "da4e000000da4e00", "dave", "dave@example.test", DAVE_TOKEN,
                "other-server-owner"),
    )
}
OWNER = ACCOUNTS["owner"]

# People on the owner's plex.tv friends list (``/api/users``): Alice and Bob share our server; Carol is a
# friend with no share of ours (she only reaches Dave's server), so "is a friend" is not "has access".
OWNER_FRIENDS = ("alice", "bob", "carol")


def account_by_token(token: str | None) -> Account | None:
    """The account whose plex.tv token this is."""
    if not token:
        return None
    return next((a for a in ACCOUNTS.values() if a.token == token), None)


def account_by_server_token(token: str | None) -> Account | None:
    """The account allowed on our server with this access token (owner's account token included)."""
    if not token:
        return None
    return next((a for a in ACCOUNTS.values() if a.server_token == token), None)
