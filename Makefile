# Two commands for a newcomer: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DATA := data/amsterdam
HOST ?= 127.0.0.1:8000

.PHONY: run test install lint format migrate seed worker beat messages clean totp

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP)

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

test: install .env
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install .env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

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
