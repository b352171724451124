#include "config/reader.h"

#include <charconv>
#include <map>
#include <random>

#include <fmt/format.h>

namespace vigil::config {
namespace {

// include_check flags (keepalived.conf(5) "include_check").
enum IncludeCheck : unsigned {
    check_readable = 1U,
    check_match = 2U,
    check_wildcard_match = 4U,
    check_brace_match = 8U,
    check_all = 15U,
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}
bool is_name_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
    return is_name_start(c) || (c >= '0' && c <= '9');
}

std::size_t skip_space(const std::string& s, std::size_t i) {
    while (i < s.size() && is_space(s[i])) ++i;
    return i;
}

std::string trim(std::string_view s) {
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && is_space(s[b])) ++b;
    while (e > b && is_space(s[e - 1])) --e;
    return std::string(s.substr(b, e - b));
}

std::vector<std::string> split_lines(const std::string& content) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= content.size()) {
        auto nl = content.find('\n', start);
        if (nl == std::string::npos) nl = content.size();
        std::string line = content.substr(start, nl - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (nl == content.size() && line.empty() && start == content.size()) break;
        lines.push_back(std::move(line));
        start = nl + 1;
    }
    return lines;
}

std::optional<long long> parse_seq_number(const std::string& text) {
    std::string t = trim(text);
    bool neg = false;
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
        neg = t[0] == '-';
        t.erase(0, 1);
    }
    int base = 10;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
        base = 16;
        t.erase(0, 2);
    }
    long long v = 0;
    const auto* end = t.data() + t.size();
    const auto [p, ec] = std::from_chars(t.data(), end, v, base);
    if (t.empty() || ec != std::errc{} || p != end) return std::nullopt;
    return neg ? -v : v;
}

class Reader {
  public:
    Reader(const ReadOptions& opts, FileSource& fs, SourceFiles& files, Diagnostics& diags)
        : opts_(opts), fs_(fs), files_(files), diags_(diags), rng_(opts.random_seed) {}

    ReadResult run(const std::string& path) {
        std::string error;
        const auto content = fs_.read(path, error);
        if (!content) {
            diags_.error({}, fmt::format("cannot read configuration file '{}': {}", path, error));
            return std::move(result_);
        }
        read_file(path, *content, 0);
        return std::move(result_);
    }

  private:
    using Segments = std::vector<OriginText>;

    struct FileFrame {
        std::string path;
        std::string canonical;
        std::string dir;
        std::vector<std::string> dir_value;  // ${_PWD}
    };

    void read_file(const std::string& path, const std::string& content, unsigned checks) {
        const std::string canonical = fs_.canonical(path);
        frames_.push_back({path, canonical, dir_name(canonical), {dir_name(canonical)}});
        const unsigned saved_checks = include_checks_;
        include_checks_ = checks;
        result_.files_read.push_back(path);

        auto lines = split_lines(content);
        const auto file_id = files_.add(path, lines);
        Segments segments;
        for (std::size_t n = 0; n < lines.size() && !stopped_; ++n) {
            OriginText t;
            t.file = file_id;
            t.text = lines[n];
            t.pos.resize(t.text.size());
            for (std::size_t c = 0; c < t.text.size(); ++c)
                t.pos[c] = {static_cast<std::uint32_t>(n + 1), static_cast<std::uint32_t>(c + 1)};
            strip_comment(t);
            // A trailing backslash continues the logical line on the next physical line.
            while (!t.text.empty() && is_space(t.text.back())) {
                t.text.pop_back();
                t.pos.pop_back();
            }
            const bool continued = !t.text.empty() && t.text.back() == '\\';
            if (continued) {
                t.text.pop_back();
                t.pos.pop_back();
            }
            segments.push_back(std::move(t));
            if (continued && n + 1 < lines.size()) continue;
            process(std::move(segments), 0);
            segments.clear();
        }
        include_checks_ = saved_checks;
        frames_.pop_back();
    }

