// The keyword tree: token lines grouped into statements and { } blocks, before any
// keyword is interpreted. A statement is one line: a keyword, its arguments, and an
// optional block (opened on the same line, or by a '{' alone on the next line).
#pragma once

#include <memory>
#include <vector>

#include "config/lexer.h"

namespace vigil::config {

struct Node {
    Token keyword;
    std::vector<Token> args;
    bool has_block = false;
    Token block_open;  // the '{' token, when has_block
    std::vector<Node> children;
};

struct TreeOptions {
    unsigned max_depth = 32;  // keepalived's grammar needs 5; deeper is an error
};

// Builds the tree; unbalanced braces and over-deep nesting are reported.
std::vector<Node> build_tree(std::vector<TokenLine> lines, Diagnostics& diags,
                             const TreeOptions& opts = {});

}  // namespace vigil::config
