"""Small real media files for the YouTube fake, made once with ffmpeg and cached on disk.

Cache folder: ``$MEDIANEST_FAKES_CACHE`` or ``<repo>/.cache/fakes-media`` (git-ignored). Each clip is a few
seconds of an ffmpeg test pattern with a tone (H.264 + AAC in MP4, ``faststart`` so players and yt-dlp can
read it while it downloads). Generation is atomic and guarded by a lock file, so parallel test processes
share one cache without reading half-written files.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CLIP_VERSION = "v1"  # bump when the recipe changes so stale cached files are not reused
# (lavfi video source, tone frequency in Hz) per clip
RECIPES = (("testsrc", 440), ("smptebars", 550), ("testsrc2", 660), ("rgbtestsrc", 880))
SECONDS = 3


def cache_dir() -> Path:
    """Where clips are kept."""
    return Path(os.environ.get("MEDIANEST_FAKES_CACHE") or REPO_ROOT / ".cache" / "fakes-media")


def _make(target: Path, source: str, frequency: int) -> None:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise RuntimeError("the YouTube fake needs ffmpeg to make its clips: apt-get install -y ffmpeg")
    fd, tmp = tempfile.mkstemp(suffix=".mp4", dir=target.parent)
    os.close(fd)
    cmd = [
        ffmpeg, "-v", "error", "-y",
        "-f", "lavfi", "-i", f"{source}=duration={SECONDS}:size=320x240:rate=25",
        "-f", "lavfi", "-i", f"sine=frequency={frequency}:duration={SECONDS}",
        "-shortest", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart", "-fflags", "+bitexact", tmp,
    ]
    try:
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; other users' processes read the cache too
        os.replace(tmp, target)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        Path(tmp).unlink(missing_ok=True)
        detail = exc.stderr.decode(errors="replace")[-500:] if isinstance(exc, subprocess.CalledProcessError) else ""
        raise RuntimeError(f"ffmpeg could not make a test clip: {detail}") from exc


def ensure_clips() -> list[Path]:
    """Paths of every clip, made first if missing."""
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"clip-{n}-{CLIP_VERSION}.mp4" for n in range(len(RECIPES))]
    if all(p.exists() for p in paths):
        return paths
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for path, (source, frequency) in zip(paths, RECIPES, strict=True):
            if not path.exists():
                _make(path, source, frequency)
    return paths
