# The project's verbs. Quick start: `make report`, then `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DATA   ?= data/raw
OUT    ?= reports

.PHONY: report test test-rapide lint sample notebooks lab clean help

help:
	@echo "make report     installe l'environnement puis produit les rapports de la dernière année ($(OUT)/)"
	@echo "make test       installe l'environnement de test puis lance toute la suite de tests"
	@echo "make test-rapide  les tests sans noyau Jupyter, navigateur ni production de pages (moins de 90 s)"
	@echo "make lint       vérifie le style du code (ruff)"
	@echo "make sample     régénère les données d'exemple de data/raw (script déterministe)"
	@echo "make notebooks  ré-exécute les notebooks et enregistre leurs sorties (référence nbval)"
	@echo "make lab        ouvre JupyterLab sur les notebooks, avec le noyau du projet"

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 est requis"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.run

report: $(VENV)/.run
	$(BIN)/python -m evaluation build --data $(DATA) --out $(OUT)

test: $(VENV)/.test
	$(BIN)/python -m pytest

# The fast tier: what needs no kernel, browser or build (tests marked `lent` left out).
test-rapide: $(VENV)/.test
	$(BIN)/python -m pytest tests -m "not lent" -q -n auto

lint: $(VENV)/.test
	$(BIN)/ruff check evaluation tests scripts benchmarks
	$(BIN)/ruff format --check evaluation tests scripts benchmarks

sample: $(VENV)/.run
	$(BIN)/python scripts/make_sample_data.py $(DATA)

notebooks: $(VENV)/.run
	$(BIN)/python -m evaluation.production.notebooks --refresh

# JupyterLab from the project's .venv; its settings and runtime files stay in .venv too.
lab: $(VENV)/.run
	JUPYTER_CONFIG_DIR=$(CURDIR)/$(VENV)/etc/jupyter-utilisateur \
	JUPYTER_RUNTIME_DIR=$(CURDIR)/$(VENV)/share/jupyter/runtime \
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_OPTIONS)

clean:
	rm -rf $(OUT) data/processed/[0-9]*
