# onestop: `make run` serves the demo (PORT=5000), `make test` runs the suite. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000

.PHONY: run test test-postgres test-browser bench mutation install db clean translations

$(STAMP): setup.cfg setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

instance/config.py:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print('SECRET_KEY = ' + repr(secrets.token_hex(32)))" > instance/config.py

db: $(STAMP) instance/config.py
	$(FLASK) db upgrade
	$(FLASK) demo

run: db
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: $(STAMP)
	$(BIN)/pytest -q

test-postgres: $(STAMP)
	ONESTOP_TEST_DATABASE_URL=$${ONESTOP_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/pytest -q -m "not browser"

test-browser: $(STAMP)
	$(BIN)/pytest -q -m browser

bench: $(STAMP)
	$(BIN)/python -m bench

# Mutation testing of the rule modules (not part of `make test` or CI; CPU-heavy: tens of minutes on two cores).
# mutmut works in a copy (mutants/), remembers what it checked, and reruns only what changed; the score per module
# follows. Configuration: [mutmut] in setup.cfg; the last scores and why each survivor is harmless: docs/mutation.md.
MUTATION_CHILDREN ?= 2
mutation: $(STAMP)
	$(BIN)/python -c "import mutmut" 2>/dev/null || $(BIN)/pip install --quiet -e '.[test,dev]'
	$(BIN)/mutmut run --max-children $(MUTATION_CHILDREN)
	$(BIN)/python -m bench.mutation_report --survivors

clean:
	rm -rf $(VENV) instance/onestop.db* mutants

# After changing UI texts: extract, merge into the English catalogue, translate the new entries, compile.
translations: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -k lazy_gettext -o /tmp/onestop-messages.pot .
	$(BIN)/pybabel update -i /tmp/onestop-messages.pot -d onestop/translations -N
	$(BIN)/pybabel compile -d onestop/translations
