// Splits one preprocessed configuration line into tokens: words, quoted strings (with
// keepalived's escapes) and the block delimiters '{' and '}'.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/source.h"

namespace vigil::config {

enum class TokenKind : std::uint8_t { word, open_brace, close_brace };

struct Token {
    TokenKind kind = TokenKind::word;
    std::string text;     // unquoted, escapes resolved
    SourceLoc loc;        // where the token starts in the original file
    bool quoted = false;  // some part of the word was inside quotes
};

using TokenLine = std::vector<Token>;

// A line of text whose every character remembers where it came from, so that text
// produced by parameter substitution still points at a real place in a file.
struct OriginText {
    struct Pos {
        std::uint32_t line = 0;
        std::uint32_t col = 0;
    };
    std::uint32_t file = 0;
    std::string text;
    std::vector<Pos> pos;  // same length as text

    SourceLoc loc_at(std::size_t i) const;
    OriginText substr(std::size_t from, std::size_t n = std::string::npos) const;
    void append(const OriginText& other);
    void append(std::string_view s, Pos p);
};

// Removes a '#' or '!' comment that is outside quotes.
void strip_comment(OriginText& line);

// Tokenizes; unterminated quotes are reported and closed at end of line. With
// split_braces false, '{' and '}' are ordinary characters (include patterns use them).
TokenLine tokenize(const OriginText& line, Diagnostics& diags, bool split_braces = true);

}  // namespace vigil::config
