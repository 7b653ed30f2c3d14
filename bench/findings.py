"""What stands in the way of a missed goal, as profiling found it (py-spy and cProfile on the processes the
suites start). `report.py` appends the matching text to the note of a row whose goal is not met, so the
explanation disappears by itself once a fix makes the goal."""

from __future__ import annotations

_READ_PATH = (
    "Profile (cProfile, in-process, status: about 1.0 ms of CPU per request against 0.15 ms for the bare"
    " app, since the limiter no longer sends X-RateLimit headers): a third is the three Redis round trips"
    " through redis-py; the rate limiter is a quarter (its EVALSHA, and flask-limiter re-parsing the"
    " '100/minute' string on every request in `resolve_limits`, 5%); the session check a quarter"
    " (medianest/sessions.py `decode_access`: PyJWT re-prepares the HMAC key and checks the claims, 10%,"
    " then one HMGET); response validation, metrics and the log line the rest. What would move it: the"
    " session lookup and the rate-limit hit in one Redis call (one Lua script or pipeline instead of two"
    " round trips), the parsed limit kept between requests."
)
_MEDIA = (
    " For /media/recent add functions/media/upstream.py `_config`: every request reads and decrypts the Plex"
    " settings from PostgreSQL (a pool checkout whose `check_connection` costs a second round trip,"
    " medianest/db.py) before the cache is even asked; caching the opened ServiceConfig per process for a few"
    " seconds took recent from 2.69 to 1.62 ms, 1.41 ms with the limiter headers off as well."
)
_LATENCY = (
    " With 50 requests always in flight, p99 follows throughput (latency ≈ connections / throughput): on two"
    " shared cores even the bare app's p99 is far above 25 ms here."
)

FINDINGS = {
    "throughput, GET /api/v1/status/": _READ_PATH,
    "p99 latency, GET /api/v1/status/": _READ_PATH + _LATENCY,
    "throughput, GET /api/v1/media/recent": _READ_PATH + _MEDIA,
    "p99 latency, GET /api/v1/media/recent": _READ_PATH + _MEDIA + _LATENCY,
    "memory after the load run": (
        "A worker idles at 75-80 MB (the bare app: 30 MB): psycopg, redis-py, requests, prometheus_client,"
        " flask-limiter, PyJWT, pydantic and our OpenAPI models; 8 threads' buffers and the pools add the rest."),
    "memory idle: downloads": (
        "The downloads function imports yt-dlp at start (functions/downloads/app.py -> ytdlp.py) for preview"
        " listing: about 8 MB. Importing it inside `list_url` keeps an idle function under 80 MB, though the"
        " first preview brings it in."),
    "cold start: ": (
        "Start-up is import-bound: the bare app imports Flask alone (~0.1 s); every function also imports"
        " psycopg and psycopg_pool (~0.1 s), redis-py (0.06-0.08 s, it pulls redis.asyncio in), requests,"
        " prometheus_client, flask-limiter, PyJWT and pydantic models. Avoidable at once:"
        " medianest/passwords.py computes an argon2id hash at import (`_DUMMY_HASH`, 0.13 s and a 64 MiB"
        " allocation) in auth and the dispatcher: compute it on first use; downloads imports yt-dlp at start"
        " (0.1-0.15 s). Beyond that, 2.5x needs the rest deferred to first use."),
    "discover while Overseerr hangs": (
        "One connection alone answers in a few ms: the refusal itself is quick; the queueing comes from what"
        " every refusal still does first: rate limiter and session (a Redis round trip each), then"
        " functions/media/upstream.py `overseerr()` reads and decrypts Overseerr's settings from PostgreSQL"
        " before the client finds its breaker open, and medianest/errors.py `_upstream_error` logs a warning"
        " per refused call. Proposed: check `breaker_state('overseerr') == 'open'` in upstream.overseerr()"
        " before loading the settings, and cache the settings as for Plex."),
    "playlist": (
        "Timeline of a job now (worker timestamps, demo speed): the submit answers in about 0.1 s (it lists"
        " the playlist and hands the listing to the job through Redis); the work-horse starts within 0.01 s,"
        " the job code being imported before the fork (functions/worker.py), and starts the first item about"
        " 0.08 s later (0.05 s of it building yt-dlp's YoutubeDL); the four items take 0.54 s, as on the"
        " command line; 'processing' goes out at once. What remains is the Plex step, about 0.75 s: the fake"
        " waits 0.5 s before it scans and runs ffprobe on every new file (about 0.2 s for four); plexsync"
        " sees the scan end through the section's `refreshing` flag (read every 0.1 s) and the collection"
        " takes 0.01 s. The command line spends about as long starting Python and yt-dlp and listing the"
        " playlist cold, which leaves MediaNest 0.15-0.25 s behind on this 0.25 MB playlist (1.15-1.17×"
        " in three runs). Closing that would mean starting Plex scans before the last file lands (a refresh"
        " per item), more scans on a real Plex for a fixed cost per job."),
    "mixed load": (
        "Profile of the web process under this load (py-spy): 56% of its CPU is yt-dlp listing for preview"
        " and submit (functions/downloads/ytdlp.py `list_url`), three quarters of that in `YoutubeDL.__init__`"
        " loading every extractor (42 ms per call when the allowlist is not YouTube-only), and under gevent"
        " it blocks the one event loop. Reusing one YoutubeDL per listing thread took the overall p50 from"
        " 650 ms to 91 ms in an A/B run."),
    "soak: lost downloads": (
        "jobs.py `run_download` turns any exception it does not expect into 'failed' (the internal-error"
        " message); where the job raised is in the worker-log summary above. A Redis outage reached it that"
        " way once (the cancel check, `state.cancel_requested`, now answers 'no cancel' on a RedisError);"
        " another RedisError path, if that is what the summary shows, wants the same treatment, or a"
        " re-queue by the reconcile job instead of 'failed'."),
    "soak: socket drops": (
        "Sockets drop when their 30 s session re-check meets Redis down: functions/realtime/app.py"
        " `serve_socket` lets the RedisError from `sessions.exists` end the socket (every socket whose check"
        " falls in the outage; here all of them, since they opened together). Proposed: on a RedisError keep"
        " the socket and check again at the next interval."),
    "soak: worker exits": (
        "The RQ worker exits (\"found an unhandled exception, quitting\") when Redis goes away, and relies on"
        " being started again: compose's restart policy, deploy/keep_running.py under `make run`."),
}


def explain(metric: str) -> str:
    for key, text in FINDINGS.items():
        if key in metric:
            return text
    return ""
