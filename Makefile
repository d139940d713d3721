# HSTC Desk: `make run` opens the app on a demo store; `make test` runs every check.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   ?= .demo/store
DEMO_ITEMS ?= 20000
STAMP  := $(VENV)/.installed

.PHONY: run test sysdeps venv demo lint forms bench clean basemap dist wheelhouse release airgap-check

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
	rm -rf .demo build dist wheelhouse release .pytest_cache

forms:
	@for f in ui/*.ui; do n=$$(basename $$f .ui); $(BIN)/pyside6-uic $$f -o hstc_desk/gui/forms/ui_$$n.py || exit 1; done

# The route map's basemap (Natural Earth via npm world-atlas), converted into resources/basemap/.
# The converted files are committed; run this only to rebuild them (it needs npm).
basemap: $(STAMP)
	$(BIN)/python packaging/basemap_build.py

# --- Offline install (README: "Installing on an air-gapped workstation") ---------------------
VERSION     = $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' hstc_desk/__init__.py)
BUNDLE      := dist/hstc-desk-$(VERSION)
WHEELHOUSE  ?= wheelhouse
RELEASE     ?= release/hstc-desk-$(VERSION)
RELEASE_KEY ?= .release-key/release

# The PyInstaller bundle: one folder holding hstc-desk and hstc.
dist: sysdeps $(STAMP)
	$(BIN)/pip install -q -e '.[test,dist]'
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
	  --workpath build/pyinstaller build.spec
	@du -sh $(BUNDLE)

# Every wheel the app and its tests need, with a lock file of versions and hashes.
wheelhouse: $(STAMP)
	$(BIN)/python packaging/wheelhouse.py $(WHEELHOUSE)

# The release folder: the bundle as a tar archive, the wheelhouse, SHA256SUMS and its signature.
# RELEASE_KEY names the key pair (.pem, .pub); a missing one is made (keep the .pem off the media).
release: dist wheelhouse
	@test -f $(RELEASE_KEY).pem || $(BIN)/hstc release keygen --out $(RELEASE_KEY)
	$(BIN)/python packaging/make_release.py $(BUNDLE) $(WHEELHOUSE) $(RELEASE)
	$(BIN)/hstc release sign $(RELEASE) --key $(RELEASE_KEY).pem
	$(BIN)/hstc release verify $(RELEASE) --key $(RELEASE_KEY).pub | tail -1

# CI's proof of the offline path: the release verifies; the built bundle, and a virtual
# environment installed from the wheelhouse alone, each run the whole workflow in a network
# namespace with no interfaces (needs root for unshare -n).
airgap-check: release
	VERIFIER=$(BIN)/hstc bash packaging/release_check.sh $(RELEASE) $(RELEASE_KEY).pub build/airgap
