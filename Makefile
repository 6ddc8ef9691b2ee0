# Two commands for a new user: `make run` (the whole product locally) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := 3.13
# The Lambda runtime's Python: pyenv's, else the first on PATH that runs (a pyenv shim may not).
PYTHON ?= $(shell for p in $$(ls -d $$(pyenv root 2>/dev/null)/versions/$(PYTHON_VERSION).*/bin/python$(PYTHON_VERSION) 2>/dev/null) $$(command -v python$(PYTHON_VERSION)); do $$p -c '' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: help venv run test lint typecheck cfn-lint chromium openapi build deploy clean bench

help:
	@echo "make run     start the whole product locally (API :3000, Lambda invoke :3001, web :8080)"
	@echo "make test    install everything the tests need, then lint, type-check and run every test"
	@echo "make build   sam build (the SAM CLI gets its own venv: its pins clash with ours)"
	@echo "make deploy  sam deploy --guided into the AWS account of your credentials"
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

run: $(STAMP)
	$(BIN)/python -m local_portal

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

cfn-lint: $(STAMP)
	$(BIN)/cfn-lint infra/template.yaml

test: lint typecheck cfn-lint chromium
	$(BIN)/pytest

SAM_VENV := .sam-venv
$(SAM_VENV)/.installed:
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --disable-pip-version-check aws-sam-cli==1.170.0
	touch $@

# sam build runs pip for the function's runtime: the runtime's Python must come first on PATH.
build: $(SAM_VENV)/.installed
	PATH=$(dir $(PYTHON)):$$PATH $(SAM_VENV)/bin/sam build --template-file infra/template.yaml

deploy: build
	$(SAM_VENV)/bin/sam deploy --guided --capabilities CAPABILITY_IAM

# Several minutes: every route and staff action against moto, cold starts of the built packages.
bench: $(STAMP) build
	PYTHONPATH=. $(BIN)/python -m bench

openapi: $(STAMP)
	$(BIN)/python -m local_portal.openapi > docs/openapi.json

clean:
	rm -rf $(VENV) $(SAM_VENV) .aws-sam .cache .pytest_cache .mypy_cache .ruff_cache
