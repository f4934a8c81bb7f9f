# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APP    := $(BIN)/flask --app wsgi

.PHONY: run test lint format clean translations

# The compiled catalogues (.mo), built from the committed .po files, never committed.
CATALOGUES := $(wildcard scbi/translations/*/LC_MESSAGES/messages.po)
COMPILED   := $(CATALOGUES:.po=.mo)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# axe-core, the accessibility checker the browser tests run, from the npm registry (package-lock.json).
AXE := node_modules/axe-core/axe.min.js
# Without npm the browser tests are skipped, saying why (and fail in CI, which requires them).
$(AXE): package.json package-lock.json
	@if command -v npm > /dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm is not installed: the browser tests will be skipped"; fi

%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@ --statistics

translations: $(COMPILED)

run: $(VENV)/.installed $(COMPILED)
	$(APP) db upgrade
	$(APP) scbi demo --if-empty
	$(APP) scbi ensure-login
	$(APP) run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-test $(COMPILED) $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache $(COMPILED)
