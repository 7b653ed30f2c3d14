"""Run a command and start it again when it exits with an error (with backoff), until told to stop.

Under `make run` the RQ worker exits when Redis goes away for a moment; honcho would then stop the whole
portal. This keeps the worker coming back instead, as a container's restart policy does in production.
SIGINT/SIGTERM end the loop (and reach the command, which shares our process group).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    stopping = False
    child: subprocess.Popen | None = None

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        # a signal sent to our process group (honcho, Ctrl-C) reaches the command already; pass on only the rest
        if child is not None and child.poll() is None and os.getpgid(child.pid) != os.getpgid(0):
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    delay = 1.0
    while True:
        child = subprocess.Popen(argv)
        code = child.wait()
        if stopping or code == 0:
            return code
        print(f"keep_running: {argv[0]} exited with {code}; starting it again in {delay:.0f} s", file=sys.stderr,
              flush=True)
        time.sleep(delay)
        delay = min(delay * 2, 30.0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
