"""Weekly quotas: movies and seasons per user over a rolling week, admins exempt, with when it resets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def _ask(client, tmdb_id: int, media_type: str = "movie", **extra):
    return client.post("/requests", json={"media_type": media_type, "tmdb_id": tmdb_id, **extra})


def _age(db_conn, request_id, days: float) -> None:
    db_conn.execute("UPDATE media_requests SET created_at = now() - %s * interval '1 day' WHERE id = %s",
                    (days, request_id))


def test_movie_quota_with_reset_time(overseerr, overseerr_on, user, admin, db_conn):
    overseerr_on(quota_movies_per_week=2)
    for tmdb in (1, 2, 3, 4, 5):
        overseerr.add_movie(tmdb, f"Film {tmdb}")
    first = _ask(user, 1).json
    _age(db_conn, first["id"], 3)
    assert _ask(user, 2).status_code == 201
    refused = _ask(user, 3)
    assert refused.status_code == 429
    error = refused.json["error"]
    assert error["code"] == "quota_exceeded"
    assert (error["details"]["limit"], error["details"]["used"]) == (2, 2)
    resets_at = datetime.fromisoformat(error["details"]["resets_at"].replace("Z", "+00:00"))
    expected = datetime.now(UTC) + timedelta(days=4)
    assert abs((resets_at - expected).total_seconds()) < 120  # the oldest request leaves the window first
    assert 4 * 86400 - 120 < int(refused.headers["Retry-After"]) <= 4 * 86400 + 60
    assert "weekly limit of 2 movies" in error["message"]
    assert len([c for c in overseerr.calls if c[0] == "POST"]) == 2
    # admins are exempt
    assert _ask(admin, 3).status_code == 201
    # once a request is older than a week it no longer counts
    _age(db_conn, first["id"], 8)
    assert _ask(user, 4).status_code == 201


def test_declined_requests_do_not_count(overseerr, overseerr_on, user, db_conn):
    overseerr_on(quota_movies_per_week=1)
    overseerr.add_movie(11, "One")
    overseerr.add_movie(12, "Two")
    first = _ask(user, 11).json
    assert _ask(user, 12).status_code == 429
    db_conn.execute("UPDATE media_requests SET status = 'declined' WHERE id = %s", (first["id"],))
    assert _ask(user, 12).status_code == 201


def test_season_quota(overseerr, overseerr_on, user, other):
    overseerr_on(quota_seasons_per_week=3)
    overseerr.add_show(2001, "Long show", seasons=5)
    too_many = _ask(user, 2001, "tv")
    assert too_many.status_code == 429
    assert too_many.json["error"]["details"]["resets_at"] is None  # five seasons never fit a limit of three
    assert _ask(user, 2001, "tv", seasons=[1, 2]).status_code == 201
    over = _ask(user, 2001, "tv", seasons=[3, 4])
    assert over.status_code == 429
    assert over.json["error"]["details"]["used"] == 2
    assert over.json["error"]["details"]["resets_at"] is not None
    assert _ask(user, 2001, "tv", seasons=[3]).status_code == 201
    # quotas are per user
    assert _ask(other, 2001, "tv", seasons=[4, 5]).status_code == 201


def test_zero_means_none_allowed(overseerr, overseerr_on, user):
    overseerr_on(quota_movies_per_week=0)
    refused = _ask(user, 438631)
    assert refused.status_code == 429
    assert refused.json["error"]["details"]["resets_at"] is None
