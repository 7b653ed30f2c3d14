"""Tolerant readers for the loosely typed JSON outside services send (numbers as strings, "1"/"0" flags)."""

from __future__ import annotations

from typing import Any


def opt_int(value: Any) -> int | None:
    """An int, or None for anything that is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def opt_float(value: Any) -> float | None:
    """A float, or None for anything that is not one."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def flag(value: Any) -> bool:
    """A JSON boolean, or a Plex attribute string (`1`/`0`, `true`/`false`), as a bool."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true")
    return bool(value)
