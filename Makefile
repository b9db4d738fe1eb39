# inclusion-kg developer commands. `make serve` and `make test` are all a new machine needs.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
FILES   := $(VENV)/.package-files
PYTEST_WORKERS ?= auto

# Strict editable installs link files one by one, so a new module needs a re-install:
# keep a list of the package files and re-install when it changes.
$(shell mkdir -p $(VENV) && find graph api ontology shapes seeds -type f -not -path '*/__pycache__/*' 2>/dev/null | sort > $(FILES).new && (cmp -s $(FILES).new $(FILES) || mv $(FILES).new $(FILES)); rm -f $(FILES).new)

.PHONY: setup serve test lint format bench docs wheel-check clean

setup: $(STAMP)

$(STAMP): pyproject.toml $(FILES)
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	flock $(VENV)/.lock $(BIN)/python -m pip install -q -e ".[dev]" --config-settings editable_mode=strict
	touch $(STAMP)

serve: setup            ## start the service on the embedded store, seeds loaded
	$(BIN)/ikg serve

test: setup lint        ## lint, type-check and run the whole test suite
	$(BIN)/pytest -n $(PYTEST_WORKERS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy -p inclusion_kg.graph -p inclusion_kg.api

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

docs: setup             ## regenerate the ontology reference (docs/ontology.md)
	$(BIN)/ikg ontology-docs -o docs/ontology.md

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist *.egg-info
