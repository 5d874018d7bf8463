#!/usr/bin/env bash
# Builds tools/gbnf-check against llama.cpp's own grammar engine (src/llama-grammar.cpp), from
# the llama.cpp that ships in the PyPI sdist llama-cpp-python==0.3.36 (MIT; the sdist
# scripts/fetch_tokenizers.sh takes vocabularies from, same sha256), with cmake from pip.
# Writes target/gbnf-check/gbnf_check (texts) and gbnf_tokens (token ids of a GGUF vocabulary)
# (about three minutes on two cores; skipped when built).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=0.3.36
SHA256=832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e
out="$PWD/target/gbnf-check"
venv="${SIMPY_PY_VENV:-target/py-venv}"
if [ -x "$out/gbnf_check" ] && [ "$out/gbnf_check" -nt tools/gbnf-check/gbnf_check.cpp ] &&
    [ -x "$out/gbnf_tokens" ] && [ "$out/gbnf_tokens" -nt tools/gbnf-check/gbnf_tokens.cpp ]; then
    echo "gbnf_check already built in $out"
    exit 0
fi
command -v c++ >/dev/null || { echo "a C++ compiler (c++) is needed to build llama.cpp" >&2; exit 1; }
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "cmake==4.4.5"
mkdir -p "$out"
sdist="$out/llama_cpp_python-$VERSION.tar.gz"
if [ ! -s "$sdist" ]; then
    "$venv/bin/python" -m pip download --quiet --no-deps --no-binary llama-cpp-python \
        "llama-cpp-python==$VERSION" -d "$out"
fi
echo "$SHA256  $sdist" | sha256sum --check --quiet || {
    echo "sha256 of $sdist does not match the pinned $SHA256" >&2
    exit 1
}
src="$out/llama_cpp_python-$VERSION/vendor/llama.cpp"
[ -d "$src" ] || tar -xzf "$sdist" -C "$out" "llama_cpp_python-$VERSION/vendor/llama.cpp"
"$venv/bin/cmake" -S "$src" -B "$out/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
    -DGGML_NATIVE=OFF -DGGML_OPENMP=OFF -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_TOOLS=OFF \
    >"$out/cmake.log" 2>&1 || { cat "$out/cmake.log" >&2; exit 1; }
"$venv/bin/cmake" --build "$out/build" --target llama -j "$(nproc)" >>"$out/cmake.log" 2>&1 ||
    { tail -50 "$out/cmake.log" >&2; exit 1; }
for tool in gbnf_check gbnf_tokens; do
    c++ -O2 -std=c++17 -I"$src/src" -I"$src/include" -I"$src/ggml/include" \
        "tools/gbnf-check/$tool.cpp" \
        "$out/build/src/libllama.a" "$out/build/ggml/src/libggml.a" \
        "$out/build/ggml/src/libggml-cpu.a" "$out/build/ggml/src/libggml-base.a" \
        -lpthread -ldl -lm -o "$out/$tool"
done
echo "gbnf_check and gbnf_tokens in $out"