    // One logical line: the first segment plus any continuation segments.
    void process(Segments segs, unsigned depth) {
        if (stopped_) return;
        if (depth > opts_.max_expansion_depth) {
            diags_.error(segs[0].loc_at(0),
                         fmt::format("parameter/sequence expansion nested deeper than {} levels",
                                     opts_.max_expansion_depth));
            return;
        }
        OriginText& first = segs[0];
        // Conditional configuration: "@ID rest" keeps rest only when ID is the config id,
        // "@^ID rest" only when it is not.
        for (;;) {
            const auto b = skip_space(first.text, 0);
            if (b >= first.text.size() || first.text[b] != '@') {
                first = first.substr(b);
                break;
            }
            std::size_t e = b + 1;
            const bool negate = e < first.text.size() && first.text[e] == '^';
            if (negate) ++e;
            const std::size_t id_start = e;
            while (e < first.text.size() && !is_space(first.text[e])) ++e;
            const std::string id = first.text.substr(id_start, e - id_start);
            if ((id == opts_.config_id) == negate) return;
            first = first.substr(e);
        }
        if (try_definition(segs)) return;

        OriginText line = std::move(segs[0]);
        for (std::size_t i = 1; i < segs.size(); ++i) {
            line.append(" ", segs[i].pos.empty() ? OriginText::Pos{} : segs[i].pos.front());
            line.append(segs[i]);
        }
        if (line.text.empty()) return;
        if (line.text.starts_with("~SEQ") || line.text.starts_with("~LST")) {
            expand_repetition(line, depth);
            return;
        }
        substitute_and_emit(line, depth);
    }

    // "$NAME=value" (value may continue over several lines) defines a parameter.
    bool try_definition(Segments& segs) {
        const std::string& t = segs[0].text;
        if (t.size() < 3 || t[0] != '$' || !is_name_start(t[1])) return false;
        std::size_t e = 1;
        while (e < t.size() && is_name_char(t[e])) ++e;
        if (e >= t.size() || t[e] != '=') return false;
        const std::string name = t.substr(1, e - 1);
        std::vector<std::string> value;
        const std::string head = trim(t.substr(e + 1));
        if (!head.empty() || segs.size() == 1) value.push_back(head);
        for (std::size_t i = 1; i < segs.size(); ++i) value.push_back(segs[i].text);
        params_[name] = std::move(value);
        return true;
    }

    // A parameter reference at s[i] ('$'): returns its name, arguments (for ${_RANDOM a b})
    // and the end index, or false when there is no well-formed reference here.
    static bool parse_reference(const std::string& s, std::size_t i, std::string& name,
                                std::string& args, std::size_t& end) {
        if (i + 1 >= s.size()) return false;
        if (s[i + 1] == '{') {
            const auto close = s.find('}', i + 2);
            if (close == std::string::npos) return false;
            const std::string inner = s.substr(i + 2, close - i - 2);
            const auto sp = inner.find(' ');
            name = inner.substr(0, sp);
            args = sp == std::string::npos ? "" : inner.substr(sp + 1);
            end = close + 1;
            if (name.empty() || !is_name_start(name[0])) return false;
            for (const char c : name)
                if (!is_name_char(c)) return false;
            return true;
        }
        if (!is_name_start(s[i + 1])) return false;
        std::size_t e = i + 1;
        while (e < s.size() && is_name_char(s[e])) ++e;
        // "$NAME" must be followed by whitespace or end of line (keepalived.conf(5)).
        if (e < s.size() && !is_space(s[e])) return false;
        name = s.substr(i + 1, e - i - 1);
        args.clear();
        end = e;
        return true;
    }

    // The value of a parameter, or null when undefined. The pointer stays valid while the
    // caller expands it: values are not redefined during an expansion, and the one scratch
    // value (${_RANDOM}) holds only digits, which expand to nothing further.
    const std::vector<std::string>* lookup(const std::string& name, const std::string& args) {
        if (name == "_PWD") return &frames_.back().dir_value;
        if (name == "_INSTANCE") return &instance_value_;
        if (name == "_HASH") return &hash_value_;
        if (name == "_BANG") return &bang_value_;
        if (name == "_RANDOM") {
            long long lo = 0;
            long long hi = 32767;
            std::size_t n = 0;
            for (std::size_t p = 0; p < args.size();) {
                p = skip_space(args, p);
                auto q = p;
                while (q < args.size() && !is_space(args[q])) ++q;
                if (q == p) break;
                const auto v = parse_seq_number(args.substr(p, q - p));
                if (v && *v >= 0) (n++ == 0 ? lo : hi) = *v;
                p = q;
            }
            if (hi < lo) std::swap(lo, hi);
            std::uniform_int_distribution<long long> dist(lo, hi);
            random_value_ = {std::to_string(dist(rng_))};
            return &random_value_;
        }
        const auto it = params_.find(name);
        return it == params_.end() ? nullptr : &it->second;
    }

