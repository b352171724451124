// Where the reader gets configuration files from. The real one reads the filesystem; an
// in-memory one serves tests and the fuzzer, so no input can make them touch real files.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vigil::config {

class FileSource {
  public:
    virtual ~FileSource() = default;
    // The whole file, or nullopt with `error` set (e.g. "No such file or directory").
    virtual std::optional<std::string> read(const std::string& path, std::string& error) = 0;
    // Paths matching a shell wildcard pattern (no braces), sorted.
    virtual std::vector<std::string> glob(const std::string& pattern) = 0;
    // A stable identity of the file for include cycle detection.
    virtual std::string canonical(const std::string& path) = 0;
};

class RealFileSource final : public FileSource {
  public:
    std::optional<std::string> read(const std::string& path, std::string& error) override;
    std::vector<std::string> glob(const std::string& pattern) override;
    std::string canonical(const std::string& path) override;

    // Files larger than this are refused: a configuration is text, not a disk image.
    static constexpr std::size_t max_file_size = 256U << 20U;
};

class MemoryFileSource final : public FileSource {
  public:
    void add(std::string path, std::string content) {
        files_[std::move(path)] = std::move(content);
    }
    std::optional<std::string> read(const std::string& path, std::string& error) override;
    std::vector<std::string> glob(const std::string& pattern) override;
    std::string canonical(const std::string& path) override;

  private:
    std::map<std::string, std::string> files_;
};

// Expands csh-style braces: "a{b,c{d,e}}f" -> abf, acdf, acef. Unbalanced braces are
// kept literally. The result is capped at `limit` entries.
std::vector<std::string> expand_braces(const std::string& pattern, std::size_t limit = 4096);

// Joins a relative path onto a directory; absolute paths are returned unchanged.
std::string join_path(const std::string& dir, const std::string& path);
std::string dir_name(const std::string& path);

}  // namespace vigil::config
