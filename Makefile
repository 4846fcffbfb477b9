# congso — the two commands of the README, and a few helpers.
#   make demo   set up everything and serve the demo at http://127.0.0.1:8000
#   make test   run the whole test suite (DATABASE_URL=postgres://… to run it on PostgreSQL)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
LOCK_HASH := $(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(LOCK_HASH)
PYTEST_ARGS ?=

.PHONY: demo test setup lint check-migrations deploy-check lock messages serve bench clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "congso needs Python 3.11 (found %s)" % sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/congso demo

serve: $(STAMP)
	$(BIN)/congso serve

test: $(STAMP)
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

check-migrations: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

deploy-check: $(STAMP)
	CONGSO_ENV=production DJANGO_SECRET_KEY=ci-only-$(LOCK_HASH)-not-a-real-secret-key-0123456789abcdef \
	CONGSO_ALLOWED_HOSTS=dichvucong.example.gov.vn \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Regenerate the pinned lock file after changing pyproject.toml (needs `uv`).
lock:
	uv pip compile --quiet --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	  pyproject.toml --extra dev --generate-hashes -o requirements.lock

# Extract and compile translations. Strings go to the nearest locale/ folder: an app that has
# congso/<app>/locale/ owns its catalogue; everything else lands in congso/locale/.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l en --no-obsolete --ignore ".venv/*" --ignore "*/tests/*" --ignore "tests/*" --ignore "var/*" --ignore "bench/*" --ignore "scripts/*"
	cd congso && ../$(BIN)/python ../manage.py compilemessages -l en

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
