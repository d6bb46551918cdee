# The two commands of the README, and a few more for developers.
PY ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test unit lint bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## set up .venv, run the seeds through the embedded stack, print the contradictions
	$(VENV)/bin/contraflow demo

test: $(STAMP)  ## set up .venv and run every test tier (starts real servers itself)
	$(VENV)/bin/pytest

unit: $(STAMP)
	$(VENV)/bin/pytest tests/unit

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: $(STAMP)  ## the whole pipeline against the spaCy ceiling (figures: docs/benchmarks.md)
	$(VENV)/bin/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
