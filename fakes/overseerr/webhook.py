"""Overseerr's webhook notification agent: settings, template rendering and delivery.

Rendering copies Overseerr's ``parseKeys``: the object keys ``{{media}}``/``{{request}}``/``{{issue}}``/
``{{comment}}`` become ``media``/``request``/... (``null`` when the event has no such entity) and
``{{extra}}`` becomes the event's extra list; inside strings each variable's FIRST occurrence is replaced,
every value ends up a string, and JavaScript's ``$&``-style replacement patterns apply (a title holding
``$&`` comes out mangled exactly as it would from Overseerr). Delivery is a POST of the rendered JSON
with ``Authorization: <authHeader>`` verbatim when one is set, from a background thread (one at a time,
in event order), no retries.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

import requests

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "data" / "overseerr-webhook-default-template.json"

NOTIFICATION_BITS = {
    "MEDIA_PENDING": 2, "MEDIA_APPROVED": 4, "MEDIA_AVAILABLE": 8, "MEDIA_FAILED": 16,
    "TEST_NOTIFICATION": 32, "MEDIA_DECLINED": 64, "MEDIA_AUTO_APPROVED": 128, "ISSUE_CREATED": 256,
    "ISSUE_COMMENT": 512, "ISSUE_RESOLVED": 1024, "ISSUE_REOPENED": 2048, "MEDIA_AUTO_REQUESTED": 4096,
}
ALL_MEDIA_TYPES = sum(NOTIFICATION_BITS[n] for n in ("MEDIA_PENDING", "MEDIA_APPROVED", "MEDIA_AVAILABLE",
                                                     "MEDIA_FAILED", "MEDIA_DECLINED", "MEDIA_AUTO_APPROVED"))
MEDIA_STATUS = {1: "UNKNOWN", 2: "PENDING", 3: "PROCESSING", 4: "PARTIALLY_AVAILABLE", 5: "AVAILABLE"}

# Variable -> dotted path into the notification payload, in Overseerr's KeyMap order.
KEY_MAP: list[tuple[str, str]] = [
    ("notification_type", "!type"), ("event", "event"), ("subject", "subject"), ("message", "message"),
    ("image", "image"), ("notifyuser_username", "notifyUser.displayName"),
    ("notifyuser_email", "notifyUser.email"), ("notifyuser_avatar", "notifyUser.avatar"),
    ("notifyuser_settings_discordId", "notifyUser.settings.discordId"),
    ("notifyuser_settings_telegramChatId", "notifyUser.settings.telegramChatId"),
    ("media_tmdbid", "media.tmdbId"), ("media_tvdbid", "media.tvdbId"), ("media_type", "media.mediaType"),
    ("media_status", "!media_status"), ("media_status4k", "!media_status4k"), ("request_id", "request.id"),
    ("requestedBy_username", "request.requestedBy.displayName"),
    ("requestedBy_email", "request.requestedBy.email"), ("requestedBy_avatar", "request.requestedBy.avatar"),
    ("requestedBy_settings_discordId", "request.requestedBy.settings.discordId"),
    ("requestedBy_settings_telegramChatId", "request.requestedBy.settings.telegramChatId"),
    ("issue_id", "issue.id"), ("issue_type", "!issue_type"), ("issue_status", "!issue_status"),
    ("reportedBy_username", "issue.createdBy.displayName"), ("reportedBy_email", "issue.createdBy.email"),
    ("reportedBy_avatar", "issue.createdBy.avatar"),
    ("reportedBy_settings_discordId", "issue.createdBy.settings.discordId"),
    ("reportedBy_settings_telegramChatId", "issue.createdBy.settings.telegramChatId"),
    ("comment_message", "comment.message"), ("commentedBy_username", "comment.user.displayName"),
    ("commentedBy_email", "comment.user.email"), ("commentedBy_avatar", "comment.user.avatar"),
    ("commentedBy_settings_discordId", "comment.user.settings.discordId"),
    ("commentedBy_settings_telegramChatId", "comment.user.settings.telegramChatId"),
]
ENTITY_KEYS = {"{{media}}": "media", "{{request}}": "request", "{{issue}}": "issue", "{{comment}}": "comment"}


def default_template() -> str:
    """The default template text."""
    return TEMPLATE_PATH.read_text(encoding="utf-8")


def encode_template(text: str) -> str:
    """The ``jsonPayload`` setting: base64 of the JSON-encoded template string."""
    return base64.b64encode(json.dumps(text).encode()).decode()


def decode_template(payload: str) -> str:
    """Inverse of :func:`encode_template`."""
    return json.loads(base64.b64decode(payload))


def _js_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _lookup(payload: dict[str, Any], path: str) -> Any:
    if path == "!type":
        return payload["type"]
    if path.startswith("!media_status"):
        media = payload.get("media")
        return MEDIA_STATUS.get(media["status4k" if path.endswith("4k") else "status"], "") if media else ""
    if path.startswith("!issue"):
        return ""
    node: Any = payload
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return "" if node is None else node


def js_replace_first(text: str, needle: str, replacement: str) -> str:
    """``String.prototype.replace(string, string)``: first match only, with ``$$ $& $` $'`` patterns."""
    index = text.find(needle)
    if index < 0:
        return text
    before, after = text[:index], text[index + len(needle):]
    patterns = {"$$": "$", "$&": needle, "$`": before, "$'": after}
    expanded = re.sub(r"\$[$&`']", lambda m: patterns[m.group(0)], replacement)
    return before + expanded + after


