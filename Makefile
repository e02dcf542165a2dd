# socialkit — run `make help` for the targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DEMO   := data/demo
REPORTS:= reports/demo

.DEFAULT_GOAL := help
.PHONY: help install demo test lab book bench lint format clean train-sentiment

help: ## show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m ipykernel install --sys-prefix --name socialkit --display-name "Python (socialkit)"
	@# bytecode now, as pip writes it for an installed package: an editable install is
	@# otherwise compiled on every run where PYTHONDONTWRITEBYTECODE is set (0.25 s of start-up)
	$(PY) -m compileall -q socialkit
	touch $(STAMP)

install: $(STAMP) ## create .venv and install socialkit (editable) with notebook and test tools

demo: $(STAMP) ## generate the demo clients and build their reports; prints the index path
	$(PY) -m socialkit demo --out $(DEMO)
	$(PY) -m socialkit report --all $(DEMO) --out $(REPORTS)
	@echo
	@echo "Open the demo reports: $(abspath $(REPORTS))/index.html"

test: $(STAMP) ## run the whole test suite (unit tests, CLI, notebooks, report build)
	$(PY) -m pytest

lab: $(STAMP) ## open JupyterLab on the notebooks (makes the demo clients first if missing)
	@test -d $(DEMO) || $(PY) -m socialkit demo --out $(DEMO)
	@echo "Notebooks use the 'socialkit' kernel. For another Jupyter (VS Code, Anaconda), register it once:"
	@echo "  $(PY) -m ipykernel install --user --name socialkit --display-name 'Python (socialkit)'"
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

book: $(STAMP) ## run the chapters and workshop and build them as a static HTML site (build/book)
	@test -d $(DEMO) || $(PY) -m socialkit demo --out $(DEMO)
	$(PY) -m socialkit.book build/book
	@echo "Open the book: $(abspath build/book)/index.html"

bench: $(STAMP) ## run the benchmarks in benchmarks/
	@set -e; for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b; done

SENTIMENT_DATA ?= ../shared/data/labelled/tweeteval_sentiment
train-sentiment: $(STAMP) ## rebuild the shipped sentiment model from SENTIMENT_DATA (same bytes)
	$(PY) -m socialkit.metrics.sentiment train $(SENTIMENT_DATA)

lint: $(STAMP) ## ruff lint and format check
	$(VENV)/bin/ruff check socialkit tests benchmarks
	$(VENV)/bin/ruff format --check socialkit tests benchmarks

format: $(STAMP) ## apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix socialkit tests benchmarks
	$(VENV)/bin/ruff format socialkit tests benchmarks

clean: ## remove generated demo data and reports (keeps .venv)
	rm -rf $(DEMO) reports build/book
