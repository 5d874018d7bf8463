#!/usr/bin/env bash
# Byte-for-byte guard for printer changes: `simpy encode`, `simpy normalize` and `simpy decode`
# of the whole standard library (site-packages included) at BASE and at the working tree must
# be identical. Usage: bash scripts/printer_guard.sh [BASE]   (BASE defaults to HEAD)
set -euo pipefail
base=${1:-HEAD}
repo=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'git -C "$repo" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')

git -C "$repo" worktree add --detach "$work/base" "$base" >/dev/null
echo "building $base and the working tree (release)…" >&2
cargo build --quiet --release -p simpy-cli --manifest-path "$work/base/Cargo.toml" \
    --target-dir "$repo/target/guard-base"
cargo build --quiet --release -p simpy-cli --manifest-path "$repo/Cargo.toml"

status=0
for side in base new; do
    bin=$repo/target/release/simpy
    [ "$side" = base ] && bin=$repo/target/guard-base/release/simpy
    # Files CPython rejects are reported and skipped by both sides alike.
    "$bin" -q encode "$stdlib" -o "$work/out/$side/encode" 2>/dev/null || true
    "$bin" -q normalize "$stdlib" -o "$work/out/$side/normalize" 2>/dev/null || true
    "$bin" -q decode "$work/out/base/encode" -o "$work/out/$side/decode" 2>/dev/null || true
done
for what in encode normalize decode; do
    files=$(find "$work/out/new/$what" -type f | wc -l)
    differing=$(diff -rq "$work/out/base/$what" "$work/out/new/$what" | wc -l || true)
    echo "$what: $files files, $differing differ"
    [ "$differing" -eq 0 ] || status=1
done
exit $status
