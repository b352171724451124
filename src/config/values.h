// Argument readers for keyword handlers. Each reads one argument of a statement, checks it,
// and on failure reports "expected ..." at the argument's location and returns nullopt.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ip_address.h"
#include "config/tree.h"

namespace vigil::config {

using Micros = std::chrono::microseconds;

class Args {
  public:
    Args(const Node& node, Diagnostics& diags) : node_(node), diags_(diags) {}

    const Node& node() const { return node_; }
    Diagnostics& diags() const { return diags_; }
    std::size_t size() const { return node_.args.size(); }
    bool has(std::size_t i) const { return i < node_.args.size(); }
    const Token& at(std::size_t i) const { return node_.args[i]; }
    const std::string& text(std::size_t i) const { return node_.args[i].text; }
    // Location of argument i, or just past the keyword when it is missing.
    SourceLoc loc(std::size_t i) const;

    // Reports an error unless min <= size() <= max. `usage` shows the expected form.
    bool count(std::size_t min, std::size_t max, std::string_view usage) const;
    void error(std::size_t i, std::string message) const;
    void warning(std::size_t i, std::string message) const;

    std::optional<std::string> string(std::size_t i) const;
    std::optional<std::int64_t> integer(std::size_t i, std::int64_t min, std::int64_t max) const;
    // Decimal, 0x hex or 0 octal (for umask, marks).
    std::optional<std::uint64_t> unsigned_any_base(std::size_t i, std::uint64_t max) const;
    // <BOOL>: on|off|true|false|yes|no. A missing argument means `if_missing`.
    std::optional<bool> boolean(std::size_t i, bool if_missing = true) const;
    // <TIMER>: seconds with up to 6 decimals (microsecond resolution), within [min, max].
    std::optional<Micros> seconds(std::size_t i, Micros min, Micros max) const;
    // Milliseconds with fraction (BFD intervals), within [min, max].
    std::optional<Micros> millis(std::size_t i, Micros min, Micros max) const;
    std::optional<IpAddress> address(std::size_t i) const;
    std::optional<IpPrefix> prefix(std::size_t i) const;
    std::optional<std::uint16_t> port(std::size_t i, bool allow_zero = false) const;

    template <class E>
    std::optional<E> choice(std::size_t i,
                            std::initializer_list<std::pair<std::string_view, E>> options) const {
        if (!has(i)) {
            error(i, "expected one of " + join_choices(options));
            return std::nullopt;
        }
        for (const auto& [name, value] : options)
            if (text(i) == name) return value;
        error(i, "expected one of " + join_choices(options) + ", got '" + text(i) + "'");
        return std::nullopt;
    }

  private:
    template <class E>
    static std::string join_choices(std::initializer_list<std::pair<std::string_view, E>> o) {
        std::string s;
        for (const auto& [name, v] : o) s += (s.empty() ? "" : "|") + std::string(name);
        return s;
    }
    const Node& node_;
    Diagnostics& diags_;
};

// Parses a decimal seconds value with up to 6 fractional digits ("2.71828", "3", "0.001").
std::optional<Micros> parse_seconds(std::string_view text);
std::optional<bool> parse_bool(std::string_view text);

// A script command line as keepalived splits it: whitespace separates words, single and
// double quotes group (and are removed), backslash escapes the next character.
std::vector<std::string> split_command(std::string_view command);

}  // namespace vigil::config
