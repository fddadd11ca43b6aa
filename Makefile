PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-pg lint format typecheck check smoke clean bench bench-province bench-steps fuzz identical

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/fengdu demo --data sample_data --out out

test: $(STAMP)
	$(BIN)/python -m pytest -n auto

test-pg: $(STAMP)  # the tests with a throwaway PostgreSQL server (installed from the system packages if missing)
	.ci/with-postgres $(BIN)/python -m pytest -n auto

lint: $(STAMP)
	$(BIN)/ruff check fengdu_cli tests benchmarks
	$(BIN)/ruff format --check fengdu_cli tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format fengdu_cli tests benchmarks
	$(BIN)/ruff check --fix fengdu_cli tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint  # what CI runs (with smoke): ruff, then mypy beside the tests (output kept apart)
	$(MAKE) --no-print-directory -j2 -Otarget typecheck test

smoke:  # the wheel in a fresh venv, as a clerk's PC gets it: no dev extras, no source tree
	rm -rf build/smoke && mkdir -p build/smoke
	$(PY) -m venv build/smoke/venv
	build/smoke/venv/bin/python -m pip install -q --upgrade pip
	build/smoke/venv/bin/python -m pip wheel -q --no-deps -w build/smoke/dist .
	build/smoke/venv/bin/python -m pip install -q build/smoke/dist/*.whl
	cd build/smoke && venv/bin/fengdu --version
	cd build/smoke && venv/bin/fengdu demo --make-data data --quiet
	cd build/smoke && venv/bin/fengdu demo --data data --out out --quiet
	test -f build/smoke/out/payments-2024-06-试算.xlsx

fuzz: $(STAMP)  # the reader, matching, the ledger's states and killed commits, at length
	FENGDU_FUZZ_EXAMPLES=3000 FENGDU_STATE_EXAMPLES=200 FENGDU_CRASH_RUNS=60 \
		$(BIN)/python -m pytest -p no:cacheprovider tests/test_bad_inputs.py tests/test_match_fast.py tests/test_ledger_states.py tests/test_crash.py

bench: $(STAMP)  # floor, validate, reconcile, subsidy, run side by side on a county month (100k persons)
	$(BIN)/python benchmarks/commands.py

bench-province: $(STAMP)  # the same on a province month: 2M persons, 17.5M insurance rows (long)
	$(BIN)/python benchmarks/commands.py --persons 2000000 --insurance-rows 17500000

bench-steps: $(STAMP)  # the library's steps one by one (read, validate, ingest) in one process
	$(BIN)/python benchmarks/bench.py

identical: $(STAMP)  # reconcile + subsidy outputs, cell by cell, on the sample and a 20k-person month (~1 min)
	FENGDU_BIG=1 $(BIN)/python -m pytest -p no:cacheprovider tests/test_identical.py

clean:
	rm -rf $(VENV) out build .pytest_cache .ruff_cache .mypy_cache
