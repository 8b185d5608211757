# Two commands do everything, on a fresh machine: `make demo` and `make test`.
# The project needs Python 3.11: take python3.11 when the machine has it by that name.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || echo python3)
VENV ?= .venv
BIN := $(VENV)/bin
MODEL ?= Helsinki-NLP/opus-mt-ar-en
OUT ?= runs/seed-article
FIXTURE ?= models/local/fixture-opus-mt-ar-en

.PHONY: demo test install fixture clean browser background screenshot
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The venv is rebuilt when pyproject.toml changes. torch==2.13.0 goes in first so that the
# project's torch range is already met and pip keeps that build (on this kind of machine the
# index offers its CPU wheel); TORCH_INDEX names another index for it, such as
# https://download.pytorch.org/whl/cpu where the index offers only PyPI's CUDA build.
TORCH_INDEX ?=
$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "arabic-align needs Python 3.11: run make with PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q torch==2.13.0 $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/.installed background

# The aligners' background dictionary: FreeDict Arabic–English from Debian (GPL-2+),
# installed when missing (README, Licences).
background:
	@test -f /usr/share/dictd/freedict-ara-eng.index || { \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q dict-freedict-ara-eng; }

demo: $(BIN)/.installed background
	$(BIN)/arabic-align run corpus/seed-article/article.ar.txt \
		--ref corpus/seed-article/reference.en.txt --model $(MODEL) --out $(OUT) --force

# The HTML report is tested in headless Chromium, the review app under tmux: both from
# Debian's packages, installed when missing.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && \
	command -v tmux >/dev/null || { \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-driver tmux; }

# pytest runs on every core (pytest-xdist, at most four workers: each loads torch and the
# fixture models). A single test or file runs alone with `.venv/bin/python -m pytest PATH`.
test: $(BIN)/.installed browser background
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -n logical --maxprocesses 4

# The README's picture of a report, made from a run of the seed article (no model needed).
screenshot: $(BIN)/.installed browser background
	$(BIN)/python scripts/screenshot_report.py docs/report.png

fixture: $(FIXTURE)/arabic-align-fixture.json

$(FIXTURE)/arabic-align-fixture.json: | $(BIN)/.installed
	$(BIN)/arabic-align models fixture $(FIXTURE) --size opus-mt-ar-en

clean:
	rm -rf $(VENV) runs
