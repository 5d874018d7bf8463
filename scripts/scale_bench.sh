#!/usr/bin/env bash
# How encode, decode and check scale with one file's size: two shapes, the smallest statement
# repeated (`x = 1` lines) and real code (the standard library's files concatenated, as long as
# needed), at each size in MB given (default 1 8 64). Each cell is the median of three runs of the
# release binary: seconds, MB/s and peak RSS as a multiple of the input's size (for decode,
# the input is the file's SimPy).
#   bash scripts/scale_bench.sh [SIZE_MB...]
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- 1 8 64
sizes=("$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet -p simpy-cli
bin=$PWD/target/release/simpy

# Writes $work/<shape>-<mb>.py of exactly <mb> MB, cut at a line end.
python3 - "$work" "${sizes[@]}" <<'PY'
import os, sys, sysconfig
work, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
stdlib = sysconfig.get_paths()["stdlib"]
real = []
for root, dirs, files in os.walk(stdlib):
    dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "__pycache__", "test", "tests"))
    for name in sorted(files):
        if name.endswith(".py"):
            with open(os.path.join(root, name), "rb") as f:
                text = f.read()
            try:
                text.decode("utf-8")
                compile(text, name, "exec", dont_inherit=True)
            except (SyntaxError, ValueError):
                continue
            if b"__future__" in text:
                continue  # only legal at the top of a file
            real.append(text if text.endswith(b"\n") else text + b"\n")
real = b"".join(real)
for mb in sizes:
    want = mb * 1_000_000
    for shape, unit in (("xeq1", b"x = 1\n"), ("real", real)):
        body = unit * (want // len(unit) + 1)
        body = body[: body.rindex(b"\n", 0, want) + 1]
        if shape == "real":
            # Cut at the last line that starts a top-level statement, so the file parses.
            cut = body.rindex(b"\ndef ")
            body = body[: cut + 1]
        with open(f"{work}/{shape}-{mb}.py", "wb") as f:
            f.write(body)
PY

# median of three: "<seconds> <peak KB>"
measure() {
    for _ in 1 2 3; do
        /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>&1 || true
        tail -n 1 "$work/time"
    done | sort -n | sed -n 2p
}

printf '| shape | input MB | command | seconds | MB/s | peak RSS | RSS / input |\n|---|---|---|---|---|---|---|\n'
for mb in "${sizes[@]}"; do
    for shape in xeq1 real; do
        py=$work/$shape-$mb.py
        # The file must convert, or the times below would be of an error.
        "$bin" encode "$py" -o "$work/$shape.simpy" --max-file-size 1G
        for command in encode decode check; do
            input=$py
            case $command in
            encode) run=("$bin" encode "$py" -o "$work/out.simpy" --max-file-size 1G) ;;
            decode)
                input=$work/$shape.simpy
                run=("$bin" decode "$input" -o "$work/out.py" --max-file-size 1G)
                ;;
            check) run=("$bin" check "$py" -q --max-file-size 1G) ;;
            esac
            bytes=$(stat -c %s "$input")
            read -r seconds kb <<<"$(measure "${run[@]}")"
            python3 -c "
b, s, kb = $bytes, $seconds, $kb
print(f'| $shape | {b/1e6:.1f} | $command | {s:.2f} | {b/1e6/max(s, 0.01):.2f} | {kb/1024:.0f} MiB | {kb*1024/b:.0f}x |')"
        done
    done
done
