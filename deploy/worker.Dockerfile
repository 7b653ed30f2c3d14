# syntax=docker/dockerfile:1
# The RQ worker (downloads, periodic service checks). Build context: the repository root.
# It serves no HTTP, so it runs beside OpenFaaS as a plain container / Deployment.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY shared /src/shared
RUN /opt/venv/bin/pip install "/src/shared[worker]"
# Job code lives with the functions (functions/downloads/jobs.py), imported as `functions.<name>...`.
COPY functions /app/functions
COPY deploy/rq_settings.py /app/deploy/rq_settings.py
COPY --chmod=755 deploy/worker-entrypoint.sh /app/deploy/worker-entrypoint.sh
RUN find /app -name __pycache__ -prune -exec rm -rf {} + \
 && /opt/venv/bin/python -m compileall -q --invalidation-mode unchecked-hash /app /opt/venv/lib

FROM ${PYTHON_IMAGE}
# ffmpeg merges separate video and audio streams and remuxes downloads.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg \
 && rm -rf /var/lib/apt/lists/*
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    TMPDIR=/tmp \
    MEDIA_ROOT=/media
RUN groupadd --system --gid 10001 medianest \
 && useradd --system --uid 10001 --gid medianest --home-dir /nonexistent --no-create-home \
    --shell /usr/sbin/nologin medianest \
 && mkdir -p /media && chown 10001:10001 /media
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER 10001:10001
# The first SIGTERM lets a running download finish (RQ's warm shutdown): give it the orchestrator's grace period.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/deploy/worker-entrypoint.sh"]
CMD ["medianest-downloads", "medianest-default"]
