#!/usr/bin/env bash
# Writes grammar/simpy.lark, grammar/simpy.llguidance.lark and grammar/simpy.gbnf from the
# parser's rules (`simpy grammar`); a test fails while they are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p simpy-cli
for format in lark llguidance gbnf; do
    case "$format" in
        lark) file=simpy.lark ;;
        llguidance) file=simpy.llguidance.lark ;;
        gbnf) file=simpy.gbnf ;;
    esac
    target/release/simpy grammar --format "$format" -o "grammar/$file"
done
echo "grammar/: simpy.lark simpy.llguidance.lark simpy.gbnf"