def _parse(node: Any, payload: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_parse(v, payload) for v in node]
    if isinstance(node, str):
        for var, path in KEY_MAP:
            node = js_replace_first(node, "{{" + var + "}}", _js_string(_lookup(payload, path)))
        return node
    if not isinstance(node, dict):
        return node
    out = dict(node)
    for key in list(node):
        value = out.pop(key) if key == "{{extra}}" or key in ENTITY_KEYS else out[key]
        if key == "{{extra}}":
            key, value = "extra", payload.get("extra") or []
        elif key in ENTITY_KEYS:
            key = ENTITY_KEYS[key]
            value = value if payload.get(key) else None
        out[key] = _parse(value, payload) if value is not None else None
    return out


def render(template_text: str, payload: dict[str, Any]) -> Any:
    """The JSON document Overseerr would POST for ``payload`` (keys: type, event, subject, ...)."""
    return _parse(json.loads(template_text), payload)


class WebhookAgent:
    """Settings plus a record of every delivery attempt."""

    def __init__(self) -> None:
        self.settings: dict[str, Any] = {"enabled": False, "types": 0, "options": {
            "webhookUrl": "", "authHeader": "", "jsonPayload": encode_template(default_template())}}
        self.deliveries: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._queue: deque[tuple[dict[str, Any], str, Any]] = deque()
        self._sending = False

    def configure(self, url: str, auth_header: str = "", types: int = ALL_MEDIA_TYPES, enabled: bool = True,
                  json_payload: str | None = None) -> None:
        """Point the agent at a URL (``types`` defaults to every media notification)."""
        options = {"webhookUrl": url, "authHeader": auth_header,
                   "jsonPayload": json_payload or self.settings["options"]["jsonPayload"]}
        self.settings = {"enabled": enabled, "types": types, "options": options}

    def should_send(self, notification: str) -> bool:
        """Overseerr's ``hasNotificationType``: TEST always passes; ``types == 0`` sends only TEST."""
        bit = NOTIFICATION_BITS[notification]
        if not self.settings["enabled"] or not self.settings["options"]["webhookUrl"]:
            return False
        if notification == "MEDIA_AUTO_REQUESTED":
            return False
        return bool((self.settings["types"] | NOTIFICATION_BITS["TEST_NOTIFICATION"]) & bit)

    def send(self, payload: dict[str, Any], force: bool = False) -> None:
        """Render and POST in the background (``force`` skips the type check, for the test button)."""
        if not force and not self.should_send(payload["type"]):
            return
        options = dict(self.settings["options"])
        body = render(decode_template(options["jsonPayload"]), payload)
        with self._lock:
            self._queue.append((options, payload["type"], body))
            if self._sending:
                return
            self._sending = True
        # One sender at a time, in event order; it exits when the queue is empty.
        threading.Thread(target=self._drain, name="fake-overseerr-webhook", daemon=True).start()

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._sending = False
                    self._idle.notify_all()
                    return
                item = self._queue.popleft()
            self._deliver(*item)

    def _deliver(self, options: dict[str, Any], kind: str, body: Any) -> None:
        headers = {"Content-Type": "application/json"}
        if options.get("authHeader"):
            headers["Authorization"] = options["authHeader"]
        record: dict[str, Any] = {"notification_type": kind, "url": options["webhookUrl"], "body": body,
                                  "at": time.time(), "status": None, "error": None}
        try:
            resp = requests.post(options["webhookUrl"], data=json.dumps(body), headers=headers, timeout=10)
            record["status"] = resp.status_code
        except requests.RequestException as exc:
            record["error"] = type(exc).__name__  # Overseerr only logs it; nothing is retried
        with self._lock:
            self.deliveries.append(record)

    def flush(self, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait for deliveries in flight; returns every delivery so far."""
        with self._idle:
            self._idle.wait_for(lambda: not self._sending, timeout)
            return list(self.deliveries)
