# Two commands do all the set-up on a fresh machine (see README.md):
#   make run    installs kehoach and extracts the bundled corpus into outputs/run
#   make test   installs kehoach with its test tools and runs the linter and the tests
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup setup-test run test
setup:
	bash scripts/install-system.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .

setup-test:
	bash scripts/install-system.sh --test
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'

run: setup
	$(VENV)/bin/kehoach extract corpora/ --out outputs/run

test: setup-test
	$(VENV)/bin/ruff check pipeline tests scripts bench fuzz
	$(PY) -m pytest -q
