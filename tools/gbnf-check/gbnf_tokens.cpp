// Runs llama.cpp's own grammar sampler (`llama_sampler_init_grammar`, as `llama-cli
// --grammar-file` does) on the token ids a model writes, with a real vocabulary:
//
//     gbnf_tokens VOCAB.gguf ADDED OUT.gguf GRAMMAR CASE...
//
// VOCAB.gguf is a vocabulary-only GGUF (llama.cpp's models/ggml-vocab-*.gguf). ADDED lists the
// tokens an export adds after it, one per line `ID TYPE HEX` (TYPE `user` or `control`, HEX the
// content's UTF-8 bytes); they are appended as convert_hf_to_gguf.py appends a tokenizer.json's
// added tokens (content as it is, user-defined unless special; ids left between are unused
// `[PADn]`), and the vocabulary is written to OUT.gguf and loaded from there. Each CASE file holds
// token ids, one per line; a line `!ID` is an id the grammar must refuse at that point (it is not
// consumed). Prints for each CASE a line `CASE<tab>VERDICT`, the verdict `ok`, `refused token K`,
// `allowed token K` (a `!` id let through) or `not accepting at the end` (K counts the lines).
// Exit 2 on unusable input.
// Built by scripts/build_gbnf_check.sh; used by crates/simpy-py/tests/test_idiom_grammar.py.

#include "gguf.h"
#include "llama.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

static std::string read(const char * path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error(std::string("cannot read ") + path);
    }
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

static std::string from_hex(const std::string & hex) {
    std::string bytes;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return bytes;
}

// The base vocabulary with ADDED's tokens appended, written to `out`.
static void extend_vocabulary(const char * base, const char * added, const char * out) {
    gguf_init_params params = { /*no_alloc =*/ true, /*ctx =*/ nullptr };
    gguf_context * ctx = gguf_init_from_file(base, params);
    if (!ctx) {
        throw std::runtime_error(std::string("not a GGUF file: ") + base);
    }
    const int64_t tokens_key = gguf_find_key(ctx, "tokenizer.ggml.tokens");
    const int64_t types_key = gguf_find_key(ctx, "tokenizer.ggml.token_type");
    const int64_t scores_key = gguf_find_key(ctx, "tokenizer.ggml.scores");
    if (tokens_key < 0 || types_key < 0) {
        throw std::runtime_error("the GGUF has no tokenizer.ggml.tokens or token_type");
    }
    const size_t n = gguf_get_arr_n(ctx, tokens_key);
    std::vector<std::string> tokens;
    for (size_t i = 0; i < n; i++) {
        tokens.emplace_back(gguf_get_arr_str(ctx, tokens_key, i));
    }
    const auto * types_data = static_cast<const int32_t *>(gguf_get_arr_data(ctx, types_key));
    std::vector<int32_t> types(types_data, types_data + n);
    std::vector<float> scores;
    if (scores_key >= 0) {
        const auto * data = static_cast<const float *>(gguf_get_arr_data(ctx, scores_key));
        scores.assign(data, data + n);
    }

    std::istringstream lines(read(added));
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty()) {
            continue;
        }
        std::istringstream fields(line);
        size_t id;
        std::string type, hex;
        if (!(fields >> id >> type >> hex) || (type != "user" && type != "control")) {
            throw std::runtime_error("ADDED: not `ID user|control HEX`: " + line);
        }
        if (id < tokens.size()) {
            throw std::runtime_error("ADDED: id " + std::to_string(id) + " is taken already");
        }
        while (tokens.size() < id) {
            tokens.push_back("[PAD" + std::to_string(tokens.size()) + "]");
            types.push_back(LLAMA_TOKEN_TYPE_UNUSED);
        }
        tokens.push_back(from_hex(hex));
        types.push_back(type == "user" ? LLAMA_TOKEN_TYPE_USER_DEFINED : LLAMA_TOKEN_TYPE_CONTROL);
    }
    scores.resize(scores_key >= 0 ? tokens.size() : 0, 0.0f);

    std::vector<const char *> pointers;
    for (const auto & token : tokens) {
        pointers.push_back(token.c_str());
    }
    gguf_set_arr_str(ctx, "tokenizer.ggml.tokens", pointers.data(), pointers.size());
    gguf_set_arr_data(ctx, "tokenizer.ggml.token_type", GGUF_TYPE_INT32, types.data(), types.size());
    if (scores_key >= 0) {
        gguf_set_arr_data(ctx, "tokenizer.ggml.scores", GGUF_TYPE_FLOAT32, scores.data(), scores.size());
    }
    const bool written = gguf_write_to_file(ctx, out, /*only_meta =*/ true);
    gguf_free(ctx);
    if (!written) {
        throw std::runtime_error(std::string("cannot write ") + out);
    }
}

static bool allowed(llama_sampler * grammar, llama_token id) {
    llama_token_data candidate = { id, 0.0f, 0.0f };
    llama_token_data_array one = { &candidate, 1, -1, false };
    llama_sampler_apply(grammar, &one);
    return candidate.logit != -INFINITY;
}

// What llama.cpp's grammar sampler makes of one CASE file.
static std::string run_case(const llama_vocab * vocab, const std::string & grammar_text, const char * path) {
    llama_sampler * grammar = llama_sampler_init_grammar(vocab, grammar_text.c_str(), "root");
    if (!grammar) {
        throw std::runtime_error("llama.cpp refuses the grammar");
    }
    std::istringstream lines(read(path));
    std::string line, verdict;
    for (size_t k = 0; verdict.empty() && std::getline(lines, line); k++) {
        const bool must_refuse = !line.empty() && line[0] == '!';
        const llama_token id = std::stoi(must_refuse ? line.substr(1) : line);
        const bool ok = allowed(grammar, id);
        if (must_refuse) {
            if (ok) {
                verdict = "allowed token " + std::to_string(k);
            }
            continue;
        }
        if (!ok) {
            verdict = "refused token " + std::to_string(k);
            continue;
        }
        try {
            llama_sampler_accept(grammar, id);
        } catch (const std::runtime_error &) {
            verdict = "refused token " + std::to_string(k);
        }
    }
    // The grammar lets an end-of-generation token through only where the text may end.
    if (verdict.empty() && !allowed(grammar, llama_vocab_eos(vocab))) {
        verdict = "not accepting at the end";
    }
    llama_sampler_free(grammar);
    return verdict.empty() ? "ok" : verdict;
}

static void quiet(ggml_log_level level, const char * text, void *) {
    if (level == GGML_LOG_LEVEL_ERROR) {
        fputs(text, stderr);
    }
}

int main(int argc, char ** argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: gbnf_tokens VOCAB.gguf ADDED OUT.gguf GRAMMAR [CASE...]\n");
        return 2;
    }
    try {
        llama_log_set(quiet, nullptr);
        llama_backend_init();
        extend_vocabulary(argv[1], argv[2], argv[3]);
        llama_model_params params = llama_model_default_params();
        params.vocab_only = true;
        llama_model * model = llama_model_load_from_file(argv[3], params);
        if (!model) {
            throw std::runtime_error(std::string("llama.cpp cannot load ") + argv[3]);
        }
        const std::string grammar_text = read(argv[4]);
        for (int i = 5; i < argc; i++) {
            printf("%s\t%s\n", argv[i], run_case(llama_model_get_vocab(model), grammar_text, argv[i]).c_str());
        }
        llama_model_free(model);
        llama_backend_free();
    } catch (const std::exception & error) {
        fprintf(stderr, "gbnf_tokens: %s\n", error.what());
        return 2;
    }
    return 0;
}
