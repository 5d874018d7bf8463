#!/usr/bin/env bash
# How much a second core buys: encode and decode of the standard library as a tree, and a report
# on it (every built-in tokenizer), each with `-j 1` and `-j 2`, median of three runs of the
# release binary, and the ratio. `site-packages` is left out (1,781 files, 31.5 MB).
#   bash scripts/threads_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet -p simpy-cli
bin=$PWD/target/release/simpy
stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
skip=(--exclude site-packages/)
# The SimPy tree that decode reads; the 9 files that are not Python 3 are reported and skipped.
"$bin" encode "$stdlib" "${skip[@]}" -o "$work/simpy" -q 2>/dev/null || true

median() {
    for _ in 1 2 3; do
        rm -rf "$work/out"
        /usr/bin/time -f '%e' -o "$work/time" "$@" >/dev/null 2>&1 || true
        tail -n 1 "$work/time"
    done | sort -n | sed -n 2p
}

printf '| command | -j 1 | -j 2 | speed-up |\n|---|---|---|---|\n'
for command in encode decode report; do
    case $command in
    encode) run=("$bin" encode "$stdlib" "${skip[@]}" -o "$work/out" -q) ;;
    decode) run=("$bin" decode "$work/simpy" -o "$work/out" -q) ;;
    report) run=("$bin" report "$stdlib" "${skip[@]}" -o "$work/out.json" -q) ;;
    esac
    one=$(median "${run[@]}" -j 1)
    two=$(median "${run[@]}" -j 2)
    python3 -c "print(f'| $command | {$one:.1f} s | {$two:.1f} s | {$one / $two:.2f}x |')"
done
