"""Admin user management: the list with counts, role and status changes taking effect at once, the
last-admin guard, the audit log, and importing the Plex server's shared users."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from flask import Flask

from tests.auth.conftest import csrf_headers
from tests.auth.plextv_fake import FakePlexTv


def audit_rows(db_conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    return db_conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall()


def test_users_list_has_roles_statuses_and_counts(app: Flask, make_user, signed_in, db_conn) -> None:
    admin, user = make_user(role="admin"), make_user(username="quiet")
    db_conn.execute("INSERT INTO media_requests (user_id, tmdb_id, media_type, title) VALUES"
                    " (%s, 1, 'movie', 'A'), (%s, 2, 'movie', 'B')", (user["id"], user["id"]))
    db_conn.execute("INSERT INTO youtube_downloads (user_id, url, quality) VALUES (%s, 'https://youtu.be/x', 'best')",
                    (admin["id"],))
    client, _ = signed_in(app, admin)
    body = client.get("/users").get_json()
    assert body["total"] == 2
    by_id = {u["id"]: u for u in body["items"]}
    assert (by_id[str(user["id"])]["request_count"], by_id[str(user["id"])]["download_count"]) == (2, 0)
    assert (by_id[str(admin["id"])]["request_count"], by_id[str(admin["id"])]["download_count"]) == (0, 1)
    assert {"role", "status", "last_login_at"} <= set(by_id[str(user["id"])])
    assert "plex_token_sealed" not in str(body)
    assert "password_hash" not in str(body)


def test_disabling_a_user_kills_their_live_session_at_once(app: Flask, make_user, signed_in, db_conn) -> None:
    admin, user = make_user(role="admin"), make_user()
    admin_client, _ = signed_in(app, admin)
    user_client, _ = signed_in(app, user)
    second_device, _ = signed_in(app, user)
    assert user_client.get("/me").status_code == 200
    response = admin_client.patch(f"/users/{user['id']}", json={"status": "disabled"},
                                  headers=csrf_headers(admin_client))
    assert response.status_code == 200
    assert response.get_json()["status"] == "disabled"
    for device in (user_client, second_device):
        assert device.get("/me").status_code == 401  # the very next request, not when the JWT expires
        assert device.post("/refresh", headers=csrf_headers(device)).status_code == 401
    [entry] = audit_rows(db_conn)
    assert (entry["action"], entry["actor_id"], entry["target_id"]) == ("user.update", admin["id"], str(user["id"]))
    assert entry["details"] == {"changes": {"status": {"from": "active", "to": "disabled"}}}


def test_a_role_change_applies_to_live_sessions_at_once(app: Flask, make_user, signed_in) -> None:
    admin, user = make_user(role="admin"), make_user()
    admin_client, _ = signed_in(app, admin)
    user_client, _ = signed_in(app, user)
    assert user_client.get("/users").status_code == 403
    promote = admin_client.patch(f"/users/{user['id']}", json={"role": "admin"}, headers=csrf_headers(admin_client))
    assert promote.get_json()["role"] == "admin"
    assert user_client.get("/users").status_code == 200
    demote = user_client.patch(f"/users/{admin['id']}", json={"role": "user"}, headers=csrf_headers(user_client))
    assert demote.status_code == 200
    assert admin_client.get("/users").status_code == 403


@pytest.mark.parametrize("change", [{"role": "user"}, {"status": "disabled"}])
def test_the_last_active_admin_cannot_be_demoted_or_disabled(app: Flask, make_user, signed_in, db_conn,
                                                             change: dict) -> None:
    admin = make_user(role="admin")
    make_user(role="admin", status="disabled")  # a disabled admin does not count
    client, _ = signed_in(app, admin)
    response = client.patch(f"/users/{admin['id']}", json=change, headers=csrf_headers(client))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "last_admin"
    assert client.get("/me").get_json()["role"] == "admin"
    assert audit_rows(db_conn) == []


def test_an_admin_may_step_down_when_another_remains(app: Flask, make_user, signed_in) -> None:
    admin, other = make_user(role="admin"), make_user(role="admin")
    client, _ = signed_in(app, admin)
    assert client.patch(f"/users/{admin['id']}", json={"role": "user"}, headers=csrf_headers(client)).status_code == 200
    assert client.get("/users").status_code == 403
    other_client, _ = signed_in(app, other)
    assert other_client.patch(f"/users/{other['id']}", json={"role": "user"},
                              headers=csrf_headers(other_client)).status_code == 409


def test_patch_validation_and_unknown_users(app: Flask, make_user, signed_in) -> None:
    client, _ = signed_in(app, make_user(role="admin"))
    user = make_user()
    headers = csrf_headers(client)
    assert client.patch(f"/users/{user['id']}", json={"role": "owner"}, headers=headers).status_code == 422
    assert client.patch(f"/users/{user['id']}", json={"password": "x"}, headers=headers).status_code == 422
    assert client.patch("/users/00000000-0000-0000-0000-000000000000", json={"role": "user"},
                        headers=headers).status_code == 404
    assert client.patch("/users/not-a-uuid", json={"role": "user"}, headers=headers).status_code == 404
    unchanged = client.patch(f"/users/{user['id']}", json={}, headers=headers)
    assert unchanged.status_code == 200
    assert unchanged.get_json()["role"] == "user"


@pytest.mark.usefixtures("linked")
def test_import_adds_the_servers_shared_users_only(app: Flask, make_user, signed_in, db_conn,
                                                   plextv: FakePlexTv) -> None:
    admin = make_user(role="admin")
    db_conn.execute("INSERT INTO users (plex_id, username, role, status) VALUES (2002, 'al', 'admin', 'disabled')")
    client, _ = signed_in(app, admin)
    response = client.post("/users/import", headers=csrf_headers(client))
    assert response.status_code == 200
    body = response.get_json()
    # alice and bob share our server; carol only another one
    assert (body["imported"], body["created"]) == (2, 1)
    assert sorted(u["username"] for u in body["items"]) == ["alice", "bob"]
    rows = {r["plex_id"]: r for r in db_conn.execute("SELECT * FROM users WHERE plex_id IS NOT NULL")}
    assert 4005 not in rows
    assert (rows[2002]["role"], rows[2002]["status"]) == ("admin", "disabled")  # an admin's decisions stay
    assert (rows[2003]["role"], rows[2003]["status"]) == ("user", "active")
    assert rows[2003]["plex_token_sealed"] is None
    assert [e["action"] for e in audit_rows(db_conn)] == ["users.import"]
    again = client.post("/users/import", headers=csrf_headers(client)).get_json()
    assert (again["imported"], again["created"]) == (2, 0)


def test_import_needs_a_linked_server(app: Flask, make_user, signed_in, plextv: FakePlexTv,
                                      link_server) -> None:
    client, _ = signed_in(app, make_user(role="admin"))
    response = client.post("/users/import", headers=csrf_headers(client))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "server_not_linked"
    link_server(with_token=False)
    response = client.post("/users/import", headers=csrf_headers(client))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "server_not_linked"


@pytest.mark.usefixtures("linked")
def test_import_when_plextv_is_down_is_503(app: Flask, make_user, signed_in, plextv: FakePlexTv) -> None:
    client, _ = signed_in(app, make_user(role="admin"))
    plextv.down = True
    response = client.post("/users/import", headers=csrf_headers(client))
    assert response.status_code == 503
    assert "plex.tv" in response.get_json()["error"]["message"]


def test_the_audit_log_lists_admin_changes_newest_first(app, make_user, signed_in) -> None:
    admin_client, tokens = signed_in(app, make_user(role="admin"))
    target = make_user()
    for status in ("disabled", "active"):
        response = admin_client.patch(f"/users/{target['id']}", json={"status": status},
                                      headers={"X-CSRF-Token": tokens["csrf"]})
        assert response.status_code == 200
    log = admin_client.get("/audit?limit=1").get_json()
    assert log["total"] == 2
    assert len(log["items"]) == 1
    assert log["items"][0]["action"] == "user.update"
    assert log["items"][0]["target_id"] == str(target["id"])
    user_client, _ = signed_in(app, make_user())
    assert user_client.get("/audit").status_code == 403
