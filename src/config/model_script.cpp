#include "config/model_script.h"

#include "config/values.h"

namespace vigil::config {

std::optional<ScriptSpec> parse_script_spec(const Args& a, std::size_t first) {
    if (!a.count(first + 1, first + 3, a.node().keyword.text + " <SCRIPT> [username [groupname]]"))
        return std::nullopt;
    ScriptSpec s;
    s.loc = a.loc(first);
    const Token& cmd = a.at(first);
    s.argv = cmd.quoted ? split_command(cmd.text) : std::vector<std::string>{cmd.text};
    if (s.argv.empty() || s.argv[0].empty()) {
        a.error(first, "expected a script path, got an empty string");
        return std::nullopt;
    }
    if (a.has(first + 1)) s.user = a.text(first + 1);
    if (a.has(first + 2)) s.group = a.text(first + 2);
    return s;
}

std::optional<FifoSpec> parse_fifo_spec(const Args& a, std::size_t first) {
    if (!a.count(first + 1, first + 3, a.node().keyword.text + " <FIFO> [username [groupname]]"))
        return std::nullopt;
    FifoSpec f;
    f.loc = a.loc(first);
    f.path = a.text(first);
    if (f.path.empty()) {
        a.error(first, "expected a FIFO path, got an empty string");
        return std::nullopt;
    }
    if (a.has(first + 1)) f.user = a.text(first + 1);
    if (a.has(first + 2)) f.group = a.text(first + 2);
    return f;
}

}  // namespace vigil::config
