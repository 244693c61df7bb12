# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test test-fast test-deep install compress clean

run: install compress
	$(FLASK) db upgrade
	$(FLASK) registry load-demo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install node_modules/.installed
	$(BIN)/ruff check --quiet .
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/pytest -n auto

# Everything but the browser tests (tests/browser), for a quick round while working.
test-fast: install
	$(BIN)/pytest -n auto -m "not browser"

# The property-based tests with ten times the examples (HYPOTHESIS_PROFILE=deep): a night's run.
test-deep: install
	HYPOTHESIS_PROFILE=deep $(BIN)/pytest -n auto tests/test_fuzz.py tests/test_api_fuzz.py

install: $(VENV)/.installed

# The vendored files gzipped beside themselves, which WhiteNoise serves to browsers that accept it (215 KB of
# DKFDS's CSS become 30). Only these: their paths carry their version, so a .gz never goes stale, while a
# .gz of a file still being edited would be served instead of the edit.
compress: install
	$(BIN)/python -m whitenoise.compress --quiet static/vendor

# Reinstalled whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 eller nyere kræves; fandt " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Spectral, which lints the OpenAPI document in tests/test_openapi_lint.py, comes from npm as package-lock.json
# pins it. Without npm the test is skipped, except in CI.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --ignore-scripts --silent && touch $@; \
	else echo "npm mangler: Spectral-testen af API-dokumentet springes over"; fi

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache test-output node_modules
	find static -name '*.gz' -delete
