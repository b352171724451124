#include "config/lexer.h"

#include <cctype>

namespace vigil::config {

SourceLoc OriginText::loc_at(std::size_t i) const {
    if (pos.empty()) return {file, 0, 0};
    const auto& p = i < pos.size() ? pos[i] : pos.back();
    return {file, p.line, i < pos.size() ? p.col : p.col + 1};
}

OriginText OriginText::substr(std::size_t from, std::size_t n) const {
    OriginText r;
    r.file = file;
    if (from >= text.size()) return r;
    const std::size_t len = std::min(n, text.size() - from);
    r.text = text.substr(from, len);
    r.pos.assign(pos.begin() + static_cast<std::ptrdiff_t>(from),
                 pos.begin() + static_cast<std::ptrdiff_t>(from + len));
    return r;
}

void OriginText::append(const OriginText& other) {
    text += other.text;
    pos.insert(pos.end(), other.pos.begin(), other.pos.end());
}

void OriginText::append(std::string_view s, Pos p) {
    text += s;
    pos.insert(pos.end(), s.size(), p);
}

void strip_comment(OriginText& line) {
    char quote = 0;
    for (std::size_t i = 0; i < line.text.size(); ++i) {
        const char c = line.text[i];
        if (quote != 0) {
            if (c == '\\') {
                ++i;
            } else if (c == quote) {
                quote = 0;
            }
            continue;
        }
        if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#' || c == '!') {
            line.text.resize(i);
            line.pos.resize(i);
            return;
        }
    }
}

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Resolves one escape sequence starting after the backslash at text[i]; returns the
// index of the last character consumed.
std::size_t resolve_escape(const std::string& text, std::size_t i, std::string& out) {
    if (i >= text.size()) {
        out.push_back('\\');
        return i - 1;
    }
    const char c = text[i];
    switch (c) {
        case 'a':
            out.push_back('\a');
            return i;
        case 'b':
            out.push_back('\b');
            return i;
        case 'E':
            out.push_back('\x1b');
            return i;
        case 'f':
            out.push_back('\f');
            return i;
        case 'n':
            out.push_back('\n');
            return i;
        case 'r':
            out.push_back('\r');
            return i;
        case 't':
            out.push_back('\t');
            return i;
        case 'v':
            out.push_back('\v');
            return i;
        case 'c':
            if (i + 1 < text.size()) {
                out.push_back(static_cast<char>(text[i + 1] & 0x1F));
                return i + 1;
            }
            out.push_back('c');
            return i;
        case 'x': {
            unsigned v = 0;
            std::size_t j = i + 1;
            while (j < text.size() && hex_value(text[j]) >= 0) {
                v = (v << 4) | static_cast<unsigned>(hex_value(text[j]));
                ++j;
            }
            if (j == i + 1) {
                out.push_back('x');
                return i;
            }
            out.push_back(static_cast<char>(v & 0xFFU));
            return j - 1;
        }
        default:
            break;
    }
    if (c >= '0' && c <= '7') {
        unsigned v = 0;
        std::size_t j = i;
        while (j < text.size() && j < i + 3 && text[j] >= '0' && text[j] <= '7') {
            v = v * 8 + static_cast<unsigned>(text[j] - '0');
            ++j;
        }
        out.push_back(static_cast<char>(v & 0xFFU));
        return j - 1;
    }
    out.push_back(c);
    return i;
}

}  // namespace

TokenLine tokenize(const OriginText& line, Diagnostics& diags, bool split_braces) {
    TokenLine out;
    const std::string& s = line.text;
    std::size_t i = 0;
    while (i < s.size()) {
        if (is_space(s[i])) {
            ++i;
            continue;
        }
        if (split_braces && (s[i] == '{' || s[i] == '}')) {
            out.push_back({s[i] == '{' ? TokenKind::open_brace : TokenKind::close_brace,
                           std::string(1, s[i]), line.loc_at(i), false});
            ++i;
            continue;
        }
        Token tok;
        tok.loc = line.loc_at(i);
        while (i < s.size() && !is_space(s[i])) {
            const char c = s[i];
            if (c == '"' || c == '\'') {
                tok.quoted = true;
                const std::size_t open = i++;
                bool closed = false;
                while (i < s.size()) {
                    if (s[i] == c) {
                        closed = true;
                        ++i;
                        break;
                    }
                    if (s[i] == '\\') {
                        i = resolve_escape(s, i + 1, tok.text) + 1;
                        continue;
                    }
                    tok.text.push_back(s[i++]);
                }
                if (!closed)
                    diags.error(line.loc_at(open),
                                std::string("unterminated quoted string: expected a closing ") + c);
                continue;
            }
            if (c == '$' && i + 1 < s.size() && s[i + 1] == '{') {
                // An undefined ${NAME} stays literal; its braces are not block delimiters.
                const auto close = s.find('}', i + 2);
                const auto end = close == std::string::npos ? s.size() : close + 1;
                tok.text.append(s, i, end - i);
                i = end;
                continue;
            }
            // "name{" and "value}" split off the brace.
            if (split_braces && (c == '{' || c == '}')) break;
            tok.text.push_back(c);
            ++i;
        }
        out.push_back(std::move(tok));
    }
    return out;
}

}  // namespace vigil::config
