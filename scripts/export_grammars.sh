#!/usr/bin/env bash
# Writes the grammars in grammar/ from the parser's rules (`simpy grammar`): simpy.lark,
# simpy.llguidance.lark and simpy.gbnf for canonical SimPy, and simpy.compact.lark and
# simpy.compact.llguidance.lark for the built-in dialect `compact` (which has no GBNF grammar:
# `simpy grammar --format gbnf --dialect compact` says why); tests fail while they are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p simpy-cli
for dialect in simpy compact; do
    stem=simpy
    [ "$dialect" = simpy ] || stem="simpy.$dialect"
    formats="lark llguidance gbnf"
    [ "$dialect" = simpy ] || formats="lark llguidance"
    for format in $formats; do
        case "$format" in
            lark) file="$stem.lark" ;;
            llguidance) file="$stem.llguidance.lark" ;;
            gbnf) file="$stem.gbnf" ;;
        esac
        target/release/simpy grammar --format "$format" --dialect "$dialect" -o "grammar/$file"
        echo "grammar/$file"
    done
done
