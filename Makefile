# The two commands README gives: `make demo` and `make test`. Each does all the set-up.
.PHONY: setup demo test check bench dist-check

setup:
	scripts/setup.sh

demo: setup
	.venv/bin/kyc-sdk demo

test: setup
	scripts/with-postgres.sh scripts/run-tests.sh

# The quick loop, the habits CI keeps too: formatting, lint, types (the package, as
# pyproject.toml configures mypy), then every test not marked slow (about a minute).
check: setup
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	.venv/bin/mypy
	scripts/with-postgres.sh .venv/bin/python -m pytest -q -m "not slow"

# The bench extra too: PassportEye beside our MRZ reader in ocr_eval.py, the trainers' jax,
# optax and scikit-learn (without it ocr_eval leaves PassportEye's column out).
bench: setup
	.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test,bench]"
	scripts/with-postgres.sh .venv/bin/python benchmarks/run_all.py

dist-check: setup
	scripts/check-dist.sh
