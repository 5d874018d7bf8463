// Runs llama.cpp's own GBNF engine (src/llama-grammar.cpp, from the llama-cpp-python sdist) on
// texts: `gbnf_check GRAMMAR [FILE...]` parses GRAMMAR as `llama-cli --grammar-file` does
// (exit 2 if llama.cpp refuses it), then prints for each FILE `ok` or `refused at byte N`
// (the first byte after which no parse is left, or the end if the text stops short).
// Built by scripts/build_gbnf_check.sh; used by crates/simpy-py/tests/test_grammar.py.

#include "llama-grammar.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

static std::string read(const char * path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

static bool accepting(llama_grammar & grammar) {
    for (const auto & stack : llama_grammar_get_stacks(&grammar)) {
        if (stack.empty()) {
            return true;
        }
    }
    return false;
}

// The byte at which `text` stops being a prefix of the language, or -1 if it is a whole text.
static long refused_at(const llama_grammar & parsed, const std::string & text) {
    llama_grammar * grammar = llama_grammar_clone_impl(parsed);
    long at = -1;
    size_t i = 0;
    while (i < text.size()) {
        // One UTF-8 character at a time, so that a refusal has a place.
        size_t len = 1;
        const unsigned char lead = text[i];
        if (lead >= 0xF0) { len = 4; } else if (lead >= 0xE0) { len = 3; } else if (lead >= 0xC0) { len = 2; }
        try {
            llama_grammar_accept_str(*grammar, text.substr(i, len));
        } catch (const std::runtime_error &) {
            at = static_cast<long>(i);
            break;
        }
        i += len;
    }
    if (at < 0 && !accepting(*grammar)) {
        at = static_cast<long>(text.size());
    }
    llama_grammar_free_impl(grammar);
    return at;
}

int main(int argc, char ** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: gbnf_check GRAMMAR [FILE...]\n");
        return 2;
    }
    const std::string gbnf = read(argv[1]);
    llama_grammar * parsed =
        llama_grammar_init_impl(nullptr, gbnf.c_str(), "root", false, nullptr, 0, nullptr, 0);
    if (parsed == nullptr) {
        fprintf(stderr, "llama.cpp refuses the grammar %s\n", argv[1]);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        const long at = refused_at(*parsed, read(argv[i]));
        if (at < 0) {
            printf("%s\tok\n", argv[i]);
        } else {
            printf("%s\trefused at byte %ld\n", argv[i], at);
        }
        fflush(stdout);
    }
    llama_grammar_free_impl(parsed);
    return 0;
}
