"""`make bench`: run the benchmarks against processes started here and write BENCHMARKS.md.

The default run takes about 7 minutes on two cores. The soak takes 10 minutes of load by itself, plus its
settling; with the default run it would pass the 15-minute budget of `make bench`, so it has its own
target, `make soak` (`python -m bench --only soak`), which writes its section of the same BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import breaker, bundle, cold_start, mixed, playlist, reads, single_flight, soak, ws_fanout
from bench.report import Result, load, section, write
from bench.stack import ROOT, bench_environment

# name: (title, run); in the order of the table they fill
SUITES: dict[str, tuple[str, Callable[[dict[str, str]], list[Result]]]] = {
    "reads": ("Cached, authenticated reads at 50 connections", reads.run),
    "cold_start": ("Cold start and idle memory of each function", cold_start.run),
    "single_flight": ("Cold cache under a crowd", single_flight.run),
    "breaker": ("A hanging Overseerr behind an open circuit breaker", breaker.run),
    "ws_fanout": ("WebSocket fan-out", ws_fanout.run),
    "playlist": ("A playlist through MediaNest against the yt-dlp command line", playlist.run),
    "mixed": ("Mixed load of 200 simulated users", mixed.run),
    "bundle": ("Front-end bundle", bundle.run),
    "soak": ("Soak: 20 users for 10 minutes, a worker restart and a Redis restart", soak.run),
}
NOT_BY_DEFAULT = {"soak"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(SUITES), action="append", help="run only these suites")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    chosen = args.only or [name for name in SUITES if name not in NOT_BY_DEFAULT]
    sections, started = {}, time.monotonic()
    with tempfile.TemporaryDirectory(prefix="medianest-bench-") as tmp, bench_environment(Path(tmp)) as env:
        for name in chosen:
            title, run = SUITES[name]
            print(f"running {name} ...", flush=True)
            suite_started, load_before = time.monotonic(), load()
            try:
                results = run(env)
            except Exception as exc:  # one broken suite must not cost the figures of the others
                traceback.print_exc()
                results = [Result(title, "failed", "", "", "", False, f"{type(exc).__name__}: {exc}"[:500])]
            sections[name] = section(name, title, results, time.monotonic() - suite_started, load_before)
            for r in results:
                print(f"  {r.metric}: {r.value} (goal {r.goal or '-'}; met {r.met})", flush=True)
    write(args.output, sections, list(SUITES))
    print(f"wrote {args.output} in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
