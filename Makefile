# gutbot: `make run` (local chat without a token) and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: help venv run chat migrate test lint typecheck pytest bench fuzz postgres clean

help:
	@echo "make run    - start gutbot (Telegram with TELEGRAM_BOT_TOKEN, else a local chat)"
	@echo "make test   - ruff, mypy and pytest (SQLite and a throwaway PostgreSQL)"
	@echo "make bench  - print the benchmark figures"
	@echo "make fuzz   - nightly fuzzing: 100,000 generated inputs per parser and triage test"

$(STAMP): pyproject.toml
	@$(PYTHON) scripts/check_python.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

venv: $(STAMP)

migrate: $(STAMP)
	$(BIN)/gutbot migrate

run: $(STAMP) migrate
	$(BIN)/gutbot start

chat: $(STAMP) migrate
	$(BIN)/gutbot chat

postgres:
	@bash scripts/ensure-postgres.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) postgres
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP) postgres
	$(BIN)/python -m benchmarks

# Nightly-sized: every fuzz test (file parsers via random, mutated real and generated tables;
# triage and answering via random text) runs FUZZ_EXAMPLES generated inputs.
FUZZ_EXAMPLES ?= 100000
fuzz: $(STAMP)
	GUTBOT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -p no:cacheprovider -q \
		tests/analysis/test_fuzz.py tests/content/test_triage_fuzz.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