    // Appends `text` to `out` with every parameter reference replaced by its value, values
    // expanded recursively (late binding). A multi-line value is copied unexpanded, its lines
    // separated by '\n': its lines are processed one by one later, so definitions inside it
    // take effect before the lines after them use them. Cost is linear in the output.
    bool expand_into(const std::string& text, const std::vector<OriginText::Pos>* pos,
                     OriginText::Pos at, unsigned nesting, OriginText& out, bool& multiline) {
        for (std::size_t i = 0; i < text.size();) {
            const OriginText::Pos here = pos != nullptr ? (*pos)[i] : at;
            std::string name;
            std::string args;
            std::size_t end = 0;
            if (text[i] != '$' || !parse_reference(text, i, name, args, end)) {
                out.text.push_back(text[i]);
                out.pos.push_back(here);
                ++i;
                continue;
            }
            const auto value = lookup(name, args);
            if (!value) {  // undefined parameters stay as written
                for (; i < end; ++i) {
                    out.text.push_back(text[i]);
                    out.pos.push_back(pos != nullptr ? (*pos)[i] : at);
                }
                continue;
            }
            if (nesting >= 32 || out.text.size() > opts_.max_line_length) {
                diags_.error({out.file, here.line, here.col},
                             fmt::format("expansion of parameter '{}' does not terminate or is "
                                         "longer than {} bytes",
                                         name, opts_.max_line_length));
                return false;
            }
            if (value->size() > 1) {
                multiline = true;
                for (std::size_t k = 0; k < value->size(); ++k) {
                    if (k > 0) out.append("\n", here);
                    out.append((*value)[k], here);
                }
            } else if (!expand_into(value->front(), nullptr, here, nesting + 1, out, multiline)) {
                return false;
            }
            i = end;
        }
        return true;
    }

    void substitute_and_emit(const OriginText& line, unsigned depth) {
        if (line.text.find('$') == std::string::npos) {
            emit(line);
            return;
        }
        OriginText out;
        out.file = line.file;
        bool multiline = false;
        if (!expand_into(line.text, &line.pos, {}, 0, out, multiline)) return;
        // Everything defined has been substituted, recursively: unless the result is one
        // that processing acts on (a conditional, a definition, a repetition) or holds
        // several lines, it is final.
        const auto first = skip_space(out.text, 0);
        const bool special =
            first < out.text.size() &&
            (out.text[first] == '@' || out.text[first] == '$' || out.text[first] == '~');
        if (!multiline && !special) {
            emit(out);
            return;
        }
        if (out.text == line.text) {
            emit(line);
            return;
        }
        // The result may be a conditional, a definition or a sequence: process it again,
        // line by line when a multi-line value was inserted.
        std::size_t start = 0;
        while (start <= out.text.size()) {
            auto nl = multiline ? out.text.find('\n', start) : std::string::npos;
            if (nl == std::string::npos) nl = out.text.size();
            process({out.substr(start, nl - start)}, depth + 1);
            start = nl + 1;
        }
    }

    // ~SEQ(var, [start,] [step,] end) rest / ~SEQx(...) / ~LST(var|{v1,v2}, val|{..}, ...)
    void expand_repetition(const OriginText& line, unsigned depth) {
        const bool lst = line.text.starts_with("~LST");
        const bool hex = !lst && line.text.starts_with("~SEQx");
        const std::size_t open = line.text.find('(');
        const std::size_t head_len = lst ? 4 : (hex ? 5 : 4);
        if (open != head_len) {
            diags_.error(line.loc_at(0), "expected '(' after ~SEQ/~SEQx/~LST");
            return;
        }
        int braces = 0;
        std::size_t close = std::string::npos;
        for (std::size_t i = open + 1; i < line.text.size(); ++i) {
            const char c = line.text[i];
            if (c == '{') ++braces;
            if (c == '}') --braces;
            if (c == ')' && braces == 0) {
                close = i;
                break;
            }
        }
        if (close == std::string::npos) {
            diags_.error(line.loc_at(open), "expected ')' to close the sequence specification");
            return;
        }
        // The specification itself may use parameters.
        std::string spec = line.text.substr(open + 1, close - open - 1);
        spec = substitute_plain(spec);
        const OriginText rest = line.substr(close + 1);
        const SourceLoc loc = line.loc_at(0);

        std::vector<std::string> parts;
        {
            int d = 0;
            std::string cur;
            for (const char c : spec) {
                if (c == '{') ++d;
                if (c == '}') --d;
                if (c == ',' && d == 0) {
                    parts.push_back(trim(cur));
                    cur.clear();
                } else {
                    cur.push_back(c);
                }
            }
            parts.push_back(trim(cur));
        }
        if (lst) {
            expand_list(parts, rest, loc, depth);
            return;
        }
        if (parts.size() < 2 || parts.size() > 4 || parts[0].empty()) {
            diags_.error(loc, "expected ~SEQ(var, [start,] [step,] end)");
            return;
        }
        std::vector<long long> nums;
        for (std::size_t k = 1; k < parts.size(); ++k) {
            const auto v = parse_seq_number(parts[k]);
            if (!v) {
                diags_.error(loc, fmt::format("expected a number in ~SEQ, got '{}'", parts[k]));
                return;
            }
            nums.push_back(*v);
        }
        long long end = nums.back();
        long long start = nums.size() >= 2 ? nums[0] : (end >= 0 ? 1 : -1);
        long long step = nums.size() == 3 ? nums[1] : (end >= start ? 1 : -1);
        if (step == 0) {
            diags_.error(loc, "~SEQ step must not be 0");
            return;
        }
        for (long long v = start; step > 0 ? v <= end : v >= end; v += step) {
            if (stopped_) return;
            params_[parts[0]] = {hex ? fmt::format("{:x}", v) : std::to_string(v)};
            process({rest}, depth + 1);
        }
    }

