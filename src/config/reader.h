// The configuration reader: turns keepalived.conf files into token lines. It owns
// everything keepalived does before keywords are looked at: comments, line continuation,
// include (with globs, braces, include_check and cycle detection), @ID/@^ID conditionals,
// $NAME parameters (multi-line, recursive, predefined ${_PWD} ${_INSTANCE} ${_RANDOM}
// ${_HASH} ${_BANG}) and ~SEQ/~SEQx/~LST repetition.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/file_source.h"
#include "config/lexer.h"
#include "config/source.h"

namespace vigil::config {

struct ReadOptions {
    std::string config_id;               // -i; compared by @ID lines; ${_INSTANCE}
    std::uint64_t random_seed = 0;       // seeds ${_RANDOM} unless random_seed is configured
    bool all_includes_required = false;  // -e: a missing include is an error
    unsigned max_include_depth = 128;    // cycles are detected; this only bounds the stack
    unsigned max_expansion_depth = 64;
    // Bounds on what a configuration may expand to, checked as lines are produced so that
    // no input can exhaust memory: keepalived.conf(5)'s largest example (~SEQ making 65,024
    // instances) expands to 1.2 million lines and about 150 MiB of tokens.
    std::size_t max_lines = 2'000'000;
    std::size_t max_token_bytes = std::size_t{768} << 20U;
    std::size_t max_line_length = 1U << 20U;  // after parameter substitution
};

struct ReadResult {
    std::vector<TokenLine> lines;
    std::vector<std::string> files_read;  // in the order they were opened
};

ReadResult read_config(const std::string& path, const ReadOptions& opts, FileSource& fs,
                       SourceFiles& files, Diagnostics& diags);

}  // namespace vigil::config
