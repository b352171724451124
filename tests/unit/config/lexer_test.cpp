#include "config/lexer.h"

#include <gtest/gtest.h>

namespace vigil::config {
namespace {

OriginText line_of(std::string text) {
    OriginText t;
    t.file = 1;
    t.text = std::move(text);
    for (std::size_t i = 0; i < t.text.size(); ++i)
        t.pos.push_back({7, static_cast<std::uint32_t>(i + 1)});
    return t;
}

std::vector<std::string> words(const std::string& text) {
    Diagnostics d;
    std::vector<std::string> out;
    for (const auto& t : tokenize(line_of(text), d)) out.push_back(t.text);
    return out;
}

TEST(Lexer, SplitsWordsAndBraces) {
    EXPECT_EQ(words("vrrp_instance VI_1 {"),
              (std::vector<std::string>{"vrrp_instance", "VI_1", "{"}));
    EXPECT_EQ(words("url { path / }"), (std::vector<std::string>{"url", "{", "path", "/", "}"}));
    EXPECT_EQ(words("name{"), (std::vector<std::string>{"name", "{"}));
    EXPECT_EQ(words("1}"), (std::vector<std::string>{"1", "}"}));
}

TEST(Lexer, UndefinedParameterBracesStayInTheWord) {
    EXPECT_EQ(words("misc_path /bin/x${UNDEF}y"),
              (std::vector<std::string>{"misc_path", "/bin/x${UNDEF}y"}));
}

TEST(Lexer, QuotedStringsJoinAndKeepSpaces) {
    // keepalived.conf(5): ´abcd" efg h jkl "mnop´ is the single string ´abcd efg h jkl mnop´.
    EXPECT_EQ(words("abcd\" efg h jkl \"mnop"), (std::vector<std::string>{"abcd efg h jkl mnop"}));
    EXPECT_EQ(words("abcd \"efg h jkl\" mnop"),
              (std::vector<std::string>{"abcd", "efg h jkl", "mnop"}));
    EXPECT_EQ(words("'a b' \"{ }\""), (std::vector<std::string>{"a b", "{ }"}));
}

TEST(Lexer, Escapes) {
    EXPECT_EQ(words(R"("a\tb")")[0], "a\tb");
    EXPECT_EQ(words(R"("\x41\102\\\"")")[0], "AB\\\"");
    EXPECT_EQ(words(R"("\cA")")[0], "\x01");
    EXPECT_EQ(words(R"("\q")")[0], "q");
    EXPECT_EQ(words(R"("a\nb")")[0], "a\nb");
}

TEST(Lexer, UnterminatedQuoteIsAnError) {
    Diagnostics d;
    const auto toks = tokenize(line_of("script \"abc"), d);
    ASSERT_EQ(toks.size(), 2U);
    EXPECT_EQ(toks[1].text, "abc");
    ASSERT_EQ(d.error_count(), 1U);
    EXPECT_EQ(d.all()[0].loc.col, 8U);
}

TEST(Lexer, TokensKnowTheirColumn) {
    Diagnostics d;
    const auto toks = tokenize(line_of("  priority   300"), d);
    ASSERT_EQ(toks.size(), 2U);
    EXPECT_EQ(toks[0].loc.col, 3U);
    EXPECT_EQ(toks[1].loc.col, 14U);
    EXPECT_EQ(toks[1].loc.line, 7U);
}

TEST(Lexer, CommentsOutsideQuotesOnly) {
    auto t = line_of("auth_pass \"a#b\" # comment");
    strip_comment(t);
    EXPECT_EQ(t.text, "auth_pass \"a#b\" ");
    auto u = line_of("priority 100 ! bang");
    strip_comment(u);
    EXPECT_EQ(u.text, "priority 100 ");
    auto v = line_of("x \"a\\\"#\" y#z");
    strip_comment(v);
    EXPECT_EQ(v.text, "x \"a\\\"#\" y");
}

}  // namespace
}  // namespace vigil::config
