# The README's two commands are the contract: `make workshop` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PORT ?= 8888

.PHONY: workshop present test lint format bench demo clean

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	touch $@ $(STAMP)

## Set everything up and start JupyterLab on the start notebook: localhost only, with the
## random token Jupyter generates (printed in full in the address it shows).
workshop: $(STAMP)
	mkdir -p sessions
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		$$([ "$$(id -u)" = 0 ] && echo --allow-root) \
		--ServerApp.root_dir="$(CURDIR)" notebooks/00_start_here.ipynb

## Show the notebooks as clean pages for the projector (Voilà; localhost, with a token).
present: $(STAMP)
	$(VENV)/bin/workshop-kit present

## Set everything up and run every test: unit tests, doctests, notebooks (nbval).
test: $(TEST_STAMP)
	$(PY) -m pytest

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(TEST_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Measure what a facilitator waits for (prints one table; asserts nothing about speed).
bench: $(TEST_STAMP)
	$(PY) benchmarks/run.py

## Build a demo session to rehearse with (sessions/demo.sqlite).
demo: $(STAMP)
	mkdir -p sessions
	rm -f sessions/demo.sqlite sessions/demo.sqlite-wal sessions/demo.sqlite-shm
	$(VENV)/bin/workshop-kit demo --couples 12 --store sessions/demo.sqlite

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
