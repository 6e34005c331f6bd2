# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

# The test suite runs against the real services (PostgreSQL, Redis), never SQLite.
TEST_ENV := DJANGO_DEBUG=1 \
	DJANGO_SECRET_KEY=test-only-not-secret \
	DATABASE_URL=$(or $(TEST_DATABASE_URL),postgres://postgres@127.0.0.1:5432/isms_csirt) \
	CELERY_BROKER_URL=$(or $(TEST_BROKER_URL),redis://127.0.0.1:6379/14) \
	CACHE_URL=$(or $(TEST_CACHE_URL),redis://127.0.0.1:6379/13) \
	ISMS_VAR_DIR=$(CURDIR)/var/test \
	EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend

.PHONY: run test coverage test-stress mutation lint format messages bench-intake bench-api-list bench-alerts bench-evaluate bench-data bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

## make run: the app on its embedded default (SQLite + filesystem broker), demo data, URL printed.
run: export DJANGO_DEBUG ?= 1
run: $(VENV)/.installed
	$(MANAGE) migrate --noinput
	$(MANAGE) compiletranslations
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) seed_demo > /dev/null
	$(MANAGE) runstack --welcome var/demo-welcome.txt

## make test: lint, migrations check, system check and pytest against PostgreSQL + Redis, in
## PYTEST_WORKERS processes (pytest-xdist; 0 runs it in this process; tests/README.md). Whole
## files go to the workers longest first (tests/file_weights.json, kept in collection order);
## the run's timings land in var/test/junit.xml (scripts/test_weights.py refreshes the weights).
PYTEST_WORKERS ?= 2
XDIST := -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder
test: $(VENV)/.installed-dev
	$(BIN)/python scripts/ensure_services.py
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run
	$(TEST_ENV) $(MANAGE) check --fail-level WARNING
	$(TEST_ENV) $(MANAGE) compiletranslations
	$(TEST_ENV) $(BIN)/python -m pytest $(XDIST) --junitxml=var/test/junit.xml $(PYTEST_ARGS)

## make coverage (not part of CI): the same pytest run with line coverage (slower: every line
## traced, which CI's 15 minutes cannot afford); the summary in the terminal, HTML in var/coverage/.
coverage: $(VENV)/.installed-dev
	$(BIN)/python scripts/ensure_services.py
	$(TEST_ENV) $(MANAGE) compiletranslations
	$(TEST_ENV) $(BIN)/python -m pytest $(XDIST) --cov --cov-report=term:skip-covered \
		--cov-report=html:var/coverage $(PYTEST_ARGS)

## make test-stress (not part of CI): the pytest suite STRESS_RUNS (3) times in a row while
## `stress-ng --cpu STRESS_CPU` (2) loads the machine; stops at the first failure (tests/README.md).
STRESS_RUNS ?= 3
STRESS_CPU  ?= 2
test-stress: $(VENV)/.installed-dev
	$(BIN)/python scripts/ensure_services.py
	$(TEST_ENV) $(MANAGE) compiletranslations
	$(TEST_ENV) STRESS_RUNS=$(STRESS_RUNS) STRESS_CPU=$(STRESS_CPU) \
		scripts/test_stress.sh $(BIN)/python -m pytest $(XDIST) -p no:cacheprovider $(PYTEST_ARGS)

## make mutation: remove each rule clause of scripts/mutation.py in turn; every one must be killed.
mutation: $(VENV)/.installed-dev
	$(BIN)/python scripts/ensure_services.py
	$(TEST_ENV) $(MANAGE) compiletranslations
	$(TEST_ENV) $(BIN)/python scripts/mutation.py $(MUTATION_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make messages: refresh locale/*.po from the code (needs GNU gettext).
messages:
	DJANGO_DEBUG=1 $(MANAGE) makemessages -l ja -l en --ignore=.venv --ignore=.venv-bench --ignore=var --ignore=static

## Benchmarks (not part of make test; figures in bench/README.md). Need PostgreSQL and Redis.
## They run in a venv of their own built from an optimised interpreter (PGO + LTO, as the image's
## python:3.11-slim): BENCH_PYTHON, by default Debian's /usr/bin/python3.11 where it exists.
## A pyenv or source build without --enable-optimizations runs the pages' Python ~1.4x slower
## than production does (bench/README.md, "How make bench measures").
BENCH_PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) $(PYTHON))
BENCH_VENV   := .venv-bench
BENCH_BIN    := $(BENCH_VENV)/bin

$(BENCH_BIN)/python:
	$(BENCH_PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_BIN)/pip install -q --upgrade pip

$(BENCH_VENV)/.installed: pyproject.toml | $(BENCH_BIN)/python
	$(BENCH_BIN)/pip install -q -e '.[dev]'
	touch $@

## make bench-data: the realistic data set (bench/data.py; BENCH_SCALE=0.01 for a smoke run).
BENCH_SCALE ?= 1
bench-data: $(BENCH_VENV)/.installed
	$(BENCH_BIN)/python bench/data.py --scale $(BENCH_SCALE)

## make bench: the in-process benchmarks on it, previous run beside the new; exit 1 on a miss.
## BENCH_ARGS=--save-baseline also writes the run to bench/baseline.json (commit it).
bench: $(BENCH_VENV)/.installed
	$(BENCH_BIN)/python bench/run.py $(BENCH_ARGS)

bench-intake: $(BENCH_VENV)/.installed
	$(BENCH_BIN)/python bench/intake.py

bench-api-list: $(BENCH_VENV)/.installed
	$(BENCH_BIN)/python bench/api_list.py

bench-evaluate: $(BENCH_VENV)/.installed
	$(BENCH_BIN)/python bench/evaluate.py

bench-alerts: $(BENCH_VENV)/.installed
	$(BENCH_BIN)/python bench/alerts.py

bench-import: $(BENCH_VENV)/.installed
	$(BENCH_BIN)/python bench/import.py
