"""What each demo account sees in plex.tv's device and friends lists.

Our server appears for the owner (``owned``) and for Alice and Bob (shared, with their own access token).
Dave's server appears for the owner and Carol, so a client that takes "the first server" instead of
matching ``clientIdentifier`` against our ``machineIdentifier`` lets the wrong people in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from fakes import accounts as acc
from fakes.xmlutil import attr, build

CREATED = "2021-01-01T12:12:24Z"
LAST_SEEN = "2026-11-01T09:00:00Z"


def _dashed(address: str) -> str:
    return address.replace(".", "-").replace(":", "-")


def _connections(machine_id: str, host: str, port: int, *, https: bool, relay: bool,
                 ipv6: bool) -> list[dict[str, Any]]:
    public = "203.0.113.10"
    conns: list[dict[str, Any]] = []

    def add(protocol: str, address: str, p: int, uri: str, local: bool, is_relay: bool = False,
            is_v6: bool = False) -> None:
        conns.append({"protocol": protocol, "address": address, "port": p, "uri": uri, "local": local,
                      "relay": is_relay, "IPv6": is_v6})

    if https:
        add("https", host, port, f"https://{_dashed(host)}.{machine_id}.plex.direct:{port}", True)
    add("http", host, port, f"http://{host}:{port}", True)
    if https:
        add("https", public, 32400, f"https://{_dashed(public)}.{machine_id}.plex.direct:32400", False)
    add("http", public, 32400, f"http://{public}:32400", False)
    if ipv6:
        add("http", "::1", port, f"http://[::1]:{port}", True, is_v6=True)
    if relay:
        relay_ip = "198.51.100.7"
        add("https", relay_ip, 8443, f"https://{_dashed(relay_ip)}.{machine_id}.plex.direct:8443", False,
            is_relay=True)
    return conns


def _server(name: str, machine_id: str, token: str, owner: acc.Account | None,
            conns: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": name, "product": "Plex Media Server", "productVersion": "1.41.3.9314-a0bfb8370",
        "platform": "Linux", "platformVersion": "6.1.0", "device": "PC", "clientIdentifier": machine_id,
        "createdAt": CREATED, "lastSeenAt": LAST_SEEN, "provides": "server",
        "ownerId": owner.id if owner else None, "sourceTitle": owner.username if owner else None,
        "publicAddress": "203.0.113.10", "accessToken": token, "owned": owner is None, "home": False,
        "synced": False, "relay": True, "presence": True, "httpsRequired": False,
        "publicAddressMatches": False, "dnsRebindingProtection": False, "natLoopbackSupported": False,
        "connections": conns,
    }


def _player(a: acc.Account) -> dict[str, Any]:
    return {
        "name": f"{a.username}'s phone", "product": "Plex for Android (Mobile)", "productVersion": "10.20.0",
        "platform": "Android", "platformVersion": "14", "device": "Pixel 8",
        "clientIdentifier": f"phone-{a.uuid}", "createdAt": CREATED, "lastSeenAt": LAST_SEEN,
        "provides": "client,player,pubsub-player", "ownerId": None, "sourceTitle": None,
        "publicAddress": "192.0.2.44", "accessToken": f"device-token-{a.key}", "owned": True, "home": False,
        "synced": False, "relay": True, "presence": False, "httpsRequired": False,
        "publicAddressMatches": False, "dnsRebindingProtection": False, "natLoopbackSupported": False,
        "connections": [],
    }


def resources_for(a: acc.Account, pms_url: str, *, https: bool, relay: bool, ipv6: bool) -> list[dict[str, Any]]:
    """``/api/v2/resources`` for one account."""
    parts = urlsplit(pms_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 32400
    owner, dave = acc.OWNER, acc.ACCOUNTS["dave"]
    items: list[dict[str, Any]] = []
    if a.server_token:
        ours = _connections(acc.PLEX_MACHINE_ID, host, port, https=https, relay=relay, ipv6=ipv6)
        items.append(_server(acc.PLEX_SERVER_NAME, acc.PLEX_MACHINE_ID, a.server_token,
                             None if a.role == "owner" else owner, ours))
    if a.foreign_server_token or a.role == "other-server-owner":
        theirs = _connections(acc.FOREIGN_MACHINE_ID, "10.9.8.7", 32400, https=https, relay=relay, ipv6=ipv6)
        token = a.foreign_server_token or a.token
        items.append(_server(acc.FOREIGN_SERVER_NAME, acc.FOREIGN_MACHINE_ID, token,
                             None if a.role == "other-server-owner" else dave, theirs))
    items.append(_player(a))
    return items


def _epoch(iso: str) -> str:
    return str(int(datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()))


def resources_v1_xml(items: list[dict[str, Any]]) -> ET.Element:
    """Legacy ``/api/resources``: ``<Device>`` with ``<Connection>`` children, epoch times, all strings."""
    root = ET.Element("MediaContainer", {"size": str(len(items))})
    for item in items:
        attrs = {k: v for k, v in item.items() if k not in ("connections", "ownerId", "sourceTitle")}
        attrs["createdAt"], attrs["lastSeenAt"] = _epoch(item["createdAt"]), _epoch(item["lastSeenAt"])
        device = build("Device", attrs)
        if item.get("sourceTitle"):
            device.set("sourceTitle", item["sourceTitle"])
        for c in item["connections"]:
            ET.SubElement(device, "Connection", {k: attr(v) for k, v in c.items() if k in
                                                  ("protocol", "address", "port", "uri", "local")})
        root.append(device)
    return root


def _friend_user(friend: acc.Account, servers: list[tuple[str, str]]) -> ET.Element:
    user = ET.Element("User", {
        "id": str(friend.id), "title": friend.username, "username": friend.username, "email": friend.email,
        "recommendationsPlaylistId": "", "thumb": friend.thumb, "protected": "0", "home": "0",
        "allowTuners": "0", "allowSync": "1", "allowCameraUpload": "0", "allowChannels": "0",
        "allowSubtitleAdmin": "0", "filterAll": "", "filterMovies": "", "filterMusic": "",
        "filterPhotos": "", "filterTelevision": "", "restricted": "0",
    })
    for n, (machine_id, name) in enumerate(servers, start=1):
        ET.SubElement(user, "Server", {
            "id": str(9000 + friend.id * 10 + n), "serverId": str(700 + n), "machineIdentifier": machine_id,
            "name": name, "lastSeenAt": "1793000000", "numLibraries": "3", "allLibraries": "1",
            "owned": "0", "pending": "0",
        })
    return user


def friends_xml(a: acc.Account) -> ET.Element:
    """``/api/users`` for the token's account: its friends and which of ITS servers each may use."""
    root = ET.Element("MediaContainer", {"friendlyName": "myPlex", "identifier": "com.plexapp.plugins.myplex"})
    users: list[ET.Element] = []
    if a.role == "owner":
        root.set("machineIdentifier", acc.PLEX_MACHINE_ID)
        for key in acc.OWNER_FRIENDS:
            friend = acc.ACCOUNTS[key]
            shares = [(acc.PLEX_MACHINE_ID, acc.PLEX_SERVER_NAME)] if friend.server_token else []
            users.append(_friend_user(friend, shares))
    elif a.role == "other-server-owner":
        for key in ("carol", "owner"):
            users.append(_friend_user(acc.ACCOUNTS[key], [(acc.FOREIGN_MACHINE_ID, acc.FOREIGN_SERVER_NAME)]))
    for u in users:
        root.append(u)
    root.set("totalSize", str(len(users)))
    root.set("size", str(len(users)))
    return root


