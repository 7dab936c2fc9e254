# Backbeat developer commands. The set-up itself is ./dev (bash and python3 only, so a
# fresh machine needs no make): `./dev run` and `./dev test` are the README's commands.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-test
export PYTHON

.PHONY: setup run test lint bench bundle clean

setup:
	./dev setup --test

$(STAMP): pyproject.toml packaging/system-deps.sh
	./dev setup --test

run:
	./dev run

test:
	./dev test

lint: setup
	$(BIN)/ruff check app tests benchmarks
	$(BIN)/ruff format --check app tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python benchmarks/run_all.py

# A one-folder app in dist/backbeat/ and a .tar.gz of it (packaging/README.md).
BUNDLE_STAMP := $(VENV)/.bundle-installed
BUNDLE_TAR    = dist/backbeat-$(shell $(BIN)/python -c 'import backbeat; print(backbeat.__version__)')-$(shell uname -s | tr A-Z a-z)-$(shell uname -m).tar.gz

$(BUNDLE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bundle]'
	touch $(BUNDLE_STAMP)

bundle: $(BUNDLE_STAMP)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/pyinstaller/backbeat.spec
	tar -C dist -czf $(BUNDLE_TAR) backbeat
	@echo "bundle: dist/backbeat/backbeat and $(BUNDLE_TAR)"

clean:
	rm -rf $(VENV) build dist *.egg-info app/*.egg-info .pytest_cache .mypy_cache .ruff_cache
