"""The periodic jobs of every function, run by `python -m functions.schedule` (one per installation)."""

from __future__ import annotations

from medianest.config import Settings, load_settings
from medianest.logs import configure_logging
from medianest.periodic import PeriodicJob, run
from medianest.queues import DEFAULT, rq_connection

DOWNLOADS_RECONCILE_INTERVAL = 30  # seconds; a constant here, so the scheduler never imports the downloads code
RECONCILE_INTERVAL = 300  # seconds; webhooks carry request changes, this only catches missed ones


def schedule(settings: Settings) -> list[PeriodicJob]:
    return [
        PeriodicJob("service-checks", "functions.status.jobs.run_checks", settings.check_interval, DEFAULT, 120),
        # downloads whose worker died (no heartbeat) are re-queued or failed well within two minutes
        PeriodicJob("downloads-reconcile", "functions.downloads.recovery.reconcile",
                    DOWNLOADS_RECONCILE_INTERVAL, DEFAULT, 120),
        PeriodicJob("media-reconcile", "functions.media.jobs.reconcile", RECONCILE_INTERVAL, DEFAULT, 240),
    ]


def main() -> None:
    settings = load_settings()
    configure_logging(settings.log_level)
    run(rq_connection(settings.redis_url), schedule(settings))


if __name__ == "__main__":
    main()
