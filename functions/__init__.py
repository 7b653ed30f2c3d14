"""MediaNest's functions: one Flask app each, deployable on its own (OpenFaaS, a container) or mounted
together by `functions.dispatcher` for local runs."""

# The HTTP functions behind /api/v1/<name>/, and the WebSocket function behind /ws. stack.yml,
# compose.yaml, deploy/nginx.conf and the dispatcher are checked against these lists by the tests.
HTTP_FUNCTIONS = ("auth", "media", "downloads", "status", "webhooks")
ALL_FUNCTIONS = (*HTTP_FUNCTIONS, "realtime")
