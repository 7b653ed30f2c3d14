"""``python -m fakes``: all five up, URLs and tokens written, wired together, stops on Ctrl-C."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from fakes import accounts as acc
from fakes.overseerr import OVERSEERR_API_KEY

REPO = Path(__file__).resolve().parents[2]


def test_python_m_fakes_runs_everything_until_interrupted(tmp_path: Path) -> None:
    info_file = tmp_path / "fakes.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "fakes", "--media-root", str(tmp_path / "media"), "--write", str(info_file),
         "--youtube-speed", "0", "--scan-delay", "0.1"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not info_file.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert info_file.exists(), proc.stderr.read().decode() if proc.poll() is not None else "no file in time"
        info = json.loads(info_file.read_text())
        assert info["overseerr"]["api_key"] == OVERSEERR_API_KEY
        assert info["plextv"]["accounts"]["alice"]["token"] == acc.ALICE_TOKEN
        assert info["sign_in"]["stranger"]["account"] == "mallory"
        plex, overseerr = info["plex"]["url"], info["overseerr"]["url"]
        assert requests.get(f"{plex}/identity", timeout=5).ok
        assert requests.get(f"{info['uptimekuma']['url']}/api/status-page/home", timeout=5).ok
        assert requests.get(info["youtube"]["demo_playlist"], timeout=5).ok
        assert requests.get(info["plextv"]["auth_page"], timeout=5).ok
        # plex.tv points at this Plex; a request made available in Overseerr lands in Plex.
        resources = requests.get(f"{info['plextv']['url']}/api/v2/resources", timeout=5, headers={
            "X-Plex-Client-Identifier": "t", "X-Plex-Token": acc.OWNER_TOKEN, "Accept": "application/json"}).json()
        ours = next(r for r in resources if r["clientIdentifier"] == acc.PLEX_MACHINE_ID)
        assert any(c["uri"] == plex for c in ours["connections"])
        created = requests.post(f"{overseerr}/api/v1/request", json={"mediaType": "movie", "mediaId": 872585},
                                headers={"X-Api-Key": OVERSEERR_API_KEY}, timeout=5).json()
        done = requests.post(f"{overseerr}/__control/requests/{created['id']}/available", timeout=5).json()
        rating_key = done["media"]["ratingKey"]
        item = requests.get(f"{plex}/library/metadata/{rating_key}", timeout=5,
                            headers={"X-Plex-Token": acc.OWNER_TOKEN, "Accept": "application/json"}).json()
        assert item["MediaContainer"]["Metadata"][0]["title"] == "Oppenheimer"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]
    assert proc.returncode == 0
