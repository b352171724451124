#include "check/http_regex.h"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

namespace vigil::check {

namespace {

struct RegexOption {
    std::string_view name;
    std::uint32_t bit;
};

// The names keepalived.conf(5) documents for regex_options.
constexpr std::array<RegexOption, 24> regex_options{{
    {"allow_empty_class", PCRE2_ALLOW_EMPTY_CLASS},
    {"alt_bsux", PCRE2_ALT_BSUX},
    {"auto_callout", PCRE2_AUTO_CALLOUT},
    {"caseless", PCRE2_CASELESS},
    {"dollar_endonly", PCRE2_DOLLAR_ENDONLY},
    {"dotall", PCRE2_DOTALL},
    {"dupnames", PCRE2_DUPNAMES},
    {"extended", PCRE2_EXTENDED},
    {"firstline", PCRE2_FIRSTLINE},
    {"match_unset_backref", PCRE2_MATCH_UNSET_BACKREF},
    {"multiline", PCRE2_MULTILINE},
    {"never_ucp", PCRE2_NEVER_UCP},
    {"never_utf", PCRE2_NEVER_UTF},
    {"no_auto_capture", PCRE2_NO_AUTO_CAPTURE},
    {"no_auto_possess", PCRE2_NO_AUTO_POSSESS},
    {"no_dotstar_anchor", PCRE2_NO_DOTSTAR_ANCHOR},
    {"no_start_optimize", PCRE2_NO_START_OPTIMIZE},
    {"ucp", PCRE2_UCP},
    {"ungreedy", PCRE2_UNGREEDY},
    {"utf", PCRE2_UTF},
    {"never_backslash_c", PCRE2_NEVER_BACKSLASH_C},
    {"alt_circumflex", PCRE2_ALT_CIRCUMFLEX},
    {"alt_verbnames", PCRE2_ALT_VERBNAMES},
    {"use_offset_limit", PCRE2_USE_OFFSET_LIMIT},
}};

std::string pcre2_message(int code) {
    std::array<PCRE2_UCHAR, 256> buf{};
    pcre2_get_error_message(code, buf.data(), buf.size());
    return {reinterpret_cast<const char*>(buf.data())};
}

}  // namespace

Result<std::shared_ptr<const HttpRegex>> HttpRegex::compile(const config::HttpUrl& url) {
    std::uint32_t options = 0;
    for (const auto& name : url.regex_options) {
        const auto* it = std::find_if(regex_options.begin(), regex_options.end(),
                                      [&](const RegexOption& o) { return o.name == name; });
        if (it == regex_options.end())
            return Error{fmt::format("unknown regex option '{}' for {}", name, url.path)};
        options |= it->bit;
    }
    std::shared_ptr<HttpRegex> re(new HttpRegex());  // private constructor
    re->pattern_ = url.regex;
    int err = 0;
    PCRE2_SIZE err_offset = 0;
    re->code_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(url.regex.data()), url.regex.size(),
                              options, &err, &err_offset, nullptr);
    if (re->code_ == nullptr)
        return Error{fmt::format("regex '{}' for {}: {} at offset {}", url.regex, url.path,
                                 pcre2_message(err), err_offset)};
    // JIT is an optimisation: without it (no JIT support) the interpreter gives the same answers.
    (void)pcre2_jit_compile(re->code_, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD);
    std::uint32_t lookbehind = 0;
    if (pcre2_pattern_info(re->code_, PCRE2_INFO_MAXLOOKBEHIND, &lookbehind) == 0)
        re->max_lookbehind_ = lookbehind;
    if (url.regex_stack_start && url.regex_stack_max) {
        const std::size_t start = *url.regex_stack_start;
        const std::size_t max = std::max<std::size_t>(*url.regex_stack_max, start);
        re->mcontext_ = pcre2_match_context_create(nullptr);
        re->jit_stack_ = pcre2_jit_stack_create(start, max, nullptr);
        if (re->mcontext_ && re->jit_stack_)
            pcre2_jit_stack_assign(re->mcontext_, nullptr, re->jit_stack_);
    }
    re->min_offset_ = url.regex_min_offset;
    if (url.regex_max_offset) re->max_offset_ = *url.regex_max_offset;
    return std::shared_ptr<const HttpRegex>(std::move(re));
}

HttpRegex::~HttpRegex() {
    pcre2_match_context_free(mcontext_);
    pcre2_jit_stack_free(jit_stack_);
    pcre2_code_free(code_);
}

RegexScan::RegexScan(std::shared_ptr<const HttpRegex> re)
    : re_(std::move(re)), match_data_(pcre2_match_data_create_from_pattern(re_->code(), nullptr)) {}

RegexScan::~RegexScan() {
    pcre2_match_data_free(match_data_);
}

void RegexScan::keep_tail(std::size_t keep) {
    keep = std::min(keep, window_.size());
    const std::size_t drop = window_.size() - keep;
    window_.erase(0, drop);
    window_offset_ += drop;
    start_ = keep;
}

RegexScan::Step RegexScan::match_window(bool partial) {
    std::size_t start = start_;
    if (re_->min_offset() > window_offset_)
        start = std::max(start, re_->min_offset() - window_offset_);
    if (start > window_.size()) return Step::none;
    if (re_->max_offset() && window_offset_ + start > *re_->max_offset()) return Step::beyond;
    // Only the real start of the body is the start of the subject for ^ and \A.
    const std::uint32_t flags =
        (partial ? PCRE2_PARTIAL_HARD : 0U) | (window_offset_ > 0 ? PCRE2_NOTBOL : 0U);
    const int rc = pcre2_match(re_->code(), reinterpret_cast<PCRE2_SPTR>(window_.data()),
                               window_.size(), start, flags, match_data_, re_->match_context());
    if (rc == PCRE2_ERROR_PARTIAL) return Step::partial;
    if (rc < 0) return Step::none;  // no match, or a resource limit: treated as no match
    const std::size_t at = window_offset_ + pcre2_get_ovector_pointer(match_data_)[0];
    if (re_->max_offset() && at > *re_->max_offset()) return Step::beyond;
    return Step::matched;
}

void RegexScan::feed(std::string_view bytes) {
    if (over_ || bytes.empty()) return;
    window_.append(bytes);
    // Context kept before the next search start: the lookbehind, and one byte so that a
    // multiline ^ after a newline at a buffer boundary still matches.
    const std::size_t context = std::max<std::size_t>(re_->max_lookbehind(), 1);
    switch (match_window(true)) {
        case Step::matched:
            matched_ = over_ = true;
            window_.clear();
            return;
        case Step::beyond:
            over_ = true;
            window_.clear();
            return;
        case Step::partial: {
            const std::size_t at = pcre2_get_ovector_pointer(match_data_)[0];
            const std::size_t from = at > context ? at - context : 0;
            if (window_.size() - from > max_window) {
                keep_tail(context);  // abandon an overlong partial match
            } else {
                window_.erase(0, from);
                window_offset_ += from;
                start_ = at - from;
            }
            return;
        }
        case Step::none:
            keep_tail(context);
            return;
    }
}

void RegexScan::finish() {
    if (over_) return;
    over_ = true;
    if (match_window(false) == Step::matched) matched_ = true;
    window_.clear();
}

}  // namespace vigil::check
