"""The periodic jobs of every function, run by `python -m functions.schedule` (one per installation)."""

from __future__ import annotations

from medianest.config import Settings, load_settings
from medianest.logs import configure_logging
from medianest.periodic import PeriodicJob, run
from medianest.queues import DEFAULT, rq_connection


def schedule(settings: Settings) -> list[PeriodicJob]:
    return [
        PeriodicJob("service-checks", "functions.status.jobs.run_checks", settings.check_interval, DEFAULT, 120),
    ]


def main() -> None:
    settings = load_settings()
    configure_logging(settings.log_level)
    run(rq_connection(settings.redis_url), schedule(settings))


if __name__ == "__main__":
    main()
