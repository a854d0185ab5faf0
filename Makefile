# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export KHOOSHEH_DATA_DIR ?= $(CURDIR)/var

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
	@echo "khoosheh: open http://127.0.0.1:8000 and log in as demo / demo"
	$(BIN)/khoosheh runserver 127.0.0.1:8000 --noreload

lint: $(STAMP)
	$(BIN)/ruff check khoosheh tests bench tools
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
