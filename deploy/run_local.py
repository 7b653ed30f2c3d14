"""`make run`: the whole portal on one machine, under one process manager (honcho).

Finds or starts PostgreSQL and Redis (see medianest.devstack), generates the installation's secrets once
into the state folder, migrates, creates the bootstrap admin, then runs:
  web     gunicorn (gevent) serving every function, /ws and the front end at http://127.0.0.1:8080
  worker  an RQ worker with the scheduler (downloads and periodic jobs)
  scheduler  enqueues the periodic jobs (service checks every MEDIANEST_CHECK_INTERVAL s)
Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from medianest import devstack  # noqa: E402
from medianest.bootstrap import ensure_admin  # noqa: E402
from medianest.config import SettingsError, load_settings  # noqa: E402
from medianest.db import migrate  # noqa: E402
from medianest.queues import ALL_QUEUES, SERIALIZER, WORKER_CLASS  # noqa: E402


def prepare_environment(state_dir: Path, port: int, embedded: bool = False, demo: bool = False) -> dict[str, str]:
    """Settings for the child processes: what the environment sets wins over generated defaults."""
    env = dict(os.environ)
    for key, value in devstack.ensure_secrets(state_dir).items():
        env.setdefault(key, value)
    env.setdefault("MEDIANEST_PUBLIC_URL", f"http://127.0.0.1:{port}")
    env.setdefault("MEDIA_ROOT", str(state_dir / "media"))
    Path(env["MEDIA_ROOT"]).mkdir(parents=True, exist_ok=True)
    # the demo keeps its own database and Redis db, so its fakes never replace a real configuration
    database = "medianest_demo" if demo else "medianest"
    env["DATABASE_URL"] = devstack.resolve_postgres(state_dir, database, embedded=embedded)
    env["REDIS_URL"] = devstack.resolve_redis(state_dir, embedded=embedded)
    if demo and "REDIS_URL" not in os.environ:
        env["REDIS_URL"] = env["REDIS_URL"].rsplit("/", 1)[0] + f"/{devstack.DEMO_REDIS_DB}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def processes(env: dict[str, str], port: int) -> dict[str, str]:
    bin_dir = Path(sys.executable).parent
    web = [str(bin_dir / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--chdir", str(ROOT),
           "--bind", f"127.0.0.1:{port}", "--worker-class", "gevent", "--workers", "1",
           "functions.dispatcher:create_app()"]
    # the worker exits when Redis goes away for a moment; keep_running starts it again. Its class imports the
    # job code before the first fork, so a job's work-horse does not (functions/worker.py).
    worker = [sys.executable, str(ROOT / "deploy" / "keep_running.py"), str(bin_dir / "rq"), "worker",
              "--with-scheduler", "--url", env["REDIS_URL"], "--serializer", SERIALIZER,
              "--worker-class", WORKER_CLASS, *ALL_QUEUES]
    scheduler = [sys.executable, "-m", "functions.schedule"]
    return {"web": shlex.join(web), "worker": shlex.join(worker), "scheduler": shlex.join(scheduler)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state", default=os.environ.get("MEDIANEST_STATE_DIR", str(ROOT / "state")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("MEDIANEST_PORT", "8080")))
    parser.add_argument("--prepare-only", action="store_true", help="set up and exit without serving")
    parser.add_argument("--demo", action="store_true", help="also start fakes of every outside service")
    parser.add_argument("--embedded", action="store_true",
                        help="start embedded PostgreSQL and Redis even when local servers answer")
    args = parser.parse_args(argv)
    state_dir = Path(args.state).resolve() / ("demo" if args.demo else "")

    env = prepare_environment(state_dir, args.port, embedded=args.embedded, demo=args.demo)
    stack = None
    if args.demo:
        from deploy import demo

        stack = demo.start_fakes(Path(env["MEDIA_ROOT"]), state_dir)
        env["PLEXTV_URL"] = stack.plextv.url
    try:
        settings = load_settings(environ=env)
    except SettingsError as exc:
        print(f"medianest: {exc}", file=sys.stderr)
        return 2
    applied = migrate(settings.database_url)
    print(f"database ready ({len(applied)} migrations applied)")
    admin = ensure_admin(settings)
    if admin.created and admin.generated_password:
        print(f"\n  Local admin: {admin.username} / {admin.generated_password}\n"
              "  (shown once; set MEDIANEST_ADMIN_PASSWORD to choose your own)\n")
    if stack is not None:
        demo.configure(settings, stack)
        print(demo.instructions(settings, stack))
    if args.prepare_only:
        return 0

    from honcho.manager import Manager

    manager = Manager()
    for name, command in processes(env, args.port).items():
        manager.add_process(name, command, env=env, cwd=str(ROOT))
    print(f"MediaNest is starting at {settings.public_url}  (Ctrl-C stops everything)")
    manager.loop()
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
