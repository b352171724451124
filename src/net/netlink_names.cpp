// Names of routing tables, protocols, realms and interface groups, resolved the way iproute2
// does: "NUMBER NAME" lines in /etc/iproute2/<file> and <file>.d/*.conf. The configuration
// reader already resolved the built-in names; what reaches here is a site's own name.
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "net/netlink_internal.h"

namespace vigil::net::detail {

namespace {

std::string_view file_name(NameFile f) {
    switch (f) {
        case NameFile::rt_tables:
            return "rt_tables";
        case NameFile::rt_protos:
            return "rt_protos";
        case NameFile::rt_realms:
            return "rt_realms";
        case NameFile::group:
            return "group";
    }
    return "rt_tables";
}

std::string_view what(NameFile f) {
    switch (f) {
        case NameFile::rt_tables:
            return "routing table";
        case NameFile::rt_protos:
            return "route protocol";
        case NameFile::rt_realms:
            return "realm";
        case NameFile::group:
            return "interface group";
    }
    return "name";
}

std::optional<std::uint32_t> parse_number(std::string_view t) {
    int base = 10;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
        base = 16;
        t.remove_prefix(2);
    }
    std::uint32_t v = 0;
    const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v, base);
    if (t.empty() || ec != std::errc{} || p != t.data() + t.size()) return std::nullopt;
    return v;
}

// One file's mapping for `name`, if the file exists and names it.
std::optional<std::uint32_t> lookup_in(const std::filesystem::path& path, std::string_view name) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        const auto hash = line.find('#');
        if (hash != std::string::npos) line.resize(hash);
        std::string_view rest = line;
        const auto skip_space = [&rest] {
            while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t'))
                rest.remove_prefix(1);
        };
        const auto word = [&rest, &skip_space] {
            skip_space();
            std::size_t n = 0;
            while (n < rest.size() && rest[n] != ' ' && rest[n] != '\t') ++n;
            const std::string_view w = rest.substr(0, n);
            rest.remove_prefix(n);
            return w;
        };
        const std::string_view number = word();
        const std::string_view n = word();
        if (n == name) {
            if (auto v = parse_number(number)) return v;
        }
    }
    return std::nullopt;
}

std::vector<std::filesystem::path> files_for(NameFile f, const std::vector<std::string>& dirs) {
    std::vector<std::filesystem::path> files;
    for (const auto& dir : dirs) {
        const std::filesystem::path base = std::filesystem::path(dir) / file_name(f);
        files.push_back(base);
        std::error_code ec;
        std::vector<std::filesystem::path> extra;
        const std::filesystem::path d = base.string() + ".d";
        for (auto it = std::filesystem::directory_iterator(d, ec);
             !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
            if (it->path().extension() == ".conf") extra.push_back(it->path());
        }
        std::sort(extra.begin(), extra.end());
        files.insert(files.end(), extra.begin(), extra.end());
    }
    return files;
}

}  // namespace

std::vector<std::string> default_name_dirs() {
    return {"/etc/iproute2", "/usr/share/iproute2"};
}

Result<std::uint32_t> resolve_rt_id(const config::RtId& id, NameFile file,
                                    const std::vector<std::string>& dirs) {
    if (id.resolved()) return id.value;
    for (const auto& path : files_for(file, dirs)) {
        if (auto v = lookup_in(path, id.name)) return *v;
    }
    std::string where;
    for (const auto& dir : dirs) {
        if (!where.empty()) where += " or ";
        where += (std::filesystem::path(dir) / file_name(file)).string();
    }
    return Error{fmt::format("unknown {} '{}': not named in {}", what(file), id.name, where)};
}

Result<std::uint32_t> resolve_realms(const config::Realms& r,
                                     const std::vector<std::string>& dirs) {
    auto to = resolve_rt_id(r.to, NameFile::rt_realms, dirs);
    if (!to) return Error{to.error()};
    std::uint32_t from = 0;
    if (r.from) {
        auto f = resolve_rt_id(*r.from, NameFile::rt_realms, dirs);
        if (!f) return Error{f.error()};
        from = f.value();
    }
    if (from > 0xFFFF || to.value() > 0xFFFF)
        return Error{fmt::format("realm {}/{} out of range [0, 65535]", from, to.value())};
    return (from << 16) | to.value();
}

}  // namespace vigil::net::detail
