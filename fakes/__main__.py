"""``python -m fakes --media-root DIR [--write fakes.json]``: run every fake until Ctrl-C.

Prints (and with ``--write`` saves as JSON) each fake's URL and the demo tokens and keys. Ports are
ephemeral unless given. The Overseerr webhook target can be given now or set later with
``POST <overseerr>/__control/webhook {"url": ..., "authHeader": ...}``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from fakes.stack import start_all

SERVICES = ("plextv", "plex", "overseerr", "uptimekuma", "youtube")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m fakes", description=__doc__.splitlines()[0])
    parser.add_argument("--media-root", required=True, help="Plex media folder (movies/, tv/, youtube/ inside)")
    parser.add_argument("--host", default="127.0.0.1")
    for name in SERVICES:
        parser.add_argument(f"--{name}-port", type=int, default=0, help=f"{name} port (0 = ephemeral)")
    parser.add_argument("--write", metavar="FILE", help="also write URLs, tokens and keys to this JSON file")
    parser.add_argument("--youtube-speed", type=int, default=25_000,
                        help="YouTube transfer speed in bytes/s so progress is visible (0 = unlimited)")
    parser.add_argument("--scan-delay", type=float, default=0.5, help="seconds a Plex folder scan takes")
    parser.add_argument("--kuma-version", type=int, choices=(1, 2), default=1)
    parser.add_argument("--overseerr-webhook-url", help="where Overseerr sends its webhook")
    parser.add_argument("--overseerr-webhook-auth", default="", help="Authorization header value for it")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Start, report, wait for Ctrl-C or SIGTERM, stop."""
    args = parse_args(argv)
    Path(args.media_root).mkdir(parents=True, exist_ok=True)
    stack = start_all(
        args.media_root, host=args.host, ports={n: getattr(args, f"{n}_port") for n in SERVICES},
        youtube_speed=args.youtube_speed, scan_delay=args.scan_delay, kuma_version=args.kuma_version,
        webhook_url=args.overseerr_webhook_url, webhook_auth=args.overseerr_webhook_auth,
    )
    info = stack.describe()
    text = json.dumps(info, indent=2, ensure_ascii=False)
    if args.write:
        Path(args.write).write_text(text + "\n", encoding="utf-8")
    print(text, flush=True)
    print("fakes running; Ctrl-C to stop", file=sys.stderr, flush=True)
    done = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    while not done.wait(0.5):
        pass
    stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