    void expand_list(const std::vector<std::string>& parts, const OriginText& rest, SourceLoc loc,
                     unsigned depth) {
        if (parts.size() < 2 || parts[0].empty()) {
            diags_.error(loc, "expected ~LST(var, value, ...)");
            return;
        }
        const auto unbrace = [](const std::string& s) {
            std::vector<std::string> out;
            if (s.size() >= 2 && s.front() == '{' && s.back() == '}') {
                std::string cur;
                for (const char c : s.substr(1, s.size() - 2)) {
                    if (c == ',') {
                        out.push_back(trim(cur));
                        cur.clear();
                    } else {
                        cur.push_back(c);
                    }
                }
                out.push_back(trim(cur));
            } else {
                out.push_back(s);
            }
            return out;
        };
        const auto vars = unbrace(parts[0]);
        for (std::size_t k = 1; k < parts.size(); ++k) {
            if (stopped_) return;
            const auto values = unbrace(parts[k]);
            if (values.size() != vars.size()) {
                diags_.error(loc, fmt::format("~LST value '{}' has {} elements, expected {}",
                                              parts[k], values.size(), vars.size()));
                return;
            }
            for (std::size_t v = 0; v < vars.size(); ++v) params_[vars[v]] = {values[v]};
            process({rest}, depth + 1);
        }
    }

    // Substitution inside a ~SEQ/~LST specification: the same expansion as for lines.
    std::string substitute_plain(const std::string& s) {
        OriginText out;
        bool multiline = false;
        expand_into(s, nullptr, {}, 0, out, multiline);
        return out.text;
    }

    static bool is_include_line(const std::string& text) {
        const auto b = skip_space(text, 0);
        if (text.compare(b, 7, "include") != 0) return false;
        const auto e = text.find_first_of(" \t", b);
        const std::string word = text.substr(b, e == std::string::npos ? e : e - b);
        return word == "include" || word == "includer" || word == "includem" ||
               word == "includew" || word == "includeb" || word == "includea";
    }

    void emit(const OriginText& line) {
        // Include patterns may hold csh braces, which are not block delimiters there.
        TokenLine toks = tokenize(line, diags_, !is_include_line(line.text));
        if (toks.empty()) return;
        const std::string& kw = toks[0].text;
        if (toks[0].kind == TokenKind::word && !toks[0].quoted && kw.starts_with("include")) {
            static constexpr std::pair<std::string_view, unsigned> variants[] = {
                {"include", 0U},
                {"includer", check_readable},
                {"includem", check_match},
                {"includew", check_wildcard_match},
                {"includeb", check_brace_match},
                {"includea", check_all},
            };
            for (const auto& [name, checks] : variants) {
                if (kw == name) {
                    include(toks, checks);
                    return;
                }
            }
            if (kw == "include_check") update_include_check(toks);
        }
        if (kw == "random_seed" && toks.size() >= 2) {
            if (const auto v = parse_seq_number(toks[1].text); v && *v >= 0)
                rng_.seed(static_cast<std::uint64_t>(*v));
        }
        // What the line will hold in memory, tokens and their text.
        for (const auto& t : toks) token_bytes_ += sizeof(Token) + t.text.capacity();
        token_bytes_ += sizeof(TokenLine);
        if (++emitted_ > opts_.max_lines || token_bytes_ > opts_.max_token_bytes) {
            diags_.error(toks[0].loc,
                         fmt::format("configuration expands to more than {} lines or {} MiB; "
                                     "refusing to read further",
                                     opts_.max_lines, opts_.max_token_bytes >> 20U));
            stopped_ = true;
            return;
        }
        result_.lines.push_back(std::move(toks));
    }

