#include "config/values.h"

#include <charconv>

#include <fmt/format.h>

namespace vigil::config {

SourceLoc Args::loc(std::size_t i) const {
    if (i < node_.args.size()) return node_.args[i].loc;
    const Token& last = node_.args.empty() ? node_.keyword : node_.args.back();
    SourceLoc l = last.loc;
    l.col += static_cast<std::uint32_t>(last.text.size()) + (last.quoted ? 2 : 0);
    return l;
}

void Args::error(std::size_t i, std::string message) const {
    diags_.error(loc(i), fmt::format("{}: {}", node_.keyword.text, message));
}

void Args::warning(std::size_t i, std::string message) const {
    diags_.warning(loc(i), fmt::format("{}: {}", node_.keyword.text, message));
}

bool Args::count(std::size_t min, std::size_t max, std::string_view usage) const {
    if (size() < min) {
        error(size(), fmt::format("missing argument; expected '{}'", usage));
        return false;
    }
    if (size() > max) {
        // keepalived ignores surplus words; so does vigil, but it says so.
        warning(max,
                fmt::format("unexpected argument '{}' ignored; expected '{}'", text(max), usage));
    }
    return true;
}

std::optional<std::string> Args::string(std::size_t i) const {
    if (!has(i)) {
        error(i, "missing argument; expected a string");
        return std::nullopt;
    }
    return text(i);
}

std::optional<std::int64_t> Args::integer(std::size_t i, std::int64_t min, std::int64_t max) const {
    const std::string range = fmt::format("an integer in [{}, {}]", min, max);
    if (!has(i)) {
        error(i, "missing argument; expected " + range);
        return std::nullopt;
    }
    const std::string& t = text(i);
    std::int64_t v = 0;
    const char* b = t.data();
    if (!t.empty() && t[0] == '+') ++b;
    const auto [p, ec] = std::from_chars(b, t.data() + t.size(), v);
    if (t.empty() || ec != std::errc{} || p != t.data() + t.size()) {
        error(i, fmt::format("expected {}, got '{}'", range, t));
        return std::nullopt;
    }
    if (v < min || v > max) {
        error(i, fmt::format("{} is out of range; expected {}", t, range));
        return std::nullopt;
    }
    return v;
}

std::optional<std::uint64_t> Args::unsigned_any_base(std::size_t i, std::uint64_t max) const {
    if (!has(i)) {
        error(i, fmt::format("missing argument; expected a number up to {}", max));
        return std::nullopt;
    }
    std::string_view t = text(i);
    int base = 10;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
        base = 16;
        t.remove_prefix(2);
    } else if (t.size() > 1 && t[0] == '0') {
        base = 8;
        t.remove_prefix(1);
    }
    std::uint64_t v = 0;
    const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v, base);
    if (t.empty() || ec != std::errc{} || p != t.data() + t.size() || v > max) {
        error(i, fmt::format("expected a number (decimal, 0x hex or 0 octal) up to {}, got '{}'",
                             max, text(i)));
        return std::nullopt;
    }
    return v;
}

std::optional<bool> parse_bool(std::string_view t) {
    if (t == "on" || t == "true" || t == "yes") return true;
    if (t == "off" || t == "false" || t == "no") return false;
    return std::nullopt;
}

std::optional<bool> Args::boolean(std::size_t i, bool if_missing) const {
    if (!has(i)) return if_missing;
    if (auto b = parse_bool(text(i))) return b;
    error(i, fmt::format("expected on|off|true|false|yes|no, got '{}'", text(i)));
    return std::nullopt;
}

std::optional<Micros> parse_seconds(std::string_view t) {
    if (t.empty()) return std::nullopt;
    const auto dot = t.find('.');
    const auto whole = t.substr(0, dot);
    std::int64_t secs = 0;
    if (!whole.empty()) {
        const auto [p, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), secs);
        if (ec != std::errc{} || p != whole.data() + whole.size() || secs < 0 ||
            secs > 1'000'000'000)
            return std::nullopt;
    }
    std::int64_t frac = 0;
    if (dot != std::string_view::npos) {
        const auto f = t.substr(dot + 1);
        if (f.empty() && whole.empty()) return std::nullopt;
        if (f.size() > 6) return std::nullopt;  // finer than the microsecond resolution
        for (const char c : f) {
            if (c < '0' || c > '9') return std::nullopt;
            frac = frac * 10 + (c - '0');
        }
        for (std::size_t k = f.size(); k < 6; ++k) frac *= 10;
    }
    return Micros(secs * 1'000'000 + frac);
}

