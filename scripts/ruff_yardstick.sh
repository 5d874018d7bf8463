#!/usr/bin/env bash
# How close `simpy normalize` output is to what `ruff format` would write, on the local
# standard library: the share of printed lines that ruff format leaves unchanged.
# Extra ruff options go in RUFF_ARGS, e.g. RUFF_ARGS="--config format.quote-style='preserve'".
# ruff is a yardstick, not a dependency: it is installed from PyPI into a throwaway venv.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet ruff
cargo build --release --quiet -p simpy-cli

stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
python3 - "$stdlib" "$work/stdlib" <<'PY'
import shutil, sys
shutil.copytree(sys.argv[1], sys.argv[2], ignore=shutil.ignore_patterns("site-packages", "__pycache__", "*.pyc"))
PY
target/release/simpy normalize "$work/stdlib" -o "$work/ours" >/dev/null 2>&1 || true
cp -r "$work/ours" "$work/ruff"
"$work/venv/bin/ruff" --version
"$work/venv/bin/ruff" format --quiet --no-cache --isolated ${RUFF_ARGS:-} "$work/ruff" || true

total=$(find "$work/ours" -name '*.py' -print0 | xargs -0 cat | wc -l)
changed=$({ git diff --no-index --numstat "$work/ours" "$work/ruff" || true; } | awk '{s += $2} END {print s + 0}')
echo "printed lines: $total; lines ruff format rewrites: $changed"
python3 -c "print(f'unchanged by ruff format: {1 - $changed / $total:.1%}')"
