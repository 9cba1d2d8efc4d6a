# Two commands do all set-up: `make demo` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
export SECU4ALL_DATA_DIR ?= $(CURDIR)/var

PO_FILES := $(wildcard src/secu4all/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: demo test lint format messages makemessages chromium bench clean

demo: $(VENV)/.runtime $(MO_FILES)
	$(BIN)/secu4all demo

test: $(VENV)/.dev $(MO_FILES) chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.runtime: pyproject.toml $(VENV)/.created
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.created
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.runtime

%.mo: %.po
	msgfmt --check --output-file=$@ $<

# Browser tests drive Debian's Chromium; never a browser downloaded by a test tool.
chromium:
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "The browser tests need Debian's Chromium at /usr/bin/chromium."; \
		echo "Install it with:  sudo apt-get install chromium   and run 'make test' again."; \
		exit 1; \
	fi

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract new UI strings into the five catalogues (translate them before committing).
makemessages: $(VENV)/.dev
	cd src/secu4all && ../../$(BIN)/secu4all manage makemessages --no-obsolete --no-location \
		-l nl -l en -l de -l fr -l it --ignore "engines/*"

bench: $(VENV)/.dev
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var src/secu4all/locale/*/LC_MESSAGES/*.mo
