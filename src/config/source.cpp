#include "config/source.h"

#include <fmt/format.h>

namespace vigil::config {

SourceFiles::SourceFiles() {
    files_.push_back({"<none>", {}});
}

std::uint32_t SourceFiles::add(std::string path, std::vector<std::string> lines) {
    files_.push_back({std::move(path), std::move(lines)});
    return static_cast<std::uint32_t>(files_.size() - 1);
}

const std::string& SourceFiles::path(std::uint32_t file) const {
    return file < files_.size() ? files_[file].path : files_[0].path;
}

std::string_view SourceFiles::line(std::uint32_t file, std::uint32_t line) const {
    if (file >= files_.size() || line == 0) return {};
    const auto& lines = files_[file].lines;
    return line <= lines.size() ? std::string_view(lines[line - 1]) : std::string_view{};
}

void Diagnostics::error(SourceLoc loc, std::string message) {
    ++errors_;
    if (items_.size() >= max_kept) {
        ++dropped_;
        return;
    }
    items_.push_back({Severity::error, loc, std::move(message)});
}

void Diagnostics::warning(SourceLoc loc, std::string message) {
    if (items_.size() >= max_kept) {
        ++dropped_;
        return;
    }
    items_.push_back({Severity::warning, loc, std::move(message)});
}

namespace {

// Control characters and invalid bytes in a quoted line would garble a terminal.
std::string printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(c == '\t' ? ' ' : (u < 0x20 || u == 0x7F ? '?' : c));
    }
    return out;
}

}  // namespace

std::string render(const Diagnostic& d, const SourceFiles& files) {
    const char* sev = d.severity == Severity::error ? "error" : "warning";
    std::string out;
    if (d.loc.file == 0) {
        out = fmt::format("{}: {}\n", sev, d.message);
        return out;
    }
    out = fmt::format("{}:{}:{}: {}: {}\n", files.path(d.loc.file), d.loc.line, d.loc.col, sev,
                      d.message);
    const auto text = files.line(d.loc.file, d.loc.line);
    if (!text.empty()) {
        constexpr std::size_t max_quote = 200;
        std::size_t start = 0;
        std::size_t caret = d.loc.col > 0 ? d.loc.col - 1 : 0;
        if (caret > max_quote / 2 && text.size() > max_quote) start = caret - max_quote / 2;
        out += "  " + printable(text.substr(start, max_quote)) + "\n";
        out += "  " + std::string(caret - start, ' ') + "^\n";
    }
    return out;
}

std::string Diagnostics::render(const SourceFiles& files) const {
    std::string out;
    for (const auto& d : items_) out += config::render(d, files);
    if (dropped_ != 0) out += fmt::format("... and {} more diagnostics not shown\n", dropped_);
    return out;
}

}  // namespace vigil::config
