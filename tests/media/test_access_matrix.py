"""Who may call what: every media route by {anonymous, owner, another user, admin}, and a check that the
matrix covers every route the app serves."""

from __future__ import annotations

import pytest

from medianest.web import access_of

BUILTIN = {"/healthz", "/_/health", "/readyz", "/_/ready", "/openapi.json", "/metrics"}
PUBLIC = {"/healthz", "/_/health", "/readyz", "/_/ready", "/openapi.json"}
ALL_ROLES = ("anonymous", "owner", "other", "admin")

# (method, endpoint) → (path, expected status per role); `{id}` is a pending request owned by "owner".
MATRIX: dict[tuple[str, str], tuple[str, dict[str, int]]] = {
    ("GET", "library.libraries"): ("/libraries", {"owner": 200, "other": 200, "admin": 200}),
    ("GET", "library.library_items"): ("/libraries/1/items", {"owner": 200, "other": 200, "admin": 200}),
    ("GET", "library.recent"): ("/recent", {"owner": 200, "other": 200, "admin": 200}),
    ("GET", "library.search"): ("/search?q=bunny", {"owner": 200, "other": 200, "admin": 200}),
    ("GET", "library.item_detail"): ("/items/108", {"owner": 200, "other": 200, "admin": 200}),
    ("GET", "posters.thumb"): ("/thumb/108", {"owner": 200, "other": 200, "admin": 200}),
    ("GET", "posters.tmdb_poster"): ("/tmdb-poster/abc.jpg", {"owner": 200, "other": 200, "admin": 200}),
    ("GET", "discover.discover"): ("/discover?q=dune", {"owner": 200, "other": 200, "admin": 200}),
    ("POST", "requests.create_request"): ("/requests", {"owner": 201, "other": 201, "admin": 201}),
    ("GET", "requests.list_requests"): ("/requests", {"owner": 200, "other": 200, "admin": 200}),
    ("GET", "requests.get_request"): ("/requests/{id}", {"owner": 200, "other": 404, "admin": 200}),
    ("DELETE", "requests.delete_request"): ("/requests/{id}", {"owner": 204, "other": 404, "admin": 204}),
    ("POST", "requests.approve"): ("/requests/{id}/approve", {"owner": 403, "other": 403, "admin": 200}),
    ("POST", "requests.decline"): ("/requests/{id}/decline", {"owner": 403, "other": 403, "admin": 200}),
}


def test_the_matrix_covers_every_route(app):
    served = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint == "static":  # Flask's own; it still needs a session
            assert access_of(view) == "user"
            continue
        if rule.rule in BUILTIN:
            assert (access_of(view) == "public") == (rule.rule in PUBLIC), rule.rule
            continue
        assert access_of(view) in ("user", "admin"), f"{rule.rule} must need a session"
        served |= {(method, rule.endpoint) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == set(MATRIX)


def test_the_openapi_document_lists_every_route(app):
    spec = app.test_client().get("/openapi.json").json
    documented = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}
    for method, path in [("GET", "/libraries"), ("GET", "/libraries/{library_id}/items"), ("GET", "/thumb/{item_id}"),
                         ("POST", "/requests"), ("DELETE", "/requests/{request_id}"),
                         ("POST", "/requests/{request_id}/approve"), ("GET", "/discover")]:
        assert (method, path) in documented
    assert spec["paths"]["/requests"]["post"]["x-access"] == "user"
    assert spec["paths"]["/requests/{request_id}/approve"]["post"]["x-access"] == "admin"


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
def test_access(route, app, plex, overseerr, login, stored_request):
    owner = login()
    clients = {"anonymous": app.test_client(), "owner": owner, "other": login(), "admin": login("admin")}
    method, _ = route
    path, expected = MATRIX[route]
    for n, role in enumerate(ALL_ROLES):
        row = stored_request(owner.user, "Owned by someone")  # fresh: the previous role may have removed one
        overseerr.add_movie(5000 + n, f"Film for {role}")
        body = {"media_type": "movie", "tmdb_id": 5000 + n} if method == "POST" else None
        response = clients[role].open(path.replace("{id}", str(row["id"])), method=method, json=body)
        wanted = 401 if role == "anonymous" else expected[role]
        assert response.status_code == wanted, (role, response.get_data(as_text=True))
        if role == "other" and wanted == 404:
            assert response.json["error"]["code"] == "not_found"
            assert "Owned by someone" not in response.get_data(as_text=True)


def test_builtins_outside_the_public_list_need_a_session(app):
    anonymous = app.test_client()
    assert anonymous.get("/metrics").status_code == 401
    assert anonymous.get("/static/../app.py").status_code in (401, 404)
    assert anonymous.get("/static/x.js").status_code == 401
