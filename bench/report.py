"""BENCHMARKS.md: one table per suite, one row per metric with the figure, the baseline, the ratio, the goal and
whether it is met. A run rewrites the sections of the suites it ran and keeps the others (the soak runs on
its own), each section saying when and on what it was measured."""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.findings import explain

HEADER = """# Benchmarks

Written by `make bench` (`python -m bench`) and `make soak` (`python -m bench --only soak`). Every figure is taken
against a baseline measured in the same run, or is a count; the machine is shared and noisy, so figures are
medians with their range, and the load average is given. Nothing here is asserted by the test suite.
Where a goal is missed, the note says what stands in the way (found by profiling; see `bench/findings.py`).
"""
SECTION = re.compile(r"<!-- suite:(?P<name>[a-z_]+) -->\n.*?<!-- /suite:(?P=name) -->\n", re.DOTALL)


@dataclass(frozen=True)
class Result:
    metric: str
    value: str
    baseline: str
    ratio: str
    goal: str
    met: bool | None
    note: str = ""


def machine() -> str:
    memory_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal:")), 0)
    return f"{os.cpu_count()} cores, {memory_kb / 1024 / 1024:.1f} GiB memory, Python {platform.python_version()}"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (5 min: {five:.1f})"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def section(name: str, title: str, results: list[Result], seconds: float, load_before: str) -> str:
    lines = [
        f"<!-- suite:{name} -->",
        f"## {title}",
        "",
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {machine()}; {seconds:.0f} s;"
        f" load average {load_before} before, {load()} after.",
        "",
        "| metric | MediaNest | baseline | ratio | goal | met | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        note = r.note if r.met is not False else f"{r.note} {explain(r.metric)}".strip()
        lines.append("| " + " | ".join(_cell(c) for c in (r.metric, r.value, r.baseline, r.ratio, r.goal, met, note))
                     + " |")
    lines.append(f"<!-- /suite:{name} -->")
    return "\n".join(lines) + "\n"


def write(path: Path, sections: dict[str, str], order: list[str]) -> None:
    """Replace the sections of the suites that ran; keep the others as they were; order as `order`."""
    kept = {m.group("name"): m.group(0) for m in SECTION.finditer(path.read_text())} if path.exists() else {}
    kept.update(sections)
    body = "\n".join(kept[name] for name in order if name in kept)
    path.write_text(f"{HEADER}\n{body}")
