# Two set-up commands for a fresh machine:
#   make site   installs everything, validates the records and builds the site into site/
#   make test   installs everything (also Chromium and the npm test tools) and runs the whole test suite
PYTHON ?= python3
PIP := $(PYTHON) -m pip

.PHONY: install site serve test test-quick lint test-deps bench

install:
	$(PIP) install --quiet --disable-pip-version-check -e '.[test]'

site: install
	kansrijk validate
	$(PYTHON) -m mkdocs build --strict

serve: install
	$(PYTHON) -m mkdocs serve

test-deps: install
	bash scripts/install-test-deps.sh

lint:
	ruff check scripts tests benchmarks
	ruff format --check scripts tests benchmarks
	kansrijk schemas
	bash scripts/lint-workflows.sh

test: test-deps lint
	$(PYTHON) -m pytest -n 2 --dist loadgroup

# The everyday loop: everything but the Chromium tests (no browser needed).
test-quick: install
	$(PYTHON) -m pytest -n 2 --dist loadgroup -m "not browser"
