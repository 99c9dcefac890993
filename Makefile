# Éclair — one command for each job. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Trim llama.cpp's build to the library llama-cpp-python needs (about 10 min on 2 cores).
export CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF

.PHONY: install run test lint format docs bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "Installing Éclair and its dependencies (the first time, llama.cpp compiles: ~10 min)..."
	$(BIN)/python -m pip install --progress-bar on -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/eclair serve

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix src tests benchmarks scripts
	$(BIN)/ruff format src tests benchmarks scripts

# Lint, types, then every test. System services the tests use (Chromium, PostgreSQL) are
# installed and started by scripts/test-services.sh when the machine allows it.
test: lint
	ECLAIR_TEST_POSTGRES_URL="$${ECLAIR_TEST_POSTGRES_URL:-$$(bash scripts/test-services.sh)}" $(BIN)/pytest

docs: $(STAMP)
	$(BIN)/python scripts/settings_doc.py

# The README's screenshots (desktop and phone, light and dark) in docs/screenshots/.
screenshots: $(STAMP)
	ECLAIR_SCREENSHOTS=docs/screenshots $(BIN)/pytest tests/browser/test_screenshots.py -q

bench: $(STAMP)
	$(BIN)/python benchmarks/overhead.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache artifacts
