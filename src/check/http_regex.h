// HTTP_GET's `regex` (PCRE2, as keepalived): a compiled pattern with the url block's
// regex_options, regex_stack and offsets, and a scanner that searches a body as it streams in,
// keeping only a bounded window (a partial match at a buffer's end, plus the pattern's
// lookbehind), so that a page of any size is searched in constant memory.
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "config/model_lvs.h"

namespace vigil::check {

class HttpRegex {
  public:
    // Compiles url.regex with url.regex_options (keepalived's names of PCRE2 compile options;
    // an unknown name is an error), JIT-compiled when PCRE2 can, with a JIT stack of
    // regex_stack's sizes when given.
    static Result<std::shared_ptr<const HttpRegex>> compile(const config::HttpUrl& url);

    HttpRegex(const HttpRegex&) = delete;
    HttpRegex& operator=(const HttpRegex&) = delete;
    ~HttpRegex();

    const pcre2_code* code() const { return code_; }
    pcre2_match_context* match_context() const { return mcontext_; }
    std::size_t max_lookbehind() const { return max_lookbehind_; }
    std::size_t min_offset() const { return min_offset_; }
    std::optional<std::size_t> max_offset() const { return max_offset_; }
    const std::string& pattern() const { return pattern_; }

  private:
    HttpRegex() = default;
    std::string pattern_;
    pcre2_code* code_ = nullptr;
    pcre2_match_context* mcontext_ = nullptr;
    pcre2_jit_stack* jit_stack_ = nullptr;
    std::size_t max_lookbehind_ = 0;
    std::size_t min_offset_ = 0;
    std::optional<std::size_t> max_offset_;
};

// Searches one body for the pattern. A match must start at or after min_offset and at or
// before max_offset (body offsets). A partial match longer than the window (64 KiB) is
// abandoned, as keepalived abandons one longer than its 4 KiB buffer.
class RegexScan {
  public:
    static constexpr std::size_t max_window = std::size_t{64} * 1024;

    explicit RegexScan(std::shared_ptr<const HttpRegex> re);
    RegexScan(const RegexScan&) = delete;
    RegexScan& operator=(const RegexScan&) = delete;
    ~RegexScan();

    void feed(std::string_view bytes);
    // The body ended: resolves a partial match pending at the end.
    void finish();
    bool matched() const { return matched_; }

  private:
    enum class Step : std::uint8_t { matched, partial, none, beyond };
    Step match_window(bool partial);
    void keep_tail(std::size_t keep);

    std::shared_ptr<const HttpRegex> re_;
    pcre2_match_data* match_data_ = nullptr;
    std::string window_;
    std::size_t window_offset_ = 0;  // body offset of window_[0]
    std::size_t start_ = 0;          // where in window_ the next search starts
    bool matched_ = false;
    bool over_ = false;  // matched, or nothing more can match
};

}  // namespace vigil::check
