#!/usr/bin/env bash
# Renders an HTML report in headless Chromium and checks what the browser built: the chart's
# bars are in the rendered DOM and the page paints (a screenshot is written).
#   bash scripts/render_report.sh [CORPUS] [OUT_DIR]
# Needs chromium (Debian: apt-get install chromium). Not part of CI: the browser is large.
set -euo pipefail
cd "$(dirname "$0")/.."

corpus="${1:-crates/simpy-cli/tests/fixtures/corpus}"
out="${2:-$(mktemp -d)}"
mkdir -p "$out"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "no Chromium found; on Debian: apt-get install chromium" >&2; exit 1; }

cargo build --release -q -p simpy-cli
./target/release/simpy report "$corpus" --tokenizers gpt4,codex,codebert --format html -o "$out/report.html"
flags=(--headless --no-sandbox --disable-gpu --window-size=900,1000)
"$browser" "${flags[@]}" --dump-dom "file://$(realpath "$out/report.html")" 2>/dev/null > "$out/dom.html"
"$browser" "${flags[@]}" --screenshot="$out/report.png" "file://$(realpath "$out/report.html")" 2>/dev/null

bars=$(grep -o '<rect[^>]*fill="#2b6cb0"' "$out/dom.html" | wc -l)
# One blue bar per tokenizer, and the legend's swatch.
[ "$bars" -ge 4 ] || { echo "the rendered chart has $bars blue shapes, expected 3 bars and a legend" >&2; exit 1; }
grep -q '<table>' "$out/dom.html" || { echo "no table in the rendered page" >&2; exit 1; }
[ "$(stat -c %s "$out/report.png")" -gt 10000 ] || { echo "the screenshot is empty" >&2; exit 1; }
echo "rendered: $((bars - 1)) bars per series; screenshot $out/report.png ($(stat -c %s "$out/report.png") bytes)"
