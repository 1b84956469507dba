# drsui: `make run` starts the portal with the embedded sandbox; `make test` passes the suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python >= 3.12 found: pyenv's installs (these machines), then the PATH.
PYTHON ?= $(shell for c in $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) \
	python3.14 python3.13 python3.12 python3; do \
	command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$c; break; }; done)

PGBIN := /usr/lib/postgresql/15/bin

.PHONY: messages compilemessages run serve serve-stop test test-fast test-postgresql bench loadtest lint python demo clean

python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "drsui needs Python 3.12 or newer and found none (looked in pyenv and on PATH)." >&2; \
	  echo "Install one (e.g. 'pyenv install 3.12') or run: make PYTHON=/path/to/python3.12 ..." >&2; \
	  exit 1; fi

$(VENV)/.installed: requirements.txt | python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-tests: tests/requirements.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	@touch $@

/usr/bin/chromium:
	@echo "Installing Debian's chromium for the browser tests..."
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null

# A Chinese font, so that the layout tests measure Chinese text as a browser shows it (without
# one Chromium draws boxes).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
$(CJK_FONT):
	@echo "Installing Debian's fonts-wqy-microhei for the browser tests in Chinese..."
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-wqy-microhei >/dev/null

# Debian's PostgreSQL 15: `make serve` and `make test` run throwaway clusters of it.
/usr/bin/wrk:
	@echo "Installing Debian's wrk for make bench..."
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null

$(PGBIN)/pg_ctl:
	@echo "Installing Debian's postgresql for make serve and make test..."
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null

# Translations: `make messages` extracts the marked strings into each area's
# locale/zh_Hans/LC_MESSAGES/django.po (kept in git); the .mo files are compiled from them
# (git-ignored) before anything runs: run, serve, test, test-fast, test-postgresql, loadtest.
# makemessages rewrites every catalog: commit only the ones you changed.
PO_FILES := $(shell find locale drsui -name django.po -path '*zh_Hans/LC_MESSAGES/*')
MO_FILES := $(PO_FILES:.po=.mo)
MESSAGES_IGNORE := --ignore=tests --ignore=bench --ignore=tools --ignore=staticfiles --ignore=static

/usr/bin/msgfmt:
	@echo "Installing Debian's gettext to compile the translations..."
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null

%.mo: %.po | /usr/bin/msgfmt
	msgfmt --check-format -o $@ $<

messages: $(VENV)/.installed /usr/bin/msgfmt
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete $(MESSAGES_IGNORE)

compilemessages: $(MO_FILES)

demo: $(VENV)/.installed $(MO_FILES)
	$(PY) manage.py migrate --noinput -v 0
	DRSUI_PORTAL_URL=http://$(HOST):$(PORT) $(PY) manage.py drsui_demo

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production topology (Procfile under honcho, PostgreSQL, HTTPS) on this machine.
serve: $(VENV)/.installed $(PGBIN)/pg_ctl $(MO_FILES)
	tools/serve

serve-stop:
	tools/serve stop

# pytest-xdist workers: one per core (WORKERS=0 runs in this process, e.g. to debug).
WORKERS ?= auto
PYTEST := $(PY) -m pytest -q -n $(WORKERS)
# Each pytest worker and manage.py child compiles drsui and the tests again unless bytecode
# is kept (__pycache__, ignored by git): a second or so of CPU per process.
unexport PYTHONDONTWRITEBYTECODE

# The suite in three passes at the same time (tools/test-suite): on SQLite (the embedded
# default), the browser tests (on an SQLite file; they mostly wait on Chromium, so beside the
# others rather than after them), and on PostgreSQL: a throwaway cluster in .pg-test (no fsync:
# its data is thrown away). On PostgreSQL only the tests that reach the database run
# (`-m database`, marked by tests/conftest.py from pytest-django's own fixtures): that is the
# suite on PostgreSQL in substance, as the others (contract, field kinds, exports, signing,
# subprocesses on their own SQLite files) cannot differ by database.
test: $(VENV)/.installed-tests /usr/bin/chromium $(CJK_FONT) $(PGBIN)/pg_ctl $(MO_FILES)
	$(PY) -m ruff check .
	PYTEST="$(PYTEST)" tools/test-suite

# The edit loop: lint and the suite on SQLite without the browser tests.
test-fast: $(VENV)/.installed-tests $(MO_FILES)
	$(PY) -m ruff check .
	$(PYTEST) --ignore=tests/browser

test-postgresql: $(VENV)/.installed-tests $(PGBIN)/pg_ctl $(MO_FILES)
	@url=$$(PG_SERVER_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
	  tools/throwaway-pg start .pg-test) && trap 'tools/throwaway-pg stop .pg-test' EXIT && \
	echo "pytest on PostgreSQL (DATABASE_URL of .pg-test), the tests that reach the database:" && \
	DATABASE_URL=$$url $(PYTEST) -m database --ignore=tests/browser

lint: $(VENV)/.installed-tests
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# The wizard, the ops dashboard (10,000 submissions) and the waves on SQLite (the embedded
# default), then the ops dashboard with 100,000 submissions, the queue bursts and the waves on
# PostgreSQL: a throwaway cluster in .pg-bench with the server's default settings (fsync on, as
# in production).
bench: $(VENV)/.installed-tests $(PGBIN)/pg_ctl /usr/bin/wrk
	$(PY) bench/wizard.py
	BENCH_OPS_ROWS=10000 $(PY) bench/ops.py
	$(PY) bench/waves.py
	@url=$$(tools/throwaway-pg start .pg-bench) && trap 'tools/throwaway-pg stop .pg-bench' EXIT && \
	BENCH_DATABASE_URL=$$url $(PY) bench/ops.py && BENCH_DATABASE_URL=$$url $(PY) bench/waves.py

# The production topology under load and faults (50 locust users, a sandbox that fails, a queue
# worker killed), loopback only, 6–9 minutes here: bench-results/loadtest.md.
loadtest: $(VENV)/.installed-tests $(PGBIN)/pg_ctl $(MO_FILES)
	$(PY) bench/loadtest/run.py

clean:
	-tools/serve stop 2>/dev/null
	rm -rf $(VENV) db.sqlite3* staticfiles .serve .pg-test .pg-bench .loadtest
