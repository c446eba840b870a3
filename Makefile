# The project's interface: make up | down | status | test | unit | integration | e2e | bench | lint.
# Everything runs natively (supervisord via devstack); no Docker needed.

SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PROFILE ?= up
PYTEST_ARGS ?=

.PHONY: help system venv install protos up up-deps down status env test unit integration e2e bench lint

help:
	@echo "make install      create $(VENV) and install requirements-dev.txt"
	@echo "make up           build protos, start the whole stack (profile up), print the URLs"
	@echo "make up-deps      only Postgres, RabbitMQ and S3 (run the services yourself)"
	@echo "make down|status  stop / show the stack (PROFILE=test for the test stack)"
	@echo "make test         every test tier; the session starts and stops its own test stack"
	@echo "make unit|integration|e2e|bench|lint"

venv: $(VENV)/bin/python

$(VENV)/bin/python:
	python3.11 -m venv $(VENV) || python3 -m venv $(VENV)

# torch/torchvision are pinned in requirements.txt; pip's configuration on these machines takes
# them from local disk. Never add --upgrade or an --index-url here: that could fetch another torch.
install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt requirements-nodeps.txt requirements-dev-nodeps.txt | venv
	$(VENV)/bin/python -m pip install -r requirements-dev.txt
	$(VENV)/bin/python -m pip install --no-deps -r requirements-nodeps.txt -r requirements-dev-nodeps.txt
	touch $(STAMP)

protos: $(STAMP)
	$(PY) scripts/build_protos.py

# rabbitmq-server, ffmpeg and postgresql: installed when missing (as root), else the command.
system:
	@bash scripts/install-system-packages.sh

up: system protos
	$(PY) -m devstack up --profile $(PROFILE)

up-deps: system protos
	$(PY) -m devstack up --profile $(PROFILE) --no-apps

down:
	$(PY) -m devstack down --profile $(PROFILE)

status:
	$(PY) -m devstack status --profile $(PROFILE)

env:
	@$(PY) -m devstack env --profile $(PROFILE)

# pytest exits 5 when it collects nothing; that is a failure here, never a pass.
define run_pytest
	@rc=0; $(PY) -m pytest $(1) $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make: pytest collected no tests in $(1)" >&2; fi; \
	exit $$rc
endef

test: system protos
	$(call run_pytest,tests)

unit: protos
	$(call run_pytest,tests/unit)

integration: protos
	$(call run_pytest,tests/integration)

e2e: protos
	$(call run_pytest,tests/e2e)

# Benchmarks print figures (no timed assertions). Each bench/*.py with a __main__ block runs as
# `python -m bench.<name>` against the running stack of $(PROFILE), started here if needed.
bench: up
	@set -e; eval "$$($(PY) -m devstack env --profile $(PROFILE))"; ran=0; \
	for f in bench/*.py; do \
		grep -q '__name__ == "__main__"' "$$f" || continue; \
		m=bench.$$(basename "$$f" .py); echo "== python -m $$m"; $(PY) -m "$$m"; ran=1; \
	done; \
	if [ $$ran -eq 0 ]; then echo "make: no runnable bench/*.py" >&2; exit 1; fi

lint: protos
	$(VENV)/bin/buf lint
	$(VENV)/bin/docker-compose -f docker-compose.yml config -q
	$(PY) -m ruff check .
	$(PY) -m mypy scenelens gateway relay projections recorder recognition_service video_service \
		janitor webhooks devstack bench scripts
