"""Overseerr's ``/request`` routes: create, list, count, get, approve/decline, delete — plus the status
changes only the outside world causes (media becomes available in Plex, a download fails).

Each change sends the webhook notification Overseerr sends for it: a new request by someone without
auto-approval is MEDIA_PENDING, an auto-approved one MEDIA_AUTO_APPROVED, then MEDIA_APPROVED /
MEDIA_DECLINED / MEDIA_AVAILABLE / MEDIA_FAILED.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from fakes.catalog import movie_by_tmdb, show_by_tmdb
from fakes.overseerr import state as st
from fakes.overseerr.tmdb import poster_path

if TYPE_CHECKING:
    from fakes.overseerr.app import FakeOverseerr

Reply = tuple[Any, int]
FORBIDDEN = ({"status": 403, "error": "You do not have permission to access this endpoint"}, 403)


def _title(media_type: str, tmdb: int) -> tuple[str, int | None, str]:
    item = movie_by_tmdb(tmdb) if media_type == "movie" else show_by_tmdb(tmdb)
    return (item.title, item.year, item.summary) if item else ("", None, "")


def notify(fake: FakeOverseerr, kind: str, req: dict[str, Any], notify_user: bool = True) -> None:
    """Send the webhook notification ``kind`` about ``req``."""
    store = fake.store
    media = store.media[req["_media"]]
    title, year, overview = _title(media["mediaType"], media["tmdbId"])
    label = ("4K " if req["is4k"] else "") + ("Movie" if media["mediaType"] == "movie" else "Series")
    event = {"MEDIA_PENDING": f"New {label} Request", "MEDIA_AUTO_APPROVED": f"{label} Request Automatically Approved",
             "MEDIA_APPROVED": f"{label} Request Approved", "MEDIA_DECLINED": f"{label} Request Declined",
             "MEDIA_AVAILABLE": f"{label} Request Now Available", "MEDIA_FAILED": f"{label} Request Failed"}[kind]
    requester = store.users.get(req["_by"])
    extra = []
    if media["mediaType"] == "tv":
        numbers = ", ".join(str(s["seasonNumber"]) for s in req["seasons"])
        extra = [{"name": "Requested Seasons", "value": numbers}]
    fake.webhook.send({
        "type": kind, "event": event, "subject": f"{title} ({year})" if year else title,
        "message": overview[:500], "image": f"https://image.tmdb.org/t/p/w600_and_h900_bestv2{poster_path(media['tmdbId'])}",
        "notifyUser": requester if notify_user else None, "media": media,
        "request": {"id": req["id"], "requestedBy": requester}, "extra": extra,
    })


def create(fake: FakeOverseerr, user: dict[str, Any], body: dict[str, Any]) -> Reply:
    """``POST /request``."""
    store, media_type, tmdb = fake.store, body["mediaType"], int(body["mediaId"])
    requester = user
    if body.get("userId") is not None:
        if not st.has_permission(user, st.MANAGE_USERS, st.MANAGE_REQUESTS, any_of=False):
            return {"message": "You do not have permission to modify the request user."}, 403
        requester = store.users.get(int(body["userId"]))
        if requester is None:
            return {"message": "User not found"}, 500
    perm = st.REQUEST_MOVIE if media_type == "movie" else st.REQUEST_TV
    if not st.has_permission(requester, st.REQUEST, perm):
        return {"message": f"You do not have permission to make {media_type} requests."}, 403
    is4k = bool(body.get("is4k", False))
    if is4k and not st.has_permission(requester, st.REQUEST_4K,
                                      st.REQUEST_4K_MOVIE if media_type == "movie" else st.REQUEST_4K_TV):
        return {"message": f"You do not have permission to make 4K {media_type} requests."}, 403
    item = movie_by_tmdb(tmdb) if media_type == "movie" else show_by_tmdb(tmdb)
    if item is None:
        return {"message": "Unable to retrieve movie." if media_type == "movie" else "Unable to retrieve series."}, 500
    media = store.media_for(media_type, tmdb)
    if media is None:
        media = store.new_media(media_type, tmdb, getattr(item, "tvdb", None), item.imdb)
    active = [r for r in store.requests_of(media) if r["is4k"] == is4k and r["status"] != st.DECLINED]
    seasons: list[int] = []
    if media_type == "movie":
        if active or media["status4k" if is4k else "status"] == st.AVAILABLE:
            return {"message": "Request for this media already exists."}, 409
    else:
        if "seasons" not in body:
            return {"message": "Cannot read properties of undefined (reading 'filter')"}, 500
        wanted = sorted(item.episodes) if body["seasons"] == "all" else [int(n) for n in body["seasons"]]
        taken = {s["seasonNumber"] for r in active for s in r["seasons"]}
        taken |= {s["seasonNumber"] for s in media["seasons"] if s["status"] == st.AVAILABLE}
        seasons = [n for n in wanted if n in item.episodes and n not in taken]
        if not seasons:
            return {"message": "No seasons available to request"}, 202
    auto = st.has_permission(requester, st.AUTO_APPROVE,
                             st.AUTO_APPROVE_MOVIE if media_type == "movie" else st.AUTO_APPROVE_TV)
    status = st.APPROVED if auto else st.PENDING
    stamp = st.now_iso()
    rid = next(store.request_ids)
    req = {
        "id": rid, "status": status, "createdAt": stamp, "updatedAt": stamp, "type": media_type, "is4k": is4k,
        "serverId": body.get("serverId"), "profileId": body.get("profileId"), "rootFolder": body.get("rootFolder"),
        "languageProfileId": body.get("languageProfileId"), "tags": body.get("tags"), "isAutoRequest": False,
        "seasons": [store.season(n, status) for n in seasons],
        "_media": media["id"], "_by": requester["id"], "_modified_by": user["id"] if auto else None,
    }
    store.requests[rid] = req
    if media["status4k" if is4k else "status"] in (st.UNKNOWN, st.M_PENDING):
        media["status4k" if is4k else "status"] = st.PROCESSING if auto else st.M_PENDING
    media["updatedAt"] = stamp
    notify(fake, "MEDIA_AUTO_APPROVED" if auto else "MEDIA_PENDING", req, notify_user=auto)
    return store.request_view(req), 201


def _visible(user: dict[str, Any]) -> bool:
    return st.has_permission(user, st.MANAGE_REQUESTS, st.REQUEST_VIEW)


def listing(fake: FakeOverseerr, user: dict[str, Any], query: dict[str, Any]) -> Reply:
    """``GET /request``."""
    store = fake.store
    take = int(query.get("take") or 10)
    skip = int(query.get("skip") or 0)
    flt = query.get("filter") or "all"
    by = query.get("requestedBy")
    if by is not None and int(by) != user["id"] and not _visible(user):
        return {"message": "You do not have permission to view this user's requests."}, 403
    request_status = {"approved": [st.APPROVED], "available": [st.APPROVED], "processing": [st.APPROVED],
                      "pending": [st.PENDING], "unavailable": [st.PENDING, st.APPROVED],
                      "failed": [st.FAILED]}.get(flt, [st.PENDING, st.APPROVED, st.DECLINED, st.FAILED])
    media_status = {"available": [st.AVAILABLE], "processing": [1, 2, 3, 4], "unavailable": [1, 2, 3, 4]}.get(flt)
    found = []
    for req in store.requests.values():
        media = store.media[req["_media"]]
        if req["status"] not in request_status:
            continue
        if media_status is not None and media["status4k" if req["is4k"] else "status"] not in media_status:
            continue
        if not _visible(user) and req["_by"] != user["id"]:
            continue
        if by is not None and req["_by"] != int(by):
            continue
        found.append(req)
    if query.get("sort") == "modified":
        found.sort(key=lambda r: r["updatedAt"], reverse=True)
    else:
        found.sort(key=lambda r: r["id"], reverse=True)
    page = found[skip:skip + take]
    info = {"pages": math.ceil(len(found) / take) if take else 0, "pageSize": take, "results": len(found),
            "page": math.ceil(skip / take) + 1 if take else 1}
    return {"pageInfo": info, "results": [store.request_view(r) for r in page]}, 200


def count(fake: FakeOverseerr) -> Reply:
    """``GET /request/count``."""
    reqs = list(fake.store.requests.values())

    def media_status(r: dict[str, Any]) -> int:
        return fake.store.media[r["_media"]]["status4k" if r["is4k"] else "status"]

    approved = [r for r in reqs if r["status"] == st.APPROVED]
    return {"total": len(reqs), "movie": sum(r["type"] == "movie" for r in reqs),
            "tv": sum(r["type"] == "tv" for r in reqs), "pending": sum(r["status"] == st.PENDING for r in reqs),
            "approved": len(approved), "declined": sum(r["status"] == st.DECLINED for r in reqs),
            "processing": sum(media_status(r) != st.AVAILABLE for r in approved),
            "available": sum(media_status(r) == st.AVAILABLE for r in approved)}, 200


def get(fake: FakeOverseerr, user: dict[str, Any], rid: str) -> Reply:
    """``GET /request/{id}``."""
    req = fake.store.requests.get(int(rid)) if rid.isdigit() else None
    if req is None:
        return {"message": "Request not found."}, 404
    if req["_by"] != user["id"] and not _visible(user):
        return {"message": "You do not have permission to view this request."}, 403
    return fake.store.request_view(req), 200


def set_status(fake: FakeOverseerr, user: dict[str, Any], rid: str, action: str) -> Reply:
    """``POST /request/{id}/approve|decline`` (MANAGE_REQUESTS)."""
    if not st.has_permission(user, st.MANAGE_REQUESTS):
        return FORBIDDEN
    req = fake.store.requests.get(int(rid)) if rid.isdigit() else None
    if req is None:
        return {"message": "Request not found."}, 404
    media = fake.store.media[req["_media"]]
    field = "status4k" if req["is4k"] else "status"
    req["status"] = st.APPROVED if action == "approve" else st.DECLINED
    req["_modified_by"], req["updatedAt"] = user["id"], st.now_iso()
    for season in req["seasons"]:
        season["status"] = req["status"]
    if action == "approve" and media[field] in (st.UNKNOWN, st.M_PENDING):
        media[field] = st.PROCESSING
    elif action == "decline" and media[field] != st.AVAILABLE:
        others = [r for r in fake.store.requests_of(media) if r["status"] in (st.PENDING, st.APPROVED)]
        if not others:
            media[field] = st.UNKNOWN
    notify(fake, "MEDIA_APPROVED" if action == "approve" else "MEDIA_DECLINED", req)
    return fake.store.request_view(req), 200


def delete(fake: FakeOverseerr, user: dict[str, Any], rid: str) -> Reply:
    """``DELETE /request/{id}``: 204; others' non-pending requests need MANAGE_REQUESTS (401)."""
    req = fake.store.requests.get(int(rid)) if rid.isdigit() else None
    if req is None:
        return {"message": "Request not found."}, 404
    if not st.has_permission(user, st.MANAGE_REQUESTS) and (req["_by"] != user["id"] or req["status"] != st.PENDING):
        return {"message": "You do not have permission to delete this request."}, 401
    del fake.store.requests[req["id"]]
    media = fake.store.media[req["_media"]]
    field = "status4k" if req["is4k"] else "status"
    if media[field] != st.AVAILABLE and not fake.store.requests_of(media):
        media[field] = st.UNKNOWN
    return "", 204


