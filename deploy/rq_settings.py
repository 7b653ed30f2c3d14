"""Settings module for `rq worker --config rq_settings`: the worker's Redis URL from MediaNest's settings.

`rq worker --url` would need the URL on the command line (visible in the process list) or in the
environment; reading it through `load_settings()` also honours secret files (/var/openfaas/secrets,
/run/secrets), where the container targets keep it. rq reads the UPPERCASE names of this module.
"""

from medianest.config import load_settings

REDIS_URL = load_settings().redis_url
