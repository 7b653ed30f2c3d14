"""Run the repository's nginx templates with Debian's nginx under a private prefix (never /etc/nginx, port 80
or the machine's logs): render the placeholders the nginx image would render, wrap them in a main config,
start nginx in the foreground and stop it again."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from medianest.devstack import port_open

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")
ENV_LINE = re.compile(r"^ENV\s+([A-Z][A-Z0-9_]*)=(.*)$", re.MULTILINE)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def image_defaults() -> dict[str, str]:
    """The placeholder defaults the nginx image sets (one `ENV NAME=value` line each)."""
    text = (DEPLOY / "nginx.Dockerfile").read_text()
    return {name: value.strip().strip('"') for name, value in ENV_LINE.findall(text)}


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def render(template: str, values: Mapping[str, str]) -> str:
    """envsubst, strictly: a placeholder without a value is an error rather than an empty string."""
    missing = placeholders(template) - set(values)
    if missing:
        raise KeyError(f"no value for {sorted(missing)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


class Nginx:
    """One nginx master in the foreground, confined to `prefix`."""

    def __init__(self, prefix: Path, sites: Iterable[str], values: Mapping[str, str], ports: Iterable[int]) -> None:
        self.prefix = prefix
        self.ports = list(ports)
        self.values = {**image_defaults(), **values}
        for sub in ("logs", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
            (prefix / sub).mkdir(parents=True, exist_ok=True)
        includes = []
        for site in sites:
            target = prefix / f"site-{site}"
            target.write_text(render((DEPLOY / site).read_text(), self.values))
            includes.append(f"    include {target};")
        # As root, workers would switch to `nobody`, who cannot read pytest's private temp folders.
        user = "user root;\n" if os.geteuid() == 0 else ""
        tmp = prefix / "tmp"
        self.conf = prefix / "nginx.conf"
        self.conf.write_text(
            f"{user}worker_processes 1;\nerror_log stderr warn;\npid {prefix}/nginx.pid;\n"
            "events { worker_connections 512; }\n"
            "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            f"    client_body_temp_path {tmp}/body;\n    proxy_temp_path {tmp}/proxy;\n"
            f"    fastcgi_temp_path {tmp}/fastcgi;\n    uwsgi_temp_path {tmp}/uwsgi;\n"
            f"    scgi_temp_path {tmp}/scgi;\n" + "\n".join(includes) + "\n}\n"
        )
        self.process: subprocess.Popen[bytes] | None = None
        self.stderr = prefix / "logs" / "stderr.log"

    def command(self, *extra: str) -> list[str]:
        binary = nginx_binary()
        assert binary, "nginx is not installed (apt-get install nginx)"
        return [binary, "-e", "stderr", "-p", str(self.prefix), "-c", str(self.conf), *extra]

    def start(self, timeout: float = 15) -> None:
        with self.stderr.open("wb") as log:
            self.process = subprocess.Popen(self.command("-g", "daemon off;"), stdout=log, stderr=log,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while not all(port_open("127.0.0.1", port) for port in self.ports):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"nginx did not start:\n{self.stderr.read_text()}")
            time.sleep(0.05)

    def stop(self) -> None:
        stop_process(self.process, signal.SIGQUIT)


def stop_process(process: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
    """Stop a process started with start_new_session=True, and everything it started."""
    stop_processes([process] if process else [], sig, timeout)


def stop_processes(processes: Iterable[subprocess.Popen[bytes]], sig: int = signal.SIGTERM,
                   timeout: float = 10) -> None:
    """Signal every process group at once, then wait for all (graceful stops overlap); kill stragglers."""
    running = [p for p in processes if p.poll() is None]
    for process in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    deadline = time.monotonic() + timeout
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)
