"""Progress events of one run: ticks are throttled, a change of state goes out at once."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

from functions.downloads import progress
from functions.downloads.progress import Reporter


def test_a_change_of_state_is_published_at_once_and_ticks_are_throttled(redis_client, listen,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "time", SimpleNamespace(monotonic=lambda: 1000.0))  # frozen, and no sleep()
    user_id = str(uuid.uuid4())
    events = listen(f"downloads:{user_id}")
    reporter = Reporter(None, redis_client, {"id": uuid.uuid4(), "user_id": user_id, "title": "T"}, "job-1")
    reporter.event("downloading")
    reporter.event("downloading")  # half a second has not passed: dropped
    reporter.event("processing", force=True)
    reporter.event("completed", force=True)
    reporter.event("downloading")
    assert [e["data"]["status"] for _, e in events.close()] == ["downloading", "processing", "completed"]
