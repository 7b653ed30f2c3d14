"""gunicorn settings shared by every function; a deployment overrides any of them with GUNICORN_CMD_ARGS.

The realtime function (and the local all-in-one dispatcher, which carries /ws) runs on gevent so one
process holds thousands of sockets; the request/response functions run on threads.
"""

import os
import sys

bind = os.environ.get("MEDIANEST_BIND", "0.0.0.0:8080")
worker_class = os.environ.get("MEDIANEST_WORKER_CLASS", "gthread")
workers = int(os.environ.get("MEDIANEST_WORKERS", "2"))
threads = int(os.environ.get("MEDIANEST_THREADS", "8"))
worker_connections = 2000
timeout = 60
graceful_timeout = 20
keepalive = 5
accesslog = None  # each function logs one structured line per request itself
errorlog = "-"
loglevel = "warning"
worker_tmp_dir = "/tmp"  # noqa: S108 - the one writable path under a read-only root filesystem
forwarded_allow_ips = os.environ.get("MEDIANEST_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket (default ~/.gunicorn/gunicorn.ctl) is unused here: its path is not writable under
# a read-only root filesystem, and several functions on one machine would share it.
control_socket_disable = True


def on_starting(server):
    """Refuse to start with bad settings: one line naming the setting, before any worker boots."""
    from medianest.config import SettingsError, load_settings

    try:
        load_settings()
    except SettingsError as exc:
        print(f"medianest: {exc}", file=sys.stderr)
        sys.exit(2)


def worker_exit(server, worker):
    """Close the PostgreSQL pool while the worker can still join its threads (quiet, prompt exit)."""
    from medianest.db import close_all

    close_all()
