#!/usr/bin/env bash
# Fetches the vocabulary-only GGUF files of the CodeLlama, StarCoder, deepseek-coder and Qwen2
# tokenizers (with their reference token ids) from the PyPI sdist llama-cpp-python==0.3.36 (MIT),
# checks the sdist's sha256, and keeps only those files, in $SIMPY_TOKENIZERS, else
# $XDG_CACHE_HOME/simpy/tokenizers, else ~/.cache/simpy/tokenizers. Does nothing if they are there.
set -euo pipefail

VERSION=0.3.36
SHA256=832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e
MODELS=(llama-spm starcoder deepseek-coder qwen2 gpt-2)
DEST="${SIMPY_TOKENIZERS:-${XDG_CACHE_HOME:-$HOME/.cache}/simpy/tokenizers}"

missing=0
for m in "${MODELS[@]}"; do
    for ext in gguf gguf.inp gguf.out; do
        [ -s "$DEST/ggml-vocab-$m.$ext" ] || missing=1
    done
done
if [ "$missing" = 0 ]; then
    echo "tokenizer vocabularies already in $DEST"
    exit 0
fi

command -v python3 >/dev/null || { echo "python3 (with pip) is needed to download the sdist" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --no-binary llama-cpp-python \
    "llama-cpp-python==$VERSION" -d "$work"
sdist="$work/llama_cpp_python-$VERSION.tar.gz"
echo "$SHA256  $sdist" | sha256sum --check --quiet || {
    echo "sha256 of $sdist does not match the pinned $SHA256" >&2
    exit 1
}
patterns=()
for m in "${MODELS[@]}"; do
    patterns+=("llama_cpp_python-$VERSION/vendor/llama.cpp/models/ggml-vocab-$m.gguf*")
done
tar -xzf "$sdist" -C "$work" --wildcards "${patterns[@]}"
mkdir -p "$DEST"
cp "$work/llama_cpp_python-$VERSION/vendor/llama.cpp/models/"ggml-vocab-* "$DEST/"
echo "tokenizer vocabularies in $DEST"
