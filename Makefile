# Two commands on a fresh machine: `make` (lint + build the demo atlas) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all lint build test clean bench distclean

all: $(STAMP)
	$(BIN)/pipeline all

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[build,test]'
	@# bytecode now (ours and the dependencies'), so every run starts from it even where PYTHONDONTWRITEBYTECODE is set
	$(BIN)/python -m compileall -q -j 0 pipeline $$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') > /dev/null
	@touch $(STAMP)

lint: $(STAMP)
	$(BIN)/pipeline lint

build: $(STAMP)
	$(BIN)/pipeline build

test: $(STAMP)
	$(BIN)/python -m pytest

$(VENV)/.bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[build,test,bench]'
	@touch $@

bench: $(VENV)/.bench
	$(BIN)/python bench/lint_speed.py
	$(BIN)/python bench/encode_quality.py
	$(BIN)/python bench/build_speed.py --pages 40

clean:
	rm -rf dist .pipeline

distclean: clean
	rm -rf $(VENV) .pytest_cache .hypothesis