def shared_servers_xml(a: acc.Account, machine_id: str) -> ET.Element | None:
    """``/api/servers/{id}/shared_servers``: only the server's owner may read it."""
    if a.role != "owner" or machine_id != acc.PLEX_MACHINE_ID:
        return None
    root = ET.Element("MediaContainer", {"friendlyName": "myPlex", "identifier": "com.plexapp.plugins.myplex",
                                         "machineIdentifier": machine_id})
    friends = [acc.ACCOUNTS[k] for k in acc.OWNER_FRIENDS if acc.ACCOUNTS[k].server_token]
    for n, f in enumerate(friends, start=1):
        ET.SubElement(root, "SharedServer", {
            "id": str(800 + n), "username": f.username, "email": f.email, "userID": str(f.id),
            "accessToken": f.server_token or "", "name": acc.PLEX_SERVER_NAME, "acceptedAt": "1700000000",
            "invitedAt": "1699990000", "allowSync": "1", "allowCameraUpload": "0", "allowChannels": "0",
            "allowTuners": "0", "allowSubtitleAdmin": "0", "owned": "0", "allLibraries": "1",
            "filterAll": "", "filterMovies": "", "filterMusic": "", "filterPhotos": "", "filterTelevision": "",
        })
    root.set("size", str(len(friends)))
    return root
