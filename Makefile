# Jinan Targets — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Links in emails, feeds and exports point where the site is served (settings: SITE_URL from PORT).
export PORT
MANAGE := $(PY) manage.py

.PHONY: run setup test lint check bench-extract bench-status bench-web bench-history bench-digest bench-bulk seed lock clean

$(VENV)/.installed: requirements.lock requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is needed (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	touch $@

setup: $(VENV)/.installed

## Seed the database: migrate, reference data (places included), the seed documents (the districts' too), demo progress, statuses, an admin.
seed: setup
	$(MANAGE) migrate --no-input
	$(MANAGE) loaddata fixtures/reference.json
	# The districts' governments, by slug: a load of their own, after reference.json's numbered rows.
	$(MANAGE) loaddata fixtures/places.json
	$(MANAGE) ingest_documents fixtures/documents/*.txt --publish
	$(MANAGE) ingest_documents fixtures/districts/documents/*.txt --publish
	$(MANAGE) curate_goals
	$(MANAGE) load_reported_figures
	$(MANAGE) load_demo_progress
	$(MANAGE) evaluate_goals
	$(MANAGE) install_schedule
	$(MANAGE) local_admin

## Set everything up and serve the site on http://127.0.0.1:$(PORT), with a Celery worker and beat
## running the schedule beside it (the local broker is a folder); Ctrl-C stops all three.
run: seed
	$(PY) -m jinan_targets.run_local 127.0.0.1:$(PORT)

## The whole test suite. Uses DATABASE_URL when set, SQLite otherwise.
test: setup
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

check: setup
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

bench-extract: setup
	$(PY) -m bench.extract

bench-status: setup
	$(PY) -m bench.status

## Public pages under load at 10,000 goals / 1,000,000 figures (needs PostgreSQL, Redis and wrk).
bench-web: setup
	@command -v wrk >/dev/null || { echo "bench-web needs wrk: apt-get install -y wrk"; exit 1; }
	$(PY) -m bench.web

## The dashboard's status over time at 10,000 goals as the status history grows (its own database).
bench-history: setup
	$(PY) -m bench.history

## The weekly digest to 10,000 subscribers through a local SMTP sink (uses bench-web's database).
bench-digest: setup
	$(PY) -m bench.digest

## Bulk writes (a COPY of 1,000,000 figures, updates of every goal) with the public data version's
## triggers as now and as before (uses bench-web's database).
bench-bulk: setup
	$(PY) -m bench.bulk

## Re-pin the dependencies after changing pyproject.toml.
DEPS = $(PYTHON) -c 'import sys, tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	print("\n".join(p["dependencies"] if sys.argv[1] == "runtime" else p["optional-dependencies"]["test"]))'
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	$(DEPS) runtime > .lock-runtime.in && $(DEPS) test > .lock-test.in
	.lock-venv/bin/pip install --quiet -r .lock-runtime.in
	.lock-venv/bin/pip freeze > .lock-runtime.txt
	.lock-venv/bin/pip install --quiet -r .lock-test.in
	.lock-venv/bin/pip freeze | grep -vxF -f .lock-runtime.txt > .lock-test.txt || true
	(echo "# Runtime dependencies, pinned. Regenerate with 'make lock' after changing pyproject.toml."; cat .lock-runtime.txt) > requirements.lock
	(echo '# Test and development tools, pinned, on top of the runtime set.'; echo '-r requirements.lock'; \
		cat .lock-test.txt) > requirements-dev.lock
	rm -rf .lock-venv .lock-runtime.in .lock-test.in .lock-runtime.txt .lock-test.txt

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm .celery-broker staticfiles .pytest_cache test-artifacts