namespace {
std::string format_seconds(Micros v) {
    const auto us = v.count();
    if (us % 1'000'000 == 0) return fmt::format("{}", us / 1'000'000);
    std::string s = fmt::format("{}.{:06}", us / 1'000'000, us % 1'000'000);
    while (s.back() == '0') s.pop_back();
    return s;
}
}  // namespace

std::optional<Micros> Args::seconds(std::size_t i, Micros min, Micros max) const {
    const std::string range =
        fmt::format("seconds in [{}, {}]", format_seconds(min), format_seconds(max));
    if (!has(i)) {
        error(i, "missing argument; expected " + range);
        return std::nullopt;
    }
    const auto v = parse_seconds(text(i));
    if (!v) {
        error(i, fmt::format("expected {} (decimal, microsecond resolution), got '{}'", range,
                             text(i)));
        return std::nullopt;
    }
    if (*v < min || *v > max) {
        error(i, fmt::format("{} is out of range; expected {}", text(i), range));
        return std::nullopt;
    }
    return v;
}

std::optional<Micros> Args::millis(std::size_t i, Micros min, Micros max) const {
    if (!has(i)) {
        error(i, "missing argument; expected milliseconds");
        return std::nullopt;
    }
    // Milliseconds with up to 3 decimals: reuse the seconds parser on a shifted scale.
    const auto v = parse_seconds(text(i));
    const Micros scaled = v ? Micros(v->count() / 1000) : Micros(0);
    if (!v || v->count() % 1000 != 0 || scaled < min || scaled > max) {
        error(i, fmt::format("expected milliseconds in [{}, {}] (microsecond resolution), got '{}'",
                             static_cast<double>(min.count()) / 1000.0,
                             static_cast<double>(max.count()) / 1000.0, text(i)));
        return std::nullopt;
    }
    return scaled;
}

std::optional<IpAddress> Args::address(std::size_t i) const {
    if (!has(i)) {
        error(i, "missing argument; expected an IPv4 or IPv6 address");
        return std::nullopt;
    }
    if (auto a = IpAddress::parse(text(i))) return a;
    error(i, fmt::format("expected an IPv4 or IPv6 address, got '{}'", text(i)));
    return std::nullopt;
}

std::optional<IpPrefix> Args::prefix(std::size_t i) const {
    if (!has(i)) {
        error(i, "missing argument; expected ADDRESS[/PREFIX]");
        return std::nullopt;
    }
    if (auto p = IpPrefix::parse(text(i))) return p;
    error(i,
          fmt::format("expected ADDRESS[/PREFIX] (IPv4 /0-32 or IPv6 /0-128), got '{}'", text(i)));
    return std::nullopt;
}

std::optional<std::uint16_t> Args::port(std::size_t i, bool allow_zero) const {
    const auto v = integer(i, allow_zero ? 0 : 1, 65535);
    if (!v) return std::nullopt;
    return static_cast<std::uint16_t>(*v);
}

std::vector<std::string> split_command(std::string_view command) {
    std::vector<std::string> out;
    std::string cur;
    bool in_word = false;
    char quote = 0;
    for (std::size_t i = 0; i < command.size(); ++i) {
        const char c = command[i];
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            } else {
                cur.push_back(c);
            }
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            in_word = true;
        } else if (c == '\\' && i + 1 < command.size()) {
            cur.push_back(command[++i]);
            in_word = true;
        } else if (c == ' ' || c == '\t') {
            if (in_word) out.push_back(std::move(cur));
            cur.clear();
            in_word = false;
        } else {
            cur.push_back(c);
            in_word = true;
        }
    }
    if (in_word) out.push_back(std::move(cur));
    return out;
}

}  // namespace vigil::config
