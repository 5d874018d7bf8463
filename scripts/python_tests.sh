#!/usr/bin/env bash
# The Python package's tests: build its wheel with maturin, install it into a virtualenv of
# its own (target/py-venv, made with the machine's python3 and reused), run pytest on it.
# Everything comes from pip with pinned versions (crates/simpy-py/requirements-test.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${SIMPY_PY_VENV:-target/py-venv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r crates/simpy-py/requirements-test.txt
# The tests run the `simpy` command too (tokenizer export, parquet).
cargo build --release --quiet -p simpy-cli
export SIMPY_BIN="$PWD/target/release/simpy"
# llama.cpp's own GBNF engine, for the exported grammar's tests.
bash scripts/build_gbnf_check.sh
export GBNF_CHECK="$PWD/target/gbnf-check/gbnf_check"
rm -rf target/wheels
(
    cd crates/simpy-py
    VIRTUAL_ENV="$PWD/../../$venv" PATH="$PWD/../../$venv/bin:$PATH" \
        maturin build --release --quiet -o ../../target/wheels
)
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/simpy_grammar-*.whl
# From outside the source tree, so `import simpy_grammar` is the installed wheel.
cd target && "../$venv/bin/python" -m pytest -q ../crates/simpy-py/tests "$@"
