# Marquee: `make run` to try it, `make test` to prove it. `make help` lists everything.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PORT ?= 8000
FRONTEND_PORT ?= 3000
DEV_SETTINGS := site_config.settings.dev
# What the API needs to know about the reference frontend (make frontend) on FRONTEND_PORT:
# where its public links point, and which browser origins may read it. The environment wins.
FRONTEND_ENV := FRONTEND_BASE_URL=$${FRONTEND_BASE_URL:-http://localhost:$(FRONTEND_PORT)} \
	CORS_ALLOWED_ORIGINS=$${CORS_ALLOWED_ORIGINS:-http://localhost:$(FRONTEND_PORT),http://127.0.0.1:$(FRONTEND_PORT)}
FRONTEND_HINT := run 'make frontend PORT=$(PORT) FRONTEND_PORT=$(FRONTEND_PORT)' in another terminal, then open http://localhost:$(FRONTEND_PORT)/

.DEFAULT_GOAL := help
.PHONY: help install install-dev run serve frontend migrate demo test test-unit test-e2e browser node-tools clients lint format check bench bench-sync audit backup restore clean

help: ## List the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime ## Create .venv and install the pinned runtime requirements

install-dev: $(VENV)/.dev ## Install runtime plus test and tooling requirements

migrate: install ## Apply database migrations (SQLite unless DATABASE_URL is set)
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py migrate --noinput

demo: migrate ## Load the demo content and the local admin login (idempotent)
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py load_demo

run: demo ## Set everything up and serve on http://127.0.0.1:$(PORT) (its frontend on FRONTEND_PORT)
	@echo ""
	@echo "  Admin:  http://127.0.0.1:$(PORT)/admin/   (logins admin, editor, critic; password marquee-demo; local use only)"
	@echo "  API:    http://127.0.0.1:$(PORT)/api/v2/pages/?type=reviews.ReviewPage"
	@echo "  OpenAPI: http://127.0.0.1:$(PORT)/api/v2/openapi.json"
	@echo "  Frontend: $(FRONTEND_HINT)"
	@echo ""
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) WAGTAILAPI_BASE_URL=http://127.0.0.1:$(PORT) \
		WAGTAILADMIN_BASE_URL=http://127.0.0.1:$(PORT) $(FRONTEND_ENV) \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)

frontend: ## Serve the reference frontend on http://localhost:$(FRONTEND_PORT), reading the API on $(PORT)
	$(PYTHON) examples/frontend/serve.py --host localhost --port $(FRONTEND_PORT) --api http://127.0.0.1:$(PORT)/api/v2/

# Production settings, locally: gunicorn, whitenoise, DEBUG off, no TLS.
SERVE_ENV := DJANGO_SETTINGS_MODULE=site_config.settings.production \
	SECRET_KEY=$${SECRET_KEY:-local-serve-only-0123456789abcdefghijklmnopqrstuvwxyz0123456789} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} SECURE_SSL_REDIRECT=false SECURE_COOKIES=false \
	WAGTAILAPI_BASE_URL=http://127.0.0.1:$(PORT) WAGTAILADMIN_BASE_URL=http://127.0.0.1:$(PORT) $(FRONTEND_ENV)

serve: demo ## Serve like production: gunicorn, task worker and scheduler (Procfile, honcho) on http://127.0.0.1:$(PORT)
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v 0
	@echo "  Admin: http://127.0.0.1:$(PORT)/admin/   API: http://127.0.0.1:$(PORT)/api/v2/pages/"
	@echo "  Frontend: $(FRONTEND_HINT)"
	@echo "  Processes (Procfile): web (gunicorn), worker (delivery re-renders), scheduler (publish_scheduled)"
	$(SERVE_ENV) MEDIA_URL=/media/ TASKS_BACKEND=database GUNICORN_BIND=127.0.0.1:$(PORT) \
		PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile

test: test-unit test-e2e ## Run the whole test suite: unit and API tests, then the browser tests

test-unit: install-dev ## Unit, API and operations tests (2 workers)
	$(PY) -m pytest -n 2 --create-db --ignore=tests/e2e

test-e2e: install-dev browser node-tools ## Browser tests: admin, API and reference frontend in headless Chromium
	$(PY) -m pytest tests/e2e

node-tools: examples/typescript/node_modules/.package-lock.json ## Install the pinned TypeScript tools (npm ci in examples/typescript)

examples/typescript/node_modules/.package-lock.json: examples/typescript/package-lock.json
	@command -v npm >/dev/null || { apt-get update -q && apt-get install -y -q nodejs npm; }
	cd examples/typescript && npm ci --no-audit --no-fund

browser: ## Install Debian's chromium for the browser tests, if missing
	@command -v chromium >/dev/null || { apt-get update -q && apt-get install -y -q chromium; }

# The document under the default settings (its limits appear in parameter descriptions), so the
# committed TypeScript types are the same wherever they are generated.
DOCUMENT_ENV := env -u API_LIMIT_MAX -u API_OFFSET_MAX -u API_RATE_LIMIT -u API_RATE_WINDOW \
	-u API_SEARCH_MAX_LENGTH -u API_SEARCH_MAX_TERMS DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS)

clients: install-dev node-tools ## Generate clients from the OpenAPI document: TypeScript types (examples/typescript/src/api.d.ts), Python client (build/python-client/)
	$(DOCUMENT_ENV) $(PY) manage.py openapi_document build/openapi.json
	cd examples/typescript && npx openapi-typescript ../../build/openapi.json -o src/api.d.ts && npx tsc -p tsconfig.json
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/openapi-python-client generate --path build/openapi.json \
		--output-path build/python-client --overwrite

lint: install-dev ## ruff check and the import layering contract (import-linter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

format: install-dev ## ruff format and fix imports
	$(VENV)/bin/ruff check --fix --select I .
	$(VENV)/bin/ruff format .

check: install-dev ## Django system checks and a missing-migrations check
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py makemigrations --check --dry-run

bench: install-dev ## Benchmark the API against stock Wagtail (ARGS="--scale 50000" for more)
	@command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
	$(PY) benchmarks/run.py $(ARGS)

bench-sync: install-dev ## Benchmark the sync feed: initial and delta sync (ARGS="--clone-to 50000" for more)
	$(PY) benchmarks/sync.py $(ARGS)

audit: install-dev ## Known vulnerabilities in the pinned requirements (pip-audit; needs PyPI's JSON API)
	$(VENV)/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off -r requirements.txt -r requirements-dev.txt

backup: install ## Back up database and local media into ./backups/<timestamp>/ (uses DATABASE_URL)
	$(PY) manage.py backup --output backups

restore: install ## Restore from a backup: make restore BACKUP=backups/<timestamp>
	@test -n "$(BACKUP)" || (echo "usage: make restore BACKUP=backups/<timestamp>" && exit 2)
	$(PY) manage.py restore $(BACKUP)

clean: ## Remove the venv, local database and media
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm media static
