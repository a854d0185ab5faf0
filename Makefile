# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export KHOOSHEH_DATA_DIR ?= $(CURDIR)/var
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo test lint install clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/khoosheh migrate --verbosity 0
	$(BIN)/khoosheh demo-data --if-empty
	@echo "khoosheh: open http://$(HOST):$(PORT) and log in as demo / demo (a worker runs the background jobs)"
	@# The worker runs beside the portal and stops with it (Ctrl+C, or runserver ending any other way).
	@$(BIN)/khoosheh worker --verbosity 0 & worker=$$!; \
	  trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/khoosheh runserver $(HOST):$(PORT) --noreload

lint: $(STAMP)
	$(BIN)/ruff check khoosheh tests bench tools
	$(BIN)/lint-imports --no-cache  # the floors of docs/architecture.md ([tool.importlinter] in pyproject.toml)
	KHOOSHEH_DATA_DIR=$(CURDIR)/.pytest-data $(BIN)/khoosheh makemigrations --check --dry-run --verbosity 0

test: lint
	@if [ -x "$${KHOOSHEH_CHROMIUM:-/usr/bin/chromium}" ] || command -v chromium >/dev/null 2>&1; then \
	  echo "browser tests: Chromium found, they run (screenshots in tests/artefacts/)"; \
	else \
	  echo "browser tests: SKIPPED - no Chromium on this machine (as root: apt-get install chromium)"; \
	fi
	KHOOSHEH_DATA_DIR=$(CURDIR)/.pytest-data $(BIN)/pytest -q

messages: $(STAMP)
	cd khoosheh && ../$(BIN)/django-admin makemessages -l fa --settings=khoosheh.settings --pythonpath=.. \
	  && ../$(BIN)/django-admin compilemessages --settings=khoosheh.settings --pythonpath=..

clean:
	rm -rf $(VENV) .pytest-data .pytest_cache
