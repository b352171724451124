#include "config/keyword_table.h"

#include <algorithm>

namespace vigil::config {

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1);
    std::vector<std::size_t> cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}
}  // namespace

std::string closest_keyword(std::string_view unknown, const std::vector<std::string_view>& known) {
    if (unknown.size() > 64) return {};
    std::string best;
    std::size_t best_d = std::max<std::size_t>(2, unknown.size() / 4) + 1;
    for (const auto k : known) {
        const auto d = edit_distance(unknown, k);
        if (d < best_d) {
            best_d = d;
            best = std::string(k);
        }
    }
    return best;
}

void for_each_item(const Args& block, const std::function<void(const Args&)>& fn) {
    for (const auto& child : block.node().children) {
        // Re-shape "word args..." so that the first word is argument 0.
        Node item;
        item.keyword = block.node().keyword;
        item.args.reserve(child.args.size() + 1);
        item.args.push_back(child.keyword);
        item.args.insert(item.args.end(), child.args.begin(), child.args.end());
        item.has_block = child.has_block;
        item.block_open = child.block_open;
        item.children = child.children;
        fn(Args(item, block.diags()));
    }
}

}  // namespace vigil::config
