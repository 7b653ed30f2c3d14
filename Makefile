# MediaNest: `make run` starts the whole portal; `make test` runs ruff and the whole suite.
# Both set themselves up first (virtualenv, Python packages, front-end build) on a fresh machine.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat shared/pyproject.toml | cksum | cut -d' ' -f1)
FRONTEND_STAMP := frontend/dist/index.html

.PHONY: setup run demo test lint bench bench-tools soak frontend clean

setup: $(STAMP) frontend

$(STAMP): shared/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e './shared[realtime,worker,local,dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)
	@command -v ffmpeg >/dev/null || echo "note: ffmpeg is not installed; downloads that merge formats need it (apt-get install ffmpeg)"

# The static front end; until frontend/ exists the portal serves a placeholder page.
frontend:
	@if [ -f frontend/package.json ]; then \
	  if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then \
	    (cd frontend && npm ci --no-audit --no-fund --loglevel=error); fi; \
	  (cd frontend && npm run build --silent); \
	fi

run: setup
	$(BIN)/python deploy/run_local.py

# The portal plus fakes of plex.tv, Plex, Overseerr, Uptime Kuma and YouTube, already configured.
demo: setup
	$(BIN)/python deploy/run_local.py --demo

lint: $(STAMP)
	$(BIN)/ruff check .

test: setup lint
	@if [ -f frontend/package.json ]; then (cd frontend && npm test --silent); fi
	$(BIN)/pytest

bench-tools: setup
	$(BIN)/pip install --quiet --disable-pip-version-check -e './shared[realtime,worker,local,dev,bench]'
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } || \
	  echo "note: wrk is not installed (apt-get install wrk); the throughput rows will say so"

bench: bench-tools
	$(BIN)/python -m bench

# 20 users for 10 minutes with a worker kill and a Redis restart (about 12 minutes in all).
soak: bench-tools
	$(BIN)/python -m bench --only soak

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist .pytest_cache .ruff_cache
