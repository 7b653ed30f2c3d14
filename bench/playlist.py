"""The fake YouTube demo playlist through MediaNest (submit → completed, Plex step included) against the yt-dlp
command line on the same playlist, with the same format choice, served at the same speed.

Runs alternate (command line, MediaNest, command line, ...) so both see the same moments of the machine.
Each MediaNest run is by another user (so another folder: the folder's download archive would otherwise
skip everything), and its end is the moment the `completed` event arrives on the user's WebSocket; the
events of the job are counted on that socket too.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests
import websocket

from bench.measure import spread
from bench.portal import Portal, portal
from bench.report import Result
from bench.seed import Member, members
from deploy import demo
from functions.downloads.ytdlp import FORMATS

RUNS = 3
QUALITY = "480p"
TIMEOUT = 180
SLOW_SPEED = demo.YOUTUBE_SPEED // 4


def _cli(url: str, folder: Path) -> float:
    """Seconds the yt-dlp command line takes for the playlist, into an empty folder."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    yt_dlp = Path(sys.executable).with_name("yt-dlp")
    command = [str(yt_dlp), "--quiet", "--no-progress", "--no-cache-dir", "-f", FORMATS[QUALITY],
               "--merge-output-format", "mp4/mkv", "-P", f"home:{folder}", "-P", f"temp:{folder / '.part'}",
               "-o", "%(title)s.%(ext)s", "--download-archive", str(folder / "archive.txt"), url]
    started = time.perf_counter()
    subprocess.run(command, check=True, timeout=TIMEOUT, capture_output=True)
    elapsed = time.perf_counter() - started
    if not [p for p in folder.iterdir() if p.suffix in (".mp4", ".mkv", ".webm")]:
        raise RuntimeError("the yt-dlp command line downloaded nothing")
    return elapsed


def _medianest(running: Portal, member: Member, url: str) -> tuple[float, int, dict]:
    """Seconds from submit to the `completed` event, the number of events the job sent, and the final record."""
    ws = websocket.create_connection(running.url.replace("http", "ws") + "/ws", header=[f"Cookie: {member.cookie}"],
                                     origin=running.url, timeout=TIMEOUT)
    try:
        ws.send(json.dumps({"type": "subscribe", "topic": "downloads"}))
        json.loads(ws.recv())  # subscribed
        headers = {"Cookie": member.cookie, "X-CSRF-Token": member.csrf}
        started = time.perf_counter()
        answer = requests.post(f"{running.url}/api/v1/downloads/", json={"url": url, "quality": QUALITY},
                               headers=headers, timeout=60)
        answer.raise_for_status()
        download_id, events = answer.json()["id"], 0
        while True:
            message = json.loads(ws.recv())
            data = message.get("data", {})
            if message.get("type") != "download:progress" or data.get("id") != download_id:
                continue
            events += 1
            if data.get("status") in ("completed", "failed", "cancelled"):
                elapsed = time.perf_counter() - started
                break
            if time.perf_counter() - started > TIMEOUT:
                raise TimeoutError("the download did not finish in time")
    finally:
        ws.close()
    record = requests.get(f"{running.url}/api/v1/downloads/{download_id}", headers=headers, timeout=30).json()
    if record["status"] != "completed":
        raise RuntimeError(f"the download ended {record['status']}: {record.get('error')}")
    return elapsed, events, record


def _alternate(running: Portal, url: str, people: list[Member], folder: Path) -> dict[str, list]:
    out: dict[str, list] = {"cli": [], "ours": [], "events": [], "records": []}
    for member in people:
        out["cli"].append(_cli(url, folder))
        elapsed, count, record = _medianest(running, member, url)
        out["ours"].append(elapsed)
        out["events"].append(count)
        out["records"].append(record)
    return out


def run(env: dict[str, str]) -> list[Result]:
    state = Path(env["MEDIA_ROOT"]).parent / "playlist"
    with portal(env, state) as running:
        url = running.fakes.youtube.describe()["demo_playlist"]
        people = members(running.env, 2 * RUNS + 1, prefix="playlist")
        _medianest(running, people[-1], url)  # warm-up: the worker's first job imports yt-dlp's extractors
        _cli(url, state / "cli")
        demo_speed = _alternate(running, url, people[:RUNS], state / "cli")
        # the demo playlist is small (≈ 0.25 MB): at a quarter of the speed the same fixed costs weigh less
        running.fakes.youtube.set_speed(SLOW_SPEED)
        slow = _alternate(running, url, people[RUNS:2 * RUNS], state / "cli")
    items = demo_speed["records"][0]["progress"]["items_total"]
    in_plex = sum(1 for f in demo_speed["records"][0]["files"] if f["plex_rating_key"])
    ours, events = demo_speed["ours"], demo_speed["events"]
    rates = [e / t for e, t in zip(events, ours, strict=True)]
    return [
        _row(f"demo playlist ({items} videos) through MediaNest, submit → completed in Plex",
             demo_speed, demo.YOUTUBE_SPEED, True,
             f"; MediaNest's time includes listing the playlist at submit, the queue, and the Plex scan and"
             f" collection ({in_plex} of {items} items matched in Plex; the Plex fake takes 0.5 s to scan)"),
        _row("the same playlist served 4× slower", slow, SLOW_SPEED, False, ""),
        Result("progress events per download job", spread(events), "", "", "reported", None,
               f"download:progress messages on the user's socket per job (queued … completed);"
               f" {spread(rates, '/s', 1)} over the job; the worker sends at most 2 progress ticks a second and"
               f" each change of state at once"),
    ]


def _row(metric: str, runs: dict[str, list], speed: int, headline: bool, extra: str) -> Result:
    ours, cli = runs["ours"], runs["cli"]
    ratio = statistics.median(ours) / statistics.median(cli)
    per_run = [o / c for o, c in zip(ours, cli, strict=True)]
    fixed = statistics.median([o - c for o, c in zip(ours, cli, strict=True)])
    return Result(metric, spread(ours, " s", 2), f"{spread(cli, ' s', 2)} (yt-dlp command line)", f"{ratio:.2f}×",
                  "≤ 1.15× baseline" if headline else "(≤ 1.15×)", ratio <= 1.15,
                  f"median of {RUNS} alternating runs each (per-run ratios {', '.join(f'{x:.2f}' for x in per_run)});"
                  f" MediaNest takes {fixed:.2f} s longer per job; quality {QUALITY}, the same format string for"
                  f" both; the fake serves {speed // 1000} kB/s{' as `make demo` does' if headline else ''}{extra}")
