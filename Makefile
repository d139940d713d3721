# HSTC Desk: `make run` opens the app on a demo store; `make test` runs every check.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   ?= .demo/store
DEMO_ITEMS ?= 20000
STAMP  := $(VENV)/.installed

.PHONY: run test sysdeps venv demo lint forms bench clean basemap

run: sysdeps $(STAMP) $(DEMO)/store.db
	@$(BIN)/python -c "from hstc_desk.demo import DEMO_USERS as U; print('Demo store: $(DEMO)'); [print(f'  user {n:<12} role {r:<11} password {p}') for n, r, p in U]"
	$(BIN)/hstc-desk $(DEMO) --user analyst

test: sysdeps $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

sysdeps:
	@bash packaging/system-deps.sh

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

$(DEMO)/store.db: | $(STAMP)
	mkdir -p $(dir $(DEMO))
	$(BIN)/hstc demo $(DEMO) --items $(DEMO_ITEMS) --seed 1

demo: $(DEMO)/store.db

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/hstc bench --items 200000 --json

clean:
	rm -rf .demo build dist .pytest_cache

forms:
	@for f in ui/*.ui; do n=$$(basename $$f .ui); $(BIN)/pyside6-uic $$f -o hstc_desk/gui/forms/ui_$$n.py || exit 1; done

# The route map's basemap (Natural Earth via npm world-atlas), converted into resources/basemap/.
# The converted files are committed; run this only to rebuild them (it needs npm).
basemap: $(STAMP)
	$(BIN)/python packaging/basemap_build.py
