#!/usr/bin/env bash
# Writes the grammars in grammar/ from the parser's rules (`simpy grammar`): simpy.lark,
# simpy.llguidance.lark and simpy.gbnf for canonical SimPy, and the same three,
# simpy.compact.*, for the built-in dialect `compact`; tests fail while they are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p simpy-cli
for dialect in simpy compact; do
    stem=simpy
    [ "$dialect" = simpy ] || stem="simpy.$dialect"
    for format in lark llguidance gbnf; do
        case "$format" in
            lark) file="$stem.lark" ;;
            llguidance) file="$stem.llguidance.lark" ;;
            gbnf) file="$stem.gbnf" ;;
        esac
        target/release/simpy grammar --format "$format" --dialect "$dialect" -o "grammar/$file"
        echo "grammar/$file"
    done
done
