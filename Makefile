# bodam: `make run` starts the assistant, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ROOT := $(CURDIR)
# A Python of the given minor version: pyenv's builds first, then whatever is on PATH.
find_python = $(shell for p in $(HOME)/.pyenv/versions/$(1).*/bin/python $$(command -v python$(1)); do \
	"$$p" -c 'import sys; sys.exit(sys.version_info[:2] != tuple(map(int, "$(1)".split("."))))' \
	2>/dev/null && echo "$$p" && break; done)
PY310 ?= $(call find_python,3.10)
PY311 ?= $(call find_python,3.11)
RASA_VENV := .venv-rasa
APP_VENV := .venv
RASA := $(RASA_VENV)/bin/rasa
APP_PY := $(APP_VENV)/bin/python
CONSOLE_WEB := console/web/node_modules/.installed

export PYTHONPATH := $(ROOT)
export BODAM_DATABASE_URL ?= sqlite:///$(ROOT)/var/bodam.db
export BODAM_TRACKER_URL ?= sqlite:///$(ROOT)/var/tracker.db
export BODAM_ACTION_URL ?= http://localhost:5055/webhook
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

RASA_PORT ?= 5005
ACTION_PORT ?= 5055
MODEL_HASH = $(shell tools/model_fingerprint.sh)
MODEL = models/bodam-$(MODEL_HASH).tar.gz
# Conversation tests say "yesterday": they run on a pinned date.
TEST_TODAY := 2026-11-25

.PHONY: help setup run test lint validate train casestore knowledge chromium test-app test-rasa test-conversations \
	test-e2e eval bench clean

help:
	@echo "make run   - set up, train if needed, start bodam on localhost"
	@echo "make test  - set up and run every test"
	@echo "make eval  - NLU, retrieval and conversation figures into reports/"
	@echo "make bench - latency, concurrency and memory of the running stack"

$(RASA_VENV)/.installed: requirements/rasa.txt
	@test -n "$(PY310)" || { echo "Python 3.10 not found (pyenv install 3.10)"; exit 1; }
	$(PY310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install -qq --upgrade pip==24.0
	$(RASA_VENV)/bin/pip install -qq -r requirements/rasa.txt
	touch $@

$(APP_VENV)/.installed: requirements/app.txt
	@test -n "$(PY311)" || { echo "Python 3.11 not found (pyenv install 3.11)"; exit 1; }
	$(PY311) -m venv $(APP_VENV)
	$(APP_VENV)/bin/pip install -qq --upgrade pip==24.0
	# The CPU build first: anything else pulls gigabytes of CUDA.
	$(APP_VENV)/bin/pip install -qq torch==2.13.0
	$(APP_VENV)/bin/pip install -qq -r requirements/app.txt
	touch $@

setup: $(RASA_VENV)/.installed $(APP_VENV)/.installed $(CONSOLE_WEB) casestore knowledge

# The chat page's socket.io client and the API docs' Swagger UI, from the npm registry.
$(CONSOLE_WEB): console/web/package.json console/web/package-lock.json
	cd console/web && SCARF_ANALYTICS=false npm ci --ignore-scripts --no-audit --no-fund
	touch $@

casestore: $(APP_VENV)/.installed
	@mkdir -p var
	$(APP_PY) -m casestore init

# Converts the offline embedding model once and (re)builds the clause index when
# policies_kb/ changed; both are cached under .cache/.
knowledge: $(APP_VENV)/.installed
	$(APP_PY) -m knowledge build

# e5 vectors of unchanged examples come from .cache/nlu (a cold cache costs a few minutes).
$(MODEL): $(RASA_VENV)/.installed
	@mkdir -p models
	@echo "Training the Rasa model ($(MODEL_HASH)): data or config changed."
	time BODAM_E5_CACHE=$(ROOT)/.cache/nlu/e5-vectors.sqlite \
		$(RASA) train --config config.yml --domain bot/domain --data bot/data \
		--out models --fixed-model-name bodam-$(MODEL_HASH)
	$(RASA_VENV)/bin/python -m tools.trusted_models add $@

# Rasa serves only models in the ledger of this installation (tools/trusted_models.py):
# an archive at the model's path that this installation did not train is trained again.
train: $(RASA_VENV)/.installed
	@[ ! -f $(MODEL) ] || $(RASA_VENV)/bin/python -m tools.trusted_models check $(MODEL) \
		> /dev/null 2>&1 || rm -f $(MODEL)
	@$(MAKE) --no-print-directory $(MODEL)

# Secrets come from the environment or var/secrets.env (generated once, mode 600).
# BODAM_DEMO=1 adds the demo agent account (demo / bodam-demo); set BODAM_DEMO=0 to refuse it.
run: setup train
	@eval "$$($(APP_PY) -m tools.secrets_env --export)" && \
		BODAM_DEMO=$${BODAM_DEMO:-1} $(APP_PY) -m tools.stack run --model "$(MODEL)"

lint: $(APP_VENV)/.installed
	$(APP_VENV)/bin/ruff check .

validate: $(RASA_VENV)/.installed
	tools/validate_data.sh

test-app: $(APP_VENV)/.installed
	$(APP_PY) -m pytest -q tests/unit tests/app

test-rasa: $(RASA_VENV)/.installed $(MODEL)
	BODAM_TEST_MODEL=$(MODEL) $(RASA_VENV)/bin/python -m pytest -q tests/rasa

test-conversations: $(MODEL)
	rm -rf results/conversations
	BODAM_TODAY=$(TEST_TODAY) $(RASA) test core --model $(MODEL) --stories tests/conversations \
		--fail-on-prediction-errors --out results/conversations
	@echo "conversation tests: all stories passed (report in results/conversations)"

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used);
# the Korean font only keeps screenshots readable.
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
chromium:
	@if [ ! -x /usr/bin/chromium ]; then $(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq --no-install-recommends chromium; fi
	@fc-list :lang=ko | grep -q . || $(SUDO) apt-get install -y -qq --no-install-recommends fonts-noto-cjk

test-e2e: $(APP_VENV)/.installed $(MODEL) $(CONSOLE_WEB) chromium
	BODAM_TEST_MODEL=$(MODEL) $(APP_PY) -m pytest -q tests/e2e tests/console tests/security

test: setup lint validate test-app train test-rasa test-conversations test-e2e
	@echo "make test: all suites passed"

# Figures, not pass/fail gates: NLU held-out + cross-validation, robustness variants,
# out-of-scope, Rasa's default pipeline, retrieval, conversation-story and customer-dialogue
# pass rates -> reports/.
eval: setup train
	$(RASA_VENV)/bin/python -m evaluation.nlu --model $(MODEL)
	@echo "customer dialogues (tests/dialogues) on a private stack:"
	$(APP_PY) -m evaluation.dialogues --model $(MODEL) || true

# Starts the stack on free loopback ports and drives simulated customers against it.
bench: setup train
	$(APP_PY) -m evaluation.bench --model $(MODEL)

clean:
	rm -rf models results var .pytest_cache
