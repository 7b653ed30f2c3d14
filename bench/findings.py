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
    " 70 µs). Under this load (py-spy --gil on one status worker at 50 connections, share of the samples holding"
    " the GIL): flask-limiter 18%, the session check 15% (PyJWT 7%, the HMGET 8%), the status cache GET and its"
    " JSON 9%, response validation and jsonify 7%, gunicorn's request parsing and writing about 15%, redis-py's"
    " command path (send, parse, retry wrapper) about 18% spread over the three calls; no one place is more than a"
    " fifth, so the gap is the sum of what each authenticated, rate-limited request does, not a hot spot."
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
        "Idle, a worker holds 71-75 MB (see the idle rows). media's first Plex call (the warm-up) brings in"
        " requests, urllib3, tenacity and circuitbreaker: 5.0 MB measured in-process on top of the media app, 2.85 MB"
        " of it charset_normalizer (mypyc-compiled; requests imports it at import for `Response.text`, and warns"
        " without it), urllib3 0.7 MB, tenacity 0.4 MB; the 8 threads, the PostgreSQL and Redis connections and"
        " the caches add about 4 MB. MALLOC_ARENA_MAX=2 changed nothing (81.2 MB against 81.4). status's reads"
        " make no outbound call, so it no longer holds requests at all (75.0 MB, 80.6 before requests was"
        " imported on first use)."),
    "memory idle: ": (
        "What a worker holds, measured import by import (RSS): Flask 20 MB (the bare app is 30 MB in all),"
        " psycopg 10 MB (libpq and the OpenSSL its wheel bundles), PyJWT with cryptography 9 MB, redis-py 8 MB,"
        " pydantic 4 MB, flask-limiter 2 MB, prometheus_client 1 MB, our modules and models 7 MB. yt-dlp (15 MB"
        " with what it imports) and RQ (7 MB) are imported by the first request that needs them, not at start."),
    "cold start: ": (
        "Start-up is import-bound: create_app() itself takes about 6 ms (the PostgreSQL pool opens on first use)."
        " The bare app imports Flask (0.08 s of CPU); a function adds 0.22-0.26 s of imports (CPU of a fresh"
        " interpreter, -X importtime for the split), nearly all of which any request but /healthz needs. What"
        " importing each first saves, for auth: psycopg with psycopg_pool 0.066 s (libpq and its type adapters;"
        " medianest/errors.py needs its exception classes at import), redis-py 0.044 s (its __init__ imports"
        " redis.asyncio, so asyncio comes too), flask-limiter 0.031 s (limits imports its async storage), PyJWT"
        " 0.029 s (0.021 s of it cryptography's x509 and asymmetric modules, which HS256 never uses), pydantic"
        " 0.017 s, prometheus_client 0.012 s. Imported on first use instead of at start: requests, urllib3,"
        " tenacity and circuitbreaker (the first outbound call, medianest/http.py; about 0.03 s), RQ (the first"
        " enqueue or queue view), yt-dlp (the downloads function's first preview or submission; with RQ 0.05 s more),"
        " argon2's dummy hash (auth's first unknown-user sign-in). realtime runs under the gevent worker (0.07-0.1 s"
        " more than gthread) and is compared with the bare app under gevent. What would still move it: psycopg"
        " imported on first database use (a real saving only for realtime, whose one database use is"
        " /readyz; elsewhere it moves 0.05-0.07 s to the first request, and readiness probes need it anyway)."),
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
