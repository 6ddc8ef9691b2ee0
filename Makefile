# Two commands for a new user: `make run` (the whole product locally) and `make test`.
SHELL := /bin/bash
# The SAM CLI sends no telemetry from here.
export SAM_CLI_TELEMETRY := 0
.DEFAULT_GOAL := help

PYTHON_VERSION := 3.13
# The Lambda runtime's Python: pyenv's, else the first on PATH that runs (a pyenv shim may not).
PYTHON ?= $(shell for p in $$(ls -d $$(pyenv root 2>/dev/null)/versions/$(PYTHON_VERSION).*/bin/python$(PYTHON_VERSION) 2>/dev/null) $$(command -v python$(PYTHON_VERSION)); do $$p -c '' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# Tools whose pins clash with ours get a venv each; a stamp file makes the install a one-time cost.
SAM_VENV := .sam-venv
SAM := $(SAM_VENV)/bin/sam

.PHONY: help venv run test lint typecheck cfn-lint sam-validate checkov chromium openapi lock build deploy smoke clean bench

help:
	@echo "make run     start the whole product locally (API :3000, Lambda invoke :3001, web :8080)"
	@echo "make test    install everything the tests need, then lint, type-check and run every test"
	@echo "make build   sam build from the lock file, then compile bytecode and check the packages"
	@echo "make deploy ENV=dev|prod   build, then sam deploy with that environment of samconfig.toml"
	@echo "make smoke API_URL=https://.../v1 WEB_ORIGIN=https://...   the HTTP end-to-end suite against a deployed stage"
	@echo "make lock    re-resolve functions/requirements.in into the lock functions/requirements.txt"
	@echo "make openapi regenerate docs/openapi.json from the code"
	@echo "make bench   measure every request (AWS calls, latency, cold start, package, memory) into docs/PERFORMANCE.md"

$(STAMP): requirements-dev.txt functions/requirements.txt
	@test -n "$(PYTHON)" || { echo "Python $(PYTHON_VERSION) (the Lambda runtime) is needed: install it or set PYTHON=/path/to/python$(PYTHON_VERSION)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

# Debian's Chromium for the browser tests (Playwright cannot download its own here).
chromium:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The portal holds each function to its role from SAM's translation of the template: the SAM CLI's
# venv translates it (once per template and parameters, cached under .cache/).
run: $(STAMP) $(SAM_VENV)/.installed
	$(BIN)/python -m local_portal

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

cfn-lint: $(STAMP)
	$(BIN)/cfn-lint infra/template.yaml

# The HTTP end-to-end suite runs in `make smoke` (against the local stack here), not twice.
test: lint typecheck cfn-lint sam-validate checkov chromium
	$(BIN)/pytest --ignore=tests/e2e/test_http_contract.py
	$(MAKE) --no-print-directory smoke API_URL=

SAM_CLI_VERSION := 1.170.0
$(SAM_VENV)/.installed:
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --disable-pip-version-check aws-sam-cli==$(SAM_CLI_VERSION)
	touch $@

CHECKOV_VENV := .checkov-venv
CHECKOV_VERSION := 3.3.30
$(CHECKOV_VENV)/.installed:
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --disable-pip-version-check checkov==$(CHECKOV_VERSION)
	touch $@

# Offline: --lint runs cfn-lint on the template; no AWS credentials are needed.
sam-validate: $(SAM_VENV)/.installed
	$(SAM) validate --lint --template-file infra/template.yaml --region us-west-2

# Every remaining finding is skipped by a `checkov:skip` comment beside its resource, with the reason.
checkov: $(CHECKOV_VENV)/.installed
	$(CHECKOV_VENV)/bin/checkov --quiet --compact --skip-download --framework cloudformation --file infra/template.yaml

# The functions' dependencies, resolved for the Lambda platform (linux aarch64, CPython 3.13).
lock: $(STAMP)
	$(BIN)/python infra/lock.py functions/requirements.in functions/requirements.txt

# sam build runs pip for the function's runtime: the runtime's Python must come first on PATH.
# It installs functions/requirements.txt, the lock. The check compiles every module to bytecode
# (Lambda's /var/task is read-only: without .pyc each cold start compiles ~800 modules) and
# fails the build on a non-aarch64 extension, a missing .pyc or a bundled boto3/botocore.
build: $(SAM_VENV)/.installed
	rm -rf .aws-sam/build
	PATH=$(dir $(PYTHON)):$$PATH $(SAM) build --template-file infra/template.yaml
	$(PYTHON) infra/build_check.py .aws-sam/build

ENV ?= dev
deploy: build
	$(SAM) deploy --template-file .aws-sam/build/template.yaml --config-file $(CURDIR)/samconfig.toml --config-env $(ENV)

# With API_URL, against that deployed stage (staff and outbox tests are skipped: a real stage has
# neither a local invoke endpoint nor an outbox); without it, against the local stack.
smoke: $(STAMP) $(if $(API_URL),,$(SAM_VENV)/.installed)
	API_URL="$(API_URL)" WEB_ORIGIN="$(WEB_ORIGIN)" $(BIN)/pytest -p no:cacheprovider tests/e2e/test_http_contract.py

# Several minutes: every route and staff action against moto, cold starts of the built packages.
bench: $(STAMP) build
	PYTHONPATH=. $(BIN)/python -m bench

openapi: $(STAMP)
	$(BIN)/python -m infra.openapi > docs/openapi.json

clean:
	rm -rf $(VENV) $(SAM_VENV) $(CHECKOV_VENV) .aws-sam .cache .pytest_cache .mypy_cache .ruff_cache
