#include "core/credentials.h"

#include <grp.h>
#include <pwd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

namespace vigil::core {

namespace {

std::optional<unsigned> as_number(const std::string& s) {
    unsigned v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

Result<Credentials> lookup_credentials(const std::string& user, const std::string& group) {
    passwd pw{};
    passwd* found = nullptr;
    std::vector<char> buf(16384);
    int rc = 0;
    if (const auto uid = as_number(user))
        rc = ::getpwuid_r(*uid, &pw, buf.data(), buf.size(), &found);
    else
        rc = ::getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found);
    if (found == nullptr)
        return Error{fmt::format("unknown user '{}'{}", user,
                                 rc != 0 ? std::string(": ") + strerror(rc) : "")};
    Credentials c;
    c.user = pw.pw_name;
    c.uid = pw.pw_uid;
    c.gid = pw.pw_gid;
    if (!group.empty()) {
        ::group gr{};
        ::group* g = nullptr;
        std::vector<char> gbuf(16384);
        if (const auto gid = as_number(group))
            ::getgrgid_r(*gid, &gr, gbuf.data(), gbuf.size(), &g);
        else
            ::getgrnam_r(group.c_str(), &gr, gbuf.data(), gbuf.size(), &g);
        if (g == nullptr) return Error{fmt::format("unknown group '{}'", group)};
        c.gid = gr.gr_gid;
    }
    int n = 64;
    std::vector<gid_t> groups(static_cast<std::size_t>(n));
    if (::getgrouplist(c.user.c_str(), c.gid, groups.data(), &n) < 0) {
        groups.resize(static_cast<std::size_t>(n));
        ::getgrouplist(c.user.c_str(), c.gid, groups.data(), &n);
    }
    groups.resize(static_cast<std::size_t>(std::max(n, 0)));
    c.groups = std::move(groups);
    return c;
}

Result<Credentials> default_script_credentials(const std::string& script_user,
                                               const std::string& script_group) {
    if (!script_user.empty()) return lookup_credentials(script_user, script_group);
    if (auto ks = lookup_credentials("keepalived_script")) return ks;
    return lookup_credentials("0");
}

}  // namespace vigil::core
