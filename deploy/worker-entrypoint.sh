#!/bin/sh
# The RQ worker container: migrate first (idempotent; an advisory lock serialises concurrent starts, so every
# replica may do it) and create the local admin on the first install, then become the worker.
# Arguments are the queues to serve. MEDIANEST_APP_DIR (the image's /app) lets the tests run this script
# from a checkout.
set -eu
if [ "${MEDIANEST_MIGRATE_ON_START:-true}" = "true" ]; then
  medianest migrate
  medianest bootstrap
fi
# --with-scheduler: delayed retries and periodic jobs; JSON, never pickle, on the queues. The worker class
# imports the job code (yt-dlp) once, before the first fork, instead of in every job's work-horse.
exec rq worker --with-scheduler --serializer rq.serializers.JSONSerializer \
  --worker-class functions.worker.Worker --path "${MEDIANEST_APP_DIR:-/app}" \
  --path "${MEDIANEST_APP_DIR:-/app}/deploy" --config rq_settings "$@"
