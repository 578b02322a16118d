# Two commands for a fresh clone: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test lint setup clean

# uv itself is installed into a private virtual environment, so a machine
# with nothing but Python can run both commands.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

setup: $(VENV)/.synced
	mkdir -p var/mail var/celery/queue var/celery/processed

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	@echo
	@echo "  Circle is starting on http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins, password 'peer-support-demo':"
	@echo "    member@demo.example       a member of the Thursday Anxiety Circle"
	@echo "    facilitator@demo.example  a lead of that group"
	@echo "    coordinator@demo.example  needs a two-factor code: make totp"
	@echo "  E-mails the app sends are written to var/mail/. Ctrl-C stops everything."
	@echo
	PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile.dev

totp: setup
	@$(PY) manage.py demo_totp

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

test: lint
	$(PY) -m tests.run_tests $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) $(TOOLS) var