    void update_include_check(const TokenLine& toks) {
        if (toks.size() == 1) {
            include_checks_ = check_all;
            return;
        }
        for (std::size_t i = 1; i < toks.size(); ++i) {
            std::string word = toks[i].text;
            int mode = 0;  // 0 set, 1 add, -1 remove
            if (!word.empty() && (word[0] == '+' || word[0] == '-')) {
                mode = word[0] == '+' ? 1 : -1;
                word.erase(0, 1);
            }
            unsigned bit = 0;
            if (word == "readable")
                bit = check_readable;
            else if (word == "match")
                bit = check_match | check_readable;
            else if (word == "wildcard_match")
                bit = check_wildcard_match | check_readable;
            else if (word == "brace_match")
                bit = check_brace_match | check_readable;
            else {
                diags_.error(toks[i].loc,
                             fmt::format("unknown include_check option '{}': expected readable, "
                                         "match, wildcard_match or brace_match",
                                         toks[i].text));
                continue;
            }
            if (mode < 0)
                include_checks_ &= ~bit;
            else
                include_checks_ |= bit;
        }
    }

    void include(const TokenLine& toks, unsigned variant_checks) {
        if (toks.size() < 2) {
            diags_.error(toks[0].loc, "expected a file name or pattern after " + toks[0].text);
            return;
        }
        if (toks.size() > 2)
            diags_.warning(toks[2].loc, "extra words after the include file name are ignored");
        const Token& pat = toks[1];
        const unsigned checks = include_checks_ | variant_checks |
                                (opts_.all_includes_required ? unsigned{check_all} : 0U);
        const auto report = [&](bool is_error, const std::string& msg) {
            if (is_error)
                diags_.error(pat.loc, msg);
            else
                diags_.warning(pat.loc, msg);
        };
        if (frames_.size() >= opts_.max_include_depth) {
            diags_.error(pat.loc, fmt::format("includes nested deeper than {} levels",
                                              opts_.max_include_depth));
            return;
        }
        const std::string pattern = join_path(frames_.back().dir, pat.text);
        const auto alternatives = expand_braces(pattern);
        std::vector<std::string> matches;
        for (const auto& alt : alternatives) {
            const bool wildcard = alt.find_first_of("*?[") != std::string::npos;
            auto found = fs_.glob(alt);
            if (found.empty()) {
                if (alternatives.size() > 1) {
                    report((checks & check_brace_match) != 0,
                           fmt::format("include: no file matches '{}'", alt));
                } else if (wildcard) {
                    report((checks & check_wildcard_match) != 0,
                           fmt::format("include: no file matches '{}'", alt));
                } else {
                    report((checks & check_match) != 0,
                           fmt::format("include: no such file '{}'", alt));
                }
            }
            matches.insert(matches.end(), found.begin(), found.end());
        }
        for (const auto& file : matches) {
            const std::string canon = fs_.canonical(file);
            bool cycle = false;
            for (const auto& f : frames_) cycle = cycle || f.canonical == canon;
            if (cycle) {
                diags_.error(pat.loc,
                             fmt::format("include cycle: '{}' is already being read", file));
                continue;
            }
            std::string error;
            const auto content = fs_.read(file, error);
            if (!content) {
                report((checks & check_readable) != 0,
                       fmt::format("include: cannot read '{}': {}", file, error));
                continue;
            }
            read_file(file, *content, include_checks_);
            if (stopped_) return;
        }
    }

    const ReadOptions& opts_;
    FileSource& fs_;
    SourceFiles& files_;
    Diagnostics& diags_;
    std::mt19937_64 rng_;
    std::map<std::string, std::vector<std::string>, std::less<>> params_;
    std::vector<FileFrame> frames_;
    const std::vector<std::string> instance_value_{opts_.config_id};
    const std::vector<std::string> hash_value_{"#"};
    const std::vector<std::string> bang_value_{"!"};
    std::vector<std::string> random_value_;
    unsigned include_checks_ = 0;
    std::size_t emitted_ = 0;
    std::size_t token_bytes_ = 0;
    bool stopped_ = false;
    ReadResult result_;
};

}  // namespace

ReadResult read_config(const std::string& path, const ReadOptions& opts, FileSource& fs,
                       SourceFiles& files, Diagnostics& diags) {
    Reader reader(opts, fs, files, diags);
    return reader.run(path);
}

}  // namespace vigil::config
