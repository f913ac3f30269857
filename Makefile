# Two commands for a newcomer: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DATA := data/amsterdam
HOST ?= 127.0.0.1:8000

.PHONY: run test test-clocks install lock lint format migrate seed worker beat messages clean totp

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs exactly what requirements-dev.lock pins, each file checked against its hash (pip and
# setuptools included); `-e .` only registers the project's metadata (packages = []), built with
# the locked setuptools. `pip check` stops here when pyproject.toml asks for what the lock lacks.
$(STAMP): requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	@touch $@

install: $(STAMP)

# Write the lock files again from pyproject.toml, keeping every pin that still satisfies it.
# Upgrade one package: `make lock LOCK_ARGS='--upgrade-package pillow'`; all: LOCK_ARGS=--upgrade.
# requirements.lock (the image) is made first; the dev lock is held to its pins. See README.md.
LOCK_FLAGS := --quiet --generate-hashes --python-version 3.11 --python-platform linux \
	--custom-compile-command 'make lock' $(LOCK_ARGS)
lock: | $(BIN)/python
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/uv pip compile pyproject.toml -o requirements.lock $(LOCK_FLAGS)
	printf 'pip\nsetuptools>=77\n' | $(BIN)/uv pip compile pyproject.toml --extra dev - \
		-c requirements.lock -o requirements-dev.lock $(LOCK_FLAGS)

# Local settings for the demo: DEBUG on and a random secret key, made once and never committed.
.env:
	@printf 'DJANGO_DEBUG=true\nDJANGO_SECRET_KEY=%s\n' \
		"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote $@ (local demo settings; see .env.example for every setting)."

migrate: install .env
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py import_buurten $(DATA)/kerncijfers_wijken_buurten_2024.csv \
		--gebieden $(DATA)/buurten_gebieden.csv --verbosity 0
	$(BIN)/python manage.py seed_demo

run: seed
	@echo "Open http://$(HOST)/ (demo accounts: see README.md)"
	WIJKAANPAK_SITE_URL=$${WIJKAANPAK_SITE_URL:-http://$(HOST)} $(BIN)/python manage.py runserver $(HOST)

# The whole suite in lanes side by side, one per core (tests/lanes.py); with PYTEST_ARGS plain
# pytest with those arguments.
test: install .env
	$(BIN)/python tests/lanes.py $(PYTEST_ARGS)

# The in-process suite again at awkward moments: 03:30 at night, the first moments of summer
# time, the repeated hour when it ends, New Year's Eve 23:50 and a leap day 23:30 (Amsterdam).
# No test may pass or fail with the hour it runs at. Worker and browser tests keep the real
# clock (another process cannot be moved); the demo seed test sets its own awkward moments.
# Each clock's run is dealt into shares that go in lanes side by side, one per core, each lane
# with its own test database and Redis database (tests/lanes.py; TEST_LANES=1: one lane).
CLOCKS := 2027-01-14T02:30:00+00:00 2027-03-28T01:30:00+00:00 2026-10-25T00:30:00+00:00 \
	2026-12-31T22:50:00+00:00 2028-02-29T22:30:00+00:00
test-clocks: install .env
	$(BIN)/python tests/lanes.py --clocks $(CLOCKS)

# lint-imports: the apps import one way (docs/adr/0012-layout.md, contracts in pyproject.toml).
lint: install .env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Real Celery processes, for when REDIS_URL is set. Links in the e-mails a worker sends point to
# WIJKAANPAK_SITE_URL, else to http://$(HOST): give the same HOST as to `make run`.
worker: install .env
	WIJKAANPAK_SITE_URL=$${WIJKAANPAK_SITE_URL:-http://$(HOST)} $(BIN)/celery -A wijkaanpak worker --loglevel INFO

beat: install .env
	$(BIN)/celery -A wijkaanpak beat --loglevel INFO

# Regenerate the English catalogue and compile it and the Dutch overrides of third-party
# strings (needs GNU gettext); the .mo files are committed.
messages: install .env
	$(BIN)/python manage.py makemessages -l en --ignore '.venv/*' --ignore 'staticfiles/*'
	$(BIN)/python manage.py compilemessages -l en -l nl

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# The current TOTP code of a demo professional, e.g. `make totp EMAIL=coordinator@demo.wijkaanpak.nl`
totp: install .env
	@$(BIN)/python manage.py totp_code $(EMAIL)
