#!/usr/bin/env bash
# The README's tables of learnt dialects: `simpy dialect train` on the stdlib for each of the
# ten tokenizers, one after the other, then one markdown row per tokenizer from the numbers
# each dialect file keeps under "trained".
#
#   bash scripts/dialect_ladder.sh                       # literals kept
#   bash scripts/dialect_ladder.sh --literals normalized
#   TOKENIZERS="gpt4 gpt2" IDIOMS=200 bash scripts/dialect_ladder.sh
#
# The dialect files are left in target/dialects/ (NAME.json, or NAME.normalized.json).
set -euo pipefail
cd "$(dirname "$0")/.."

literals=kept
if [ "${1:-}" = --literals ]; then literals=${2:?--literals takes kept or normalized}; fi
tokenizers=${TOKENIZERS:-gpt4 gpt35 gpt4o codex gpt2 codebert codellama starcoder2 deepseek-coder qwen2.5-coder}
idioms=${IDIOMS:-500}
stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')

cargo build -q --release -p simpy-cli
out=target/dialects
mkdir -p "$out"
suffix=""
[ "$literals" = kept ] || suffix=".$literals"
echo "at $(git describe --always --dirty), $(date -u +%FT%TZ), $idioms idioms, literals $literals" >&2
for t in $tokenizers; do
    start=$(date +%s)
    ./target/release/simpy dialect train "$stdlib" --exclude site-packages --tokenizer "$t" \
        --idioms "$idioms" --literals "$literals" --name "$t" -o "$out/$t$suffix.json" >&2 2>/dev/null
    echo "$t $(( $(date +%s) - start ))" >>"$out/times$suffix.txt.new"
done
mv "$out/times$suffix.txt.new" "$out/times$suffix.txt"

python3 - "$out" "$suffix" $tokenizers <<'EOF'
import json, sys
out, suffix, names = sys.argv[1], sys.argv[2], sys.argv[3:]
times = dict(line.split() for line in open(f"{out}/times{suffix}.txt"))
def pct(n, of):
    return f"{(n - of) / of * 100:+.1f}%".replace("-", "−")
for name in names:
    d = json.load(open(f"{out}/{name}{suffix}.json"))
    tokens = d["trained"]["tokens"]
    original = tokens["original"]
    rows = tokens["dialects"]
    held = lambda key: pct(rows[key]["held_out"], original["held_out"])
    last = next(k for k in rows if k.endswith("idioms)"))
    dropped = [k for k, on in d["choices"].items() if not on]
    cells = [f"`{name}`", f"{original['held_out']:,}", held("simpy")]
    cells += [held(k) for k in rows if k.startswith("simpy, literals")]
    cells += [held("spellings only"), ", ".join(f"`{k}`" for k in dropped) or "none"]
    cells += [held(k) for k in ("50 idioms", "200 idioms") if k in rows]
    cells += [f"**{held(last)}**", pct(rows[last]["training"], original["training"])]
    cells.append(f"{times[name]} s")
    print("| " + " | ".join(cells) + " |")
EOF
