# `make run` starts the playground; `make test` runs every test. Both set up everything they need first.
VENV   := .venv
PYTHON := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint bench browser

# Running needs only the package; the test tools (pytest, Playwright, mypy, ruff, Keras...) come with `make test`.
$(VENV)/.installed-run: pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-run
	$(PYTHON) -m pip install --quiet -e '.[test]'
	touch $@

# Debian's Chromium for the browser tests (never a browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for the browser tests"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get install -y chromium || { $$SUDO apt-get update && $$SUDO apt-get install -y chromium; }; }

# The server says when it is compiling and prints the address to open once it answers.
run: $(VENV)/.installed-run
	$(VENV)/bin/playground serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check playground tests scripts
	$(VENV)/bin/mypy playground

test: $(VENV)/.installed-test browser lint
	$(VENV)/bin/pytest

bench: $(VENV)/.installed-run
	$(VENV)/bin/playground bench
