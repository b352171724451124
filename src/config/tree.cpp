#include "config/tree.h"

#include <fmt/format.h>

namespace vigil::config {

std::vector<Node> build_tree(std::vector<TokenLine> lines, Diagnostics& diags,
                             const TreeOptions& opts) {
    std::vector<Node> root;
    // Path of open blocks: each entry is the node whose children are being filled.
    std::vector<Node*> open;
    // Blocks deeper than max_depth are parsed for balance but their content is dropped.
    unsigned skipped_depth = 0;

    const auto current = [&]() -> std::vector<Node>& {
        return open.empty() ? root : open.back()->children;
    };
    // The last statement at the current level can still take a block on its own line.
    Node* last_statement = nullptr;

    for (auto& line : lines) {
        Node* stmt = nullptr;  // statement being built from this line
        for (auto& tok : line) {
            if (tok.kind == TokenKind::open_brace) {
                Node* owner = stmt != nullptr ? stmt : last_statement;
                if (skipped_depth > 0 || open.size() >= opts.max_depth) {
                    if (skipped_depth == 0)
                        diags.error(tok.loc, fmt::format("blocks nested deeper than {} levels",
                                                         opts.max_depth));
                    ++skipped_depth;
                    stmt = nullptr;
                    continue;
                }
                if (owner == nullptr || owner->has_block) {
                    diags.error(tok.loc, "unexpected '{': expected a keyword before the block");
                    // Treat it as an anonymous block so the braces still balance.
                    current().push_back(Node{tok, {}, false, {}, {}});
                    owner = &current().back();
                }
                owner->has_block = true;
                owner->block_open = tok;
                open.push_back(owner);
                stmt = nullptr;
                last_statement = nullptr;
                continue;
            }
            if (tok.kind == TokenKind::close_brace) {
                if (skipped_depth > 0) {
                    --skipped_depth;
                } else if (open.empty()) {
                    diags.error(tok.loc, "unexpected '}': no block is open");
                } else {
                    last_statement = open.back();
                    open.pop_back();
                }
                stmt = nullptr;
                continue;
            }
            if (skipped_depth > 0) continue;
            if (stmt == nullptr) {
                current().push_back(Node{std::move(tok), {}, false, {}, {}});
                stmt = &current().back();
                last_statement = stmt;
            } else {
                stmt->args.push_back(std::move(tok));
            }
        }
        // Pointers into vectors are only kept while no sibling is appended after them; the
        // statement of this line may take a block from the next line, so keep it.
    }
    for (auto it = open.rbegin(); it != open.rend(); ++it) {
        const auto& b = (*it)->block_open;
        // keepalived 2.2.7 closes it at the end ("There are 1 missing '}'s") and runs.
        diags.warning(b.loc, fmt::format("block of '{}' is never closed: it ends with the "
                                         "configuration, as keepalived takes it",
                                         (*it)->keyword.text));
    }
    return root;
}

}  // namespace vigil::config
