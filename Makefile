# The README's two commands are the contract: `make workshop` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PORT ?= 8888

.PHONY: workshop present phones test test-fast lint format bench demo messages clean

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
## random token Jupyter generates (printed in full in the address it shows). Notebooks are
## saved without outputs or widget state (workshop_kit/notebook_scrub.py).
workshop: $(STAMP)
	mkdir -p sessions
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		$$([ "$$(id -u)" = 0 ] && echo --allow-root) \
		--ContentsManager.pre_save_hook=workshop_kit.notebook_scrub.pre_save_hook \
		--ServerApp.root_dir="$(CURDIR)" notebooks/00_start_here.ipynb

## Show the notebooks as clean pages for the projector (Voilà; localhost, with a token).
## `make present PORT=9000` uses that port; without PORT, present mode's own default (8866).
present: $(STAMP)
	$(VENV)/bin/workshop-kit present $(if $(filter command line environment,$(origin PORT)),--port $(PORT))

## Let participants answer on their own phones (STORE=sessions/x.sqlite; see
## facilitator_notes/phones_on_the_day.md). BIND=0.0.0.0 listens on every network.
STORE ?= sessions/demo.sqlite
phones: $(STAMP)
	$(VENV)/bin/workshop-kit phones $(STORE) $(if $(BIND),--bind $(BIND))

## The participant-facing words (phone pages, laptop check-in): extract them to
## messages.pot, update every catalogue, fill the
## English one and compile them all (the .mo files are committed).
LOCALE := workshop_kit/locale
messages: $(TEST_STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k N_ -o $(LOCALE)/messages.pot --no-location \
		--sort-output --project="Couples Workshop Kit" --version=0.1.0 \
		--copyright-holder="Couples Workshop Kit contributors" -w 100 .
	$(VENV)/bin/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) --no-fuzzy-matching -w 100
	$(PY) -c "from workshop_kit.phones.i18n import fill_english; fill_english()"
	$(VENV)/bin/pybabel compile -d $(LOCALE) --statistics

## Set everything up and run every test: unit tests, doctests, notebooks (nbval).
test: $(TEST_STAMP)
	$(PY) -m pytest

## The quick loop while changing code: no browser tests and nothing marked slow.
test-fast: $(TEST_STAMP)
	$(PY) -m pytest -m "not browser and not slow"

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
