# Two commands for a newcomer: `make run` (the demo) and `make test` (everything CI checks).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
CHROMIUM ?= /usr/bin/chromium
# The port `make run` serves the demo on (PORT=8001 make run when 8000 is taken).
PORT ?= 8000
PROD_CHECK_ENV := DJANGO_SETTINGS_MODULE=send_cms.settings.production \
	SECRET_KEY=check-deploy-dummy-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ \
	DATABASE_URL=sqlite://:memory: REDIS_URL=redis://127.0.0.1:6379/0 \
	ALLOWED_HOSTS=send.example.invalid

# The whole dependency tree, pinned with hashes: production's, and production's plus the dev extra.
LOCK_ARGS := --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-trusted-host --no-emit-find-links

.PHONY: install lock run test lint typecheck check pytest chromium benchmark clean

install: $(VENV)/.installed node_modules/.installed

# Exactly the locked versions; then the project itself in place (no dependencies of its own to
# resolve), and `pip check` fails when pyproject.toml asks for something the lock lacks.
$(VENV)/.installed: pyproject.toml requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	touch $@

# After changing a dependency in pyproject.toml. Pins already in the locks are kept while they
# still fit; to move one on purpose: make lock LOCK_UPGRADE="--upgrade-package celery".
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/pip-compile || $(PY) -m pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile $(LOCK_ARGS) $(LOCK_UPGRADE) --extra dev --output-file requirements-dev.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_ARGS) $(LOCK_UPGRADE) --constraint requirements-dev.lock --output-file requirements.lock pyproject.toml

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --lint templates $(wildcard */templates send_cms/*/templates)
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy .

check: install
	DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run
	$(PROD_CHECK_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# Debian's Chromium for the browser tests; never a browser download.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian's chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
		else \
			echo "Chromium is missing at $(CHROMIUM): install Debian's chromium package (or set CHROMIUM=/path)." >&2; exit 1; \
		fi; \
	fi

# One test process per core (pytest-xdist), each on its own test database; tests marked
# xdist_group run in one process together. PYTEST_WORKERS=0 runs everything in this process.
PYTEST_WORKERS ?= auto
pytest: install chromium
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

test: lint typecheck check pytest

benchmark: install
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .mypy_cache .ruff_cache
