# Two commands: `make run` (set up and serve the demo) and `make test` (set up and test).
# `make serve` installs only the runtime (requirements.txt); every other target that needs
# Python packages installs the runtime plus the test tools (requirements-dev.txt).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_COUNT ?= 60

.PHONY: help install install-runtime run migrate demo test lint format serve bench \
	bench-search bench-import html-tools check-html clean stack stack-down stack-test

help:
	@echo "make run              set up (.venv, requirements, migrations, demo content) and serve on :$(PORT)"
	@echo "make test             set up and run the whole test suite"
	@echo "make lint             ruff check + ruff format --check"
	@echo "make format           ruff check --fix + ruff format"
	@echo "make serve            production-style gunicorn server, runtime packages only (needs DEBUG=0 and SECRET_KEY)"
	@echo "make stack            the production layout on 127.0.0.1:$(STACK_PORT): nginx, 2 app servers, worker, S3"
	@echo "make stack-test       start the stack, prove it works through nginx, stop it"
	@echo "make stack-down       stop exactly what make stack started"
	@echo "make bench            throughput of the public pages"
	@echo "make bench-search     search speed on 100,000 articles in a PostgreSQL database"
	@echo "make bench-import     import a generated 100 MB WordPress export: items/s and peak memory"
	@echo "make html-tools       install the Nu Html Checker and axe-core under var/node"
	@echo "make check-html       run the HTML validity tests"
	@echo "make install          .venv with the runtime and the test tools (requirements-dev.txt)"
	@echo "make install-runtime  .venv with the runtime only (requirements.txt)"
	@echo "make migrate          apply the database migrations"
	@echo "make demo             migrations plus demo content and its search index"
	@echo "make clean            remove .venv, var, staticfiles, media and pytest's cache"
	@echo "make help             this list"

# One stamp per set: changing either file reinstalls what depends on it.
$(BIN)/.installed-runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(BIN)/.installed-dev: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(BIN)/.installed-dev

install-runtime: $(BIN)/.installed-runtime

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo --count $(DEMO_COUNT)
	$(BIN)/python manage.py rebuild_search_index --no-progress

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

serve: install-runtime
	DEBUG=$${DEBUG:-0} $(BIN)/python manage.py collectstatic --noinput
	DEBUG=$${DEBUG:-0} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-0} $(BIN)/gunicorn newsroom.wsgi --bind 127.0.0.1:$(PORT) --workers $${WORKERS:-3}

# Public pages under gunicorn (production settings) loaded by wrk, next to the same bytes served
# from memory by the same gunicorn (the floor): req/s, CPU ms per request, ratio to the floor.
# Each archive size gets its own database (var/bench/ or PostgreSQL with
# BENCH_ARGS="--database postgresql"); the page cache uses Redis database 9 when Redis runs.
bench: install
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python manage.py bench_pages $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles media .pytest_cache

# Search speed: 100,000 articles in a dedicated PostgreSQL database, median and p95 of 100 queries.
SEARCH_BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom_bench_search
SEARCH_BENCH_COUNT ?= 100000
bench-search: install
	DATABASE_URL=$(SEARCH_BENCH_DATABASE_URL) $(BIN)/python manage.py bench_search --count $(SEARCH_BENCH_COUNT)

# Moving in: a generated WordPress export of IMPORT_BENCH_MB megabytes, imported into its own
# SQLite database under var/; prints items per second and the import's peak memory.
IMPORT_BENCH_MB ?= 100
bench-import: install
	$(BIN)/python manage.py bench_import --megabytes $(IMPORT_BENCH_MB)

# HTML checks: the Nu Html Checker (npm vnu-jar, runs on Java) and axe-core (npm, injected
# into chromium by Playwright), installed under var/node. `make test` runs their tests when
# the tools are there; CI installs them first.
HTML_TOOLS := var/node/.installed
$(HTML_TOOLS):
	mkdir -p var/node
	npm install --prefix var/node --no-save --no-audit --no-fund --ignore-scripts vnu-jar@26.9.27 axe-core@4.14.1
	@touch $@

html-tools: $(HTML_TOOLS)

check-html: install html-tools
	$(BIN)/python -m pytest tests/test_html_validity.py -q

# Several app servers on one machine (docs/deploy.md): nginx on STACK_PORT balancing two
# gunicorns, the task worker and a local S3 server, on the machine's PostgreSQL and Redis.
STACK_PORT ?= 8080
export STACK_PORT
stack: install
	$(BIN)/python deploy/stack.py up

stack-down:
	$(BIN)/python deploy/stack.py down

stack-test: install
	$(BIN)/python deploy/check_stack.py
