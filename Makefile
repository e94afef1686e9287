# The two commands in the README: `make run` and `make test`.
# Everything they need is installed here, from a fresh clone.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
DEMO_PASSWORD_FILE := instance/demo-password
PORT ?= 5000

.PHONY: run test mutate lint format setup assets serve clean

run: setup
	@mkdir -p instance
	@test -s $(DEMO_PASSWORD_FILE) || $(BIN)/python -c "import secrets; print('demo-' + secrets.token_urlsafe(12))" > $(DEMO_PASSWORD_FILE)
	$(FLASK) init
	$(FLASK) demo-data --password "$$(cat $(DEMO_PASSWORD_FILE))"
	@echo
	@echo "Demo users: officer@, sponsor@, board@, board2@, board3@, chair@, coordinator@, councillor@, admin@example.org"
	@echo "Demo password: $$(cat $(DEMO_PASSWORD_FILE))"
	@echo
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: setup lint
	$(BIN)/pytest -n auto

# Mutation testing of the rules that matter (QUALITY.md TEST-2), on SQLite.
# Incremental: a second run re-checks only what changed. Survivors are
# explained in tests/MUTANTS.md.
mutate: setup
	env -u TEST_DATABASE_URL -u CI $(BIN)/mutmut run --max-children 2
	$(BIN)/python tests/mutation_report.py

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

setup: $(VENV)/.installed assets

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: cctv_requests/static/app.css

cctv_requests/static/app.css: node_modules/.installed assets/build.mjs assets/scss/app.scss assets/scss/_map.scss assets/scss/_availability.scss assets/js/app.mjs assets/js/map.mjs assets/images/favicon.svg
	node assets/build.mjs

clean:
	rm -rf $(VENV) node_modules cctv_requests/static mutants
