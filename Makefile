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

.PHONY: install run test lint typecheck check pytest chromium benchmark clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

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

pytest: install chromium
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck check pytest

benchmark: install
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .mypy_cache .ruff_cache
