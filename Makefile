# The two commands of the README, and a few more for developers.
PY ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test unit lint bench lock clean

$(STAMP): pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.lock
	$(VENV)/bin/pip install -q --no-deps -e .
	touch $(STAMP)

lock:  ## re-resolve pyproject.toml's dependencies in a scratch venv and pin them in requirements.lock
	rm -rf .lock-venv && $(PY) -m venv .lock-venv
	.lock-venv/bin/pip install -q --upgrade pip && .lock-venv/bin/pip install -q '.[dev]'
	(echo "# pinned by 'make lock' from pyproject.toml (runtime and dev); 'make .venv/.installed' installs these"; \
	 .lock-venv/bin/pip freeze --exclude-editable | grep -v '^contraflow @') > requirements.lock
	rm -rf .lock-venv

demo: $(STAMP)  ## set up .venv, run the seeds through the embedded stack, print the contradictions
	$(VENV)/bin/contraflow demo

test: $(STAMP)  ## set up .venv and run every test tier (starts real servers itself)
	$(VENV)/bin/pytest

unit: $(STAMP)
	$(VENV)/bin/pytest tests/unit

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: $(STAMP)  ## the whole pipeline against the spaCy ceiling (figures: docs/benchmarks.md)
	$(VENV)/bin/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
