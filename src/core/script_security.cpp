#include "core/script_security.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>

namespace vigil::core {

std::string resolve_program(const std::string& program, const std::string& path) {
    if (program.empty()) return {};
    if (program.find('/') != std::string::npos)
        return ::access(program.c_str(), X_OK) == 0 ? program : std::string{};
    std::size_t start = 0;
    while (start <= path.size()) {
        auto colon = path.find(':', start);
        if (colon == std::string::npos) colon = path.size();
        std::string dir = path.substr(start, colon - start);
        if (dir.empty()) dir = ".";  // an empty PATH element is the working directory
        std::string candidate = std::move(dir);
        candidate.append("/").append(program);
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        start = colon + 1;
    }
    return {};
}

namespace {

// Checks one path element; returns an empty string when it is safe.
std::string check_element(const std::string& p, bool follow) {
    struct stat st {};
    if ((follow ? ::stat(p.c_str(), &st) : ::lstat(p.c_str(), &st)) != 0)
        return fmt::format("cannot stat {}: {}", p, strerror(errno));
    if (S_ISLNK(st.st_mode)) return {};  // a symlink's own mode is meaningless
    if (st.st_uid != 0) return fmt::format("{} is owned by uid {}, not root", p, st.st_uid);
    const bool sticky_dir = S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) != 0;
    if ((st.st_mode & S_IWGRP) != 0 && st.st_gid != 0 && !sticky_dir)
        return fmt::format("{} is writable by group {}", p, st.st_gid);
    if ((st.st_mode & S_IWOTH) != 0 && !sticky_dir)
        return fmt::format("{} is writable by everyone", p);
    return {};
}

std::string check_path_and_parents(const std::string& absolute, bool follow) {
    std::string p = absolute;
    for (;;) {
        if (auto bad = check_element(p, follow); !bad.empty()) return bad;
        if (p == "/") return {};
        const auto slash = p.rfind('/');
        p = slash == 0 ? "/" : p.substr(0, slash);
    }
}

}  // namespace

ScriptPathVerdict check_script_security(const std::string& program, const std::string& path) {
    ScriptPathVerdict v;
    std::string found = resolve_program(program, path);
    if (found.empty()) {
        v.reason = fmt::format("script '{}' not found or not executable", program);
        return v;
    }
    if (found[0] != '/') {
        char cwd[PATH_MAX];
        if (::getcwd(cwd, sizeof cwd) == nullptr) {
            v.reason = "cannot determine the working directory";
            return v;
        }
        found = std::string(cwd) + "/" + found;
    }
    v.resolved = found;
    if (auto bad = check_path_and_parents(found, false); !bad.empty()) {
        v.reason = bad;
        return v;
    }
    std::unique_ptr<char, decltype(&::free)> real(::realpath(found.c_str(), nullptr), ::free);
    if (!real) {
        v.reason = fmt::format("cannot resolve {}: {}", found, strerror(errno));
        return v;
    }
    if (auto bad = check_path_and_parents(real.get(), true); !bad.empty()) {
        v.reason = bad;
        return v;
    }
    v.secure = true;
    return v;
}

}  // namespace vigil::core
