"""The front end's initial JavaScript and CSS, gzip, as the build's own size check measures it."""

from __future__ import annotations

import json
import subprocess

from bench.report import Result
from bench.stack import ROOT


def run(env: dict[str, str]) -> list[Result]:
    dist = ROOT / "frontend" / "dist" / "index.html"
    if not dist.is_file():
        return [Result("front end initial JS + CSS (gzip)", "not built", "", "", "≤ 200 KB", False,
                       "run `make setup` (npm run build) first")]
    output = subprocess.run(["npm", "run", "--silent", "size"], cwd=ROOT / "frontend", capture_output=True,
                            text=True, check=False).stdout
    sizes = json.loads(output.strip().splitlines()[-1])
    total = sizes["total_gzip_bytes"] / 1024
    return [Result("front end initial JS + CSS (gzip)", f"{total:.1f} KB", "", "", "≤ 200 KB", total <= 200,
                   f"JS {sizes['js_gzip_bytes'] / 1024:.1f} KB, CSS {sizes['css_gzip_bytes'] / 1024:.1f} KB")]
