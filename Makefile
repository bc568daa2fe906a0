# A newcomer needs three commands: `make run`, `make check` (between edits, under a minute) and
# `make test` (the full CI, before pushing).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgresql+psycopg://127.0.0.1:5432/test
export FLASK_APP := forum
PLUGINS := $(wildcard plugins/*/pyproject.toml)

# The quick suite: SQLite, no browser, no slow or serial tests.
QUICK := -m "not browser and not slow and not serial"

.PHONY: run check format-check typecheck quick test test-sqlite test-postgres lint install bench screenshots migration-core i18n browser-deps nginx-deps postgres-up redis-up clean

$(BIN)/.installed: pyproject.toml $(PLUGINS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]' $(foreach p,$(PLUGINS),-e $(dir $(p)))
	$(BIN)/python -m forum.i18n.catalogs
	touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/flask db upgrade heads
	$(BIN)/flask forum seed-demo
	$(BIN)/flask forum qa seed-demo
	$(BIN)/flask forum pair-spaces seed-demo
	$(BIN)/flask forum reindex
	$(BIN)/flask run --host 127.0.0.1 --port 5000

lint: install
	$(BIN)/ruff check forum plugins tests bench
	$(BIN)/lint-imports

format-check: install
	$(BIN)/ruff format --check forum plugins tests bench

typecheck: install
	$(BIN)/mypy

# Compiled and assertion-rewritten modules are cached even where the shell sets
# PYTHONDONTWRITEBYTECODE (collecting then takes 5 s instead of 13 s, in each of three processes).
quick: install
	env -u DATABASE_URL -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -q -n 2 --dist loadgroup $(QUICK)

# What a contributor runs between edits. The static checks run beside the suite (they take a few
# seconds of one core while the suite waits on its own work); `--output-sync` prints each part's
# output in one piece when it ends, so a failure reads as if the parts had run one by one.
check: install
	$(MAKE) --no-print-directory -j4 --output-sync=target lint typecheck format-check quick

browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# Debian's nginx, for the deploy-kit test (tests/hardening/test_deploy_nginx.py); the test runs its
# own nginx process, so the packaged service is not needed.
nginx-deps:
	@test -x /usr/sbin/nginx || (apt-get update -qq && apt-get install -y -qq nginx >/dev/null)

postgres-up:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done

redis-up:
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log

test-sqlite: install browser-deps nginx-deps
	env -u DATABASE_URL $(BIN)/pytest -q -n 2 --dist loadgroup -m "not serial"
	env -u DATABASE_URL $(BIN)/pytest -q -m serial

test-postgres: install browser-deps nginx-deps postgres-up
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n 2 --dist loadgroup -m "not serial"
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m serial

test: lint typecheck redis-up test-sqlite test-postgres

bench: install
	$(BIN)/python bench/run.py

screenshots: install browser-deps
	$(BIN)/python docs/screenshots/make_screenshots.py

# Translations: extract every message id (core, then each bundled plugin into its own catalog),
# merge them into the fi and fr catalogs, compile. Translate the new entries in the .po files,
# then run it again (tests/i18n/test_catalogs.py fails on a missing, empty or fuzzy entry).
LANGUAGES := fi fr
i18n: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o forum/translations/messages.pot --no-location --sort-output --project mentorship-forum .
	for l in $(LANGUAGES); do $(BIN)/pybabel -q update -i forum/translations/messages.pot -d forum/translations -l $$l --no-fuzzy-matching || exit 1; done
	for pkg in $(dir $(wildcard plugins/*/forum_*/__init__.py)); do \
	  $(BIN)/pybabel -q extract -F $$pkg../babel.cfg -k _l -k lazy_gettext -o $${pkg}translations/messages.pot --no-location --sort-output $$pkg.. || exit 1; \
	  for l in $(LANGUAGES); do $(BIN)/pybabel -q update -i $${pkg}translations/messages.pot -d $${pkg}translations -l $$l --no-fuzzy-matching || exit 1; done; \
	done
	$(BIN)/python -m forum.i18n.catalogs

migration-core: install
	$(BIN)/python migrations/regenerate_core.py

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache
