"""One event-bus listener per process, fanning events out to the sockets that joined each topic.

Every socket has a bounded outbox drained by its own sender (a greenlet under gevent), so one slow
client never slows the others: when its outbox is full it is dropped instead. A session revoked anywhere
is announced on the bus and its sockets are closed at once.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections import defaultdict
from typing import Any

import redis
from simple_websocket import ConnectionClosed

from medianest import events
from medianest.sessions import Principal, revoked_channel

log = logging.getLogger(__name__)

CLOSE_SESSION_ENDED = 4401  # the browser goes back to sign-in
CLOSE_TOO_SLOW = 4008


class Connection:
    """One open socket: who it is, what it joined, and its outbox."""

    def __init__(self, ws: Any, principal: Principal, outbox_size: int) -> None:
        self.ws = ws
        self.principal = principal
        self.topics: set[str] = set()
        self.outbox: queue.Queue[str | None] = queue.Queue(maxsize=outbox_size)
        self.closed = threading.Event()
        self.sender = threading.Thread(target=self._send_loop, name="ws-sender", daemon=True)

    def start(self) -> None:
        self.sender.start()

    def offer(self, message: str) -> bool:
        """Queue a message without blocking; False when the client is not keeping up."""
        try:
            self.outbox.put_nowait(message)
            return True
        except queue.Full:
            return False

    def close(self, code: int = 1000, reason: str = "") -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        with contextlib.suppress(queue.Full):
            self.outbox.put_nowait(None)
        with contextlib.suppress(Exception):  # the peer may already be gone
            self.ws.close(reason=code, message=reason)

    def _send_loop(self) -> None:
        while not self.closed.is_set():
            message = self.outbox.get()
            if message is None:
                break
            try:
                self.ws.send(message)
            except (ConnectionClosed, OSError):
                self.closed.set()
                break


class Hub:
    def __init__(self, client: redis.Redis) -> None:
        self.redis = client
        self._lock = threading.Lock()
        self._by_topic: dict[str, set[Connection]] = defaultdict(set)
        self._by_session: dict[str, set[Connection]] = defaultdict(set)
        self._listener: threading.Thread | None = None
        self._stop = threading.Event()
        self.ready = threading.Event()

    # --- membership -------------------------------------------------------------------------------
    def add(self, conn: Connection) -> None:
        self.ensure_listening()
        with self._lock:
            self._by_session[conn.principal.session_id].add(conn)

    def join(self, conn: Connection, topic: str) -> None:
        with self._lock:
            conn.topics.add(topic)
            self._by_topic[topic].add(conn)

    def remove(self, conn: Connection) -> None:
        with self._lock:
            for topic in conn.topics:
                members = self._by_topic.get(topic)
                if members is not None:
                    members.discard(conn)
                    if not members:
                        del self._by_topic[topic]
            sessions = self._by_session.get(conn.principal.session_id)
            if sessions is not None:
                sessions.discard(conn)
                if not sessions:
                    del self._by_session[conn.principal.session_id]

    def count(self) -> int:
        with self._lock:
            return sum(len(conns) for conns in self._by_session.values())

    # --- delivery ---------------------------------------------------------------------------------
    def deliver(self, event: events.Event) -> int:
        with self._lock:
            targets = list(self._by_topic.get(event.topic, ()))
        payload = event.to_json()
        slow = [conn for conn in targets if not conn.offer(payload)]
        for conn in slow:
            log.warning("dropped a socket that was not keeping up", extra={"user_id": conn.principal.user_id})
            conn.close(CLOSE_TOO_SLOW, "too slow")
        return len(targets) - len(slow)

    def end_session(self, session_id: str) -> None:
        with self._lock:
            targets = list(self._by_session.get(session_id, ()))
        for conn in targets:
            conn.close(CLOSE_SESSION_ENDED, "session ended")

    # --- the one listener -------------------------------------------------------------------------
    def ensure_listening(self) -> None:
        with self._lock:
            if self._listener is None or not self._listener.is_alive():
                self._listener = threading.Thread(target=self._listen, name="event-bus", daemon=True)
                self._listener.start()

    def stop(self) -> None:
        self._stop.set()

    def _listen(self) -> None:
        revoked = revoked_channel(self.redis)
        patterns = (events.all_events(self.redis), revoked)
        self.ready.set()
        for channel, payload in events.listen(self.redis, patterns, stop=self._stop, poll=0.5):
            try:
                if channel == revoked:
                    self.end_session(payload)
                    continue
                event = events.parse(payload)
                if event is not None:
                    self.deliver(event)
            except Exception:  # the listener must outlive any single bad message
                log.exception("event delivery failed")