def make_available(fake: FakeOverseerr, rid: int, rating_key: str | None) -> dict[str, Any] | None:
    """The title landed in Plex: media AVAILABLE (or PARTIALLY_AVAILABLE), requested seasons too."""
    req = fake.store.requests.get(rid)
    if req is None:
        return None
    media = fake.store.media[req["_media"]]
    field = "status4k" if req["is4k"] else "status"
    stamp = st.now_iso()
    if media["mediaType"] == "tv":
        have = {s["seasonNumber"]: s for s in media["seasons"]}
        for season in req["seasons"]:
            if season["seasonNumber"] in have:
                have[season["seasonNumber"]][field] = st.AVAILABLE
            else:
                media["seasons"].append(fake.store.season(season["seasonNumber"], st.AVAILABLE))
        show = show_by_tmdb(media["tmdbId"])
        done = {s["seasonNumber"] for s in media["seasons"] if s["status"] == st.AVAILABLE}
        media[field] = st.AVAILABLE if show and done >= set(show.episodes) else st.PARTIALLY_AVAILABLE
    else:
        media[field] = st.AVAILABLE
    media["ratingKey" if not req["is4k"] else "ratingKey4k"] = rating_key or media["ratingKey"]
    media["mediaAddedAt"], media["updatedAt"] = media["mediaAddedAt"] or stamp, stamp
    for other in fake.store.requests_of(media):
        if other["is4k"] == req["is4k"] and other["status"] == st.APPROVED:
            notify(fake, "MEDIA_AVAILABLE", other)
    return fake.store.request_view(req)


def make_failed(fake: FakeOverseerr, rid: int) -> dict[str, Any] | None:
    """Radarr/Sonarr could not take the request: request FAILED."""
    req = fake.store.requests.get(rid)
    if req is None:
        return None
    req["status"], req["updatedAt"] = st.FAILED, st.now_iso()
    notify(fake, "MEDIA_FAILED", req)
    return fake.store.request_view(req)
