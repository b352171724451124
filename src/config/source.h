// Where configuration text came from, and the diagnostics that point into it.
// Every token carries a SourceLoc; a Diagnostic renders as
//   file:line:col: error: what was expected
//     <the source line>
//         ^
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::config {

struct SourceLoc {
    std::uint32_t file = 0;  // index into SourceFiles; 0 is "<none>"
    std::uint32_t line = 0;  // 1-based; 0 when unknown
    std::uint32_t col = 0;   // 1-based; 0 when unknown
    bool operator==(const SourceLoc&) const = default;
};

// The files read during one load, with their lines kept for quoting in diagnostics.
class SourceFiles {
  public:
    SourceFiles();
    std::uint32_t add(std::string path, std::vector<std::string> lines);
    const std::string& path(std::uint32_t file) const;
    // The text of a line, or empty when out of range.
    std::string_view line(std::uint32_t file, std::uint32_t line) const;
    std::size_t count() const { return files_.size() - 1; }

  private:
    struct File {
        std::string path;
        std::vector<std::string> lines;
    };
    std::vector<File> files_;
};

enum class Severity : std::uint8_t { warning, error };

struct Diagnostic {
    Severity severity = Severity::error;
    SourceLoc loc;
    std::string message;
};

class Diagnostics {
  public:
    void error(SourceLoc loc, std::string message);
    void warning(SourceLoc loc, std::string message);

    const std::vector<Diagnostic>& all() const { return items_; }
    std::size_t error_count() const { return errors_; }
    std::size_t warning_count() const { return items_.size() - errors_; }
    bool has_errors() const { return errors_ != 0; }

    // Renders every diagnostic with file:line:col, the quoted line and a caret.
    std::string render(const SourceFiles& files) const;

    // Malformed input can produce a flood of diagnostics; past this many the rest are
    // counted but not kept, so memory stays bounded.
    static constexpr std::size_t max_kept = 1000;

  private:
    std::vector<Diagnostic> items_;
    std::size_t errors_ = 0;
    std::size_t dropped_ = 0;
};

std::string render(const Diagnostic& d, const SourceFiles& files);

}  // namespace vigil::config
