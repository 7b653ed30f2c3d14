"""BENCHMARKS.md: one row per metric with the figure, the baseline, the ratio, the goal and whether it is met."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Result:
    metric: str
    value: str
    baseline: str
    ratio: str
    goal: str
    met: bool | None
    note: str = ""


def _machine() -> str:
    memory_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal:")), 0)
    return f"{os.cpu_count()} cores, {memory_kb / 1024 / 1024:.1f} GiB memory, Python {platform.python_version()}"


def write(path: Path, results: list[Result]) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {_machine()} by `make bench`.",
        "Every figure is taken against a baseline measured in the same run (or is a count); the machine is",
        "shared and noisy, so ranges are given. Nothing here is asserted by the test suite.",
        "",
        "| metric | MediaNest | baseline | ratio | goal | met | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {r.metric} | {r.value} | {r.baseline} | {r.ratio} | {r.goal} | {met} | {r.note} |")
    path.write_text("\n".join(lines) + "\n")
