# Everyday commands. `make run` and `make test` set everything up on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export FLASK_APP := app

.PHONY: run test lint format bench translations translations-compile demo check clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

translations-compile: $(VENV)/.installed
	$(BIN)/pybabel --quiet compile -d translations

instance/keys/issuer-rs256.pem: $(VENV)/.installed
	$(BIN)/flask certificates generate-key --out $@

run: $(VENV)/.installed translations-compile instance/keys/issuer-rs256.pem
	$(BIN)/flask db upgrade
	$(BIN)/flask courses check
	$(BIN)/flask demo load
	@echo "Lumos Learn: http://127.0.0.1:$(PORT)/"
	@# E-mail waits in the outbox until a worker delivers it (to the log without MAIL_SERVER); it stops with the server.
	$(BIN)/flask notifications worker & trap 'kill $$! 2>/dev/null' EXIT; \
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) --access-logfile - app:app

test: $(VENV)/.installed-dev translations-compile
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: $(VENV)/.installed
	$(BIN)/flask courses check

bench: $(VENV)/.installed-dev translations-compile
	$(BIN)/python bench/run_all.py

translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs='.* __pycache__' -o translations/messages.pot --project "Lumos Learn" --no-location --sort-output .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d translations

clean:
	rm -rf $(VENV) instance/static-hashed .pytest_cache
