"""One row of a per-function authorization matrix: a route, how to build its path and body for a world of
test objects, and the status each caller gets (anonymous, the owner, another user, an admin)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Case:
    method: str
    rule: str
    path: Callable[[Any], str]
    expected: tuple[int, int, int, int]  # anonymous, user, other, admin
    body: Callable[[Any], Any] | None = None
