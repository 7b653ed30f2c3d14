"""`make bench`: run the benchmarks against processes started here and write BENCHMARKS.md."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench import bundle, cold_start, ws_fanout
from bench.report import write
from bench.stack import ROOT, bench_environment

SUITES = {"cold_start": cold_start.run, "ws_fanout": ws_fanout.run, "bundle": bundle.run}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(SUITES), action="append", help="run only these suites")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="medianest-bench-") as tmp, bench_environment(Path(tmp)) as env:
        for name in args.only or list(SUITES):
            print(f"running {name} ...", flush=True)
            results.extend(SUITES[name](env))
    write(args.output, results)
    for r in results:
        print(f"{r.metric}: {r.value} (goal {r.goal or '-'}; met {r.met})")


if __name__ == "__main__":
    main()
