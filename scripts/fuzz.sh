#!/usr/bin/env bash
# Runs the libFuzzer targets in fuzz/ (cargo-fuzz, nightly) for a given time each.
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]     # default: 60 s each, every target
#   FUZZ_JOBS=2 bash scripts/fuzz.sh 3600 encode   # two workers on one target
#   FUZZ_MINIMIZE=1 bash scripts/fuzz.sh 0         # only merge the work corpora into fuzz/corpus
#   FUZZ_SANITIZER=address bash scripts/fuzz.sh 900 encode   # AddressSanitizer, the C too
#
# Each target starts from its committed corpus (fuzz/corpus/<target>), seeds written from
# corpus/ and the test fixtures (the fuzz-seeds binary), and what earlier runs kept
# (target/fuzz-work/<target>). An input that fails is written to target/fuzz-artifacts/<target>/;
# once fixed, copy it to fuzz/regressions/<target>/ so the stable replay test keeps it.
# Every run appends a line to fuzz/runs.tsv: date, commit, target, seconds, execs, execs/s,
# failures (inputs that failed in this run, not distinct bugs), and the sanitizer if any.
# FUZZ_MINIMIZE=1 then shrinks each work corpus into fuzz/corpus/<target> (libFuzzer's
# -merge), the set the replay test (crates/simpy-fuzz/tests/replay.rs) runs in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(encode decode roundtrip prompt stream dialect)
jobs=${FUZZ_JOBS:-1}

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal

# No sanitizer: the Rust code forbids `unsafe`, and speed buys executions; debug assertions
# on, so an overflow is a failure. FUZZ_SANITIZER=address instruments the C as well
# (tree-sitter's core and grammar, and csrc/flatten.c, which reads tree-sitter's private
# structures): the flags go to the fuzz build alone, in a target directory of its own, since
# the fuzz-seeds helper below links no sanitizer runtime.
sanitizer=${FUZZ_SANITIZER:-none}
triple=x86_64-unknown-linux-gnu
build=target/fuzz
cflags=()
if [ "$sanitizer" != none ]; then
    build=target/fuzz-$sanitizer
    cflags=("CFLAGS_${triple//-/_}=-fsanitize=$sanitizer -fno-omit-frame-pointer")
fi
(cd fuzz && env "${cflags[@]}" cargo +nightly fuzz build -O -a -s "$sanitizer" \
    --target-dir "../$build")
bin=$build/$triple/release
seeds=target/fuzz-seeds
rm -rf "$seeds"
cargo run -q --release -p simpy-fuzz --bin fuzz-seeds -- . "$seeds"

commit=$(git describe --always --dirty)
for t in "${targets[@]}"; do
    work=target/fuzz-work/$t
    artifacts=target/fuzz-artifacts/$t
    mkdir -p "$work" "$artifacts" "fuzz/corpus/$t" "$seeds/$t"
    if [ "$seconds" -gt 0 ]; then
        log=target/fuzz-work/$t.log
        echo "fuzz $t for ${seconds}s ($jobs job(s)); log $log"
        # -timeout: an input that takes 10 s is a hang. -rss_limit_mb: a leak or a blow-up.
        # Keep going after a failure (-fork), so one bug does not end the run.
        status=0
        started=$(mktemp) # failures are the artifacts newer than this
        # roundtrip's input only seeds a generator, so entropic scheduling (which favours inputs
        # reaching rare coverage) buys little there and halves the rate: 270 against 520 execs/s in one 40 s trial.
        extra=()
        [ "$t" != roundtrip ] || extra=(-entropic=0)
        "$bin/$t" "$work" "fuzz/corpus/$t" "$seeds/$t" "${extra[@]}" \
            -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
            -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
            -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1 || status=$?
        # In fork mode the stats are the last `#N ... exec/s` status line.
        execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
        rate=$(( ${execs:-0} / seconds ))
        failures=$(find "$artifacts" -type f -newer "$started" | wc -l)
        rm -f "$started"
        line=("$(date -u +%FT%TZ)" "$commit" "$t" "$seconds" "${execs:-0}" "${rate:-0}" "$failures")
        [ "$sanitizer" = none ] || line+=("$sanitizer")
        (IFS=$'\t'; echo "${line[*]}") | tee -a fuzz/runs.tsv
        [ "$status" -eq 0 ] || echo "  libFuzzer exited $status; see $log"
    fi
    if [ "${FUZZ_MINIMIZE:-0}" = 1 ]; then
        merged=target/fuzz-work/$t.merged
        rm -rf "$merged" && mkdir -p "$merged"
        "$bin/$t" -merge=1 "$merged" "fuzz/corpus/$t" "$work" -timeout=10 -max_len=4096 \
            >"target/fuzz-work/$t.merge.log" 2>&1
        rm -rf "fuzz/corpus/$t" && mv "$merged" "fuzz/corpus/$t"
        echo "  fuzz/corpus/$t: $(find "fuzz/corpus/$t" -type f | wc -l) inputs"
    fi
done
echo "totals per target: awk -F'\t' '{e[\$3]+=\$5} END {for (t in e) print t, e[t]}' fuzz/runs.tsv"
