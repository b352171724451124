#include "config/file_source.h"

#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

namespace vigil::config {

std::optional<std::string> RealFileSource::read(const std::string& path, std::string& error) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
        error = "not a regular file";
        return std::nullopt;
    }
    if (static_cast<std::size_t>(st.st_size) > max_file_size) {
        error = "file too large";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    std::string content;
    content.resize(static_cast<std::size_t>(st.st_size));
    in.read(content.data(), static_cast<std::streamsize>(content.size()));
    content.resize(static_cast<std::size_t>(in.gcount()));
    return content;
}

std::vector<std::string> RealFileSource::glob(const std::string& pattern) {
    glob_t g{};
    std::vector<std::string> out;
    if (::glob(pattern.c_str(), 0, nullptr, &g) == 0) {
        for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
    }
    ::globfree(&g);
    return out;
}

std::string RealFileSource::canonical(const std::string& path) {
    std::unique_ptr<char, decltype(&::free)> resolved(::realpath(path.c_str(), nullptr), ::free);
    return resolved ? std::string(resolved.get()) : path;
}

namespace {
std::string normal(const std::string& path) {
    return std::filesystem::path(path).lexically_normal().string();
}
}  // namespace

std::optional<std::string> MemoryFileSource::read(const std::string& path, std::string& error) {
    const auto it = files_.find(normal(path));
    if (it == files_.end()) {
        error = "No such file or directory";
        return std::nullopt;
    }
    return it->second;
}

std::vector<std::string> MemoryFileSource::glob(const std::string& pattern) {
    std::vector<std::string> out;
    for (const auto& [path, content] : files_)
        if (::fnmatch(normal(pattern).c_str(), path.c_str(), FNM_PATHNAME) == 0)
            out.push_back(path);
    return out;
}

std::string MemoryFileSource::canonical(const std::string& path) {
    return normal(path);
}

namespace {

// Finds the '}' matching the '{' at `open`, or npos.
std::size_t matching_brace(const std::string& s, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < s.size(); ++i) {
        if (s[i] == '{') ++depth;
        if (s[i] == '}' && --depth == 0) return i;
    }
    return std::string::npos;
}

void expand_into(const std::string& pattern, std::vector<std::string>& out, std::size_t limit) {
    const auto open = pattern.find('{');
    const auto close = open == std::string::npos ? open : matching_brace(pattern, open);
    if (close == std::string::npos) {
        if (out.size() < limit) out.push_back(pattern);
        return;
    }
    const std::string prefix = pattern.substr(0, open);
    const std::string suffix = pattern.substr(close + 1);
    std::size_t start = open + 1;
    int depth = 0;
    for (std::size_t i = open + 1; i <= close && out.size() < limit; ++i) {
        const char c = pattern[i];
        if (c == '{') ++depth;
        if (c == '}' && depth > 0 && i != close) --depth;
        if ((c == ',' && depth == 0) || i == close) {
            std::string alternative = prefix;
            alternative.append(pattern, start, i - start).append(suffix);
            expand_into(alternative, out, limit);
            start = i + 1;
        }
    }
}

}  // namespace

std::vector<std::string> expand_braces(const std::string& pattern, std::size_t limit) {
    std::vector<std::string> out;
    expand_into(pattern, out, limit);
    return out;
}

std::string join_path(const std::string& dir, const std::string& path) {
    if (path.empty() || path[0] == '/' || dir.empty()) return path;
    return dir.back() == '/' ? dir + path : dir + "/" + path;
}

std::string dir_name(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

}  // namespace vigil::config
