"""What stands in the way of a missed goal, as profiling found it (py-spy and cProfile on the processes the
suites start). `report.py` appends the matching text to the note of a row whose goal is not met, so the
explanation disappears by itself once a fix makes the goal."""

from __future__ import annotations

_READ_PATH = (
    "Profile (in-process: the WSGI app called in a loop, CPU time per request, interleaved with the commit"
    " before): status 0.55 ms before, 0.50 ms now (medians of five runs), against 0.056 ms for the bare app called"
    " the same way; gunicorn adds about 0.2 ms to both. Done: the"
    " after-request hook (medianest/web.py `_finish_request`: headers in one pass, no log record built below INFO)"
    " 28 to 9 µs. What stands in the way, measured by taking pieces out: three Redis round trips (rate-limit"
    " EVALSHA, session HMGET, the status cache GET), about 40 µs of CPU each in-process and more under load;"
    " flask-limiter, about 130 µs a request, 70 µs of it its own Python around the hit (limit resolution,"
    " exemption scopes, request context; re-parsing '100/minute' in `resolve_limits` is only about 5 µs of that and"
    " flask-limiter offers no public way to keep the parsed limit, so it stays); Flask with our hooks about 0.13 ms"
    " (an unauthenticated /healthz); PyJWT preparing the HMAC key again for every token, 7 µs (kept:"
    " avoiding it means replacing PyJWT's private codec). Since then redis-py parses replies with hiredis, about"
    " 10 µs less CPU a round trip. What would move it: the rate-limit hit and the session lookup in one Redis"
    " script, checked in our own before_request hook instead of flask-limiter's (one round trip and most of those"
    " 70 µs)."
)
_MEDIA = (
    " For /media/recent: functions/media/upstream.py `_config` read and decrypted the Plex settings from"
    " PostgreSQL on every request; the opened settings are now kept per process for 5 s"
    " (medianest/integrations.py `cached_config`; a save in the status function clears them in its process at"
    " once): 0.98 to 0.64 ms in-process. Beyond the status path it makes a fourth Redis round trip:"
    " medianest/cache.py `library_key` GETs the library generation before the MGET of the entry; one script doing"
    " both would save it."
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
        "functions/media/upstream.py `overseerr()` now refuses as soon as this process's breaker is open, before"
        " Overseerr's settings are read, and a refusal is logged at DEBUG (medianest/errors.py; the opening of the"
        " breaker is the one warning, medianest/http.py): in-process a refused discover costs 0.37 ms of CPU"
        " instead of 0.75. What every refusal still does first: the rate limiter and the session check (a Redis"
        " round trip each, plus flask-limiter's own Python), then Flask's request handling; the p99 at 10"
        " connections is queueing behind that on two workers sharing two cores with wrk and anything else running."),
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
