#include "config/values.h"

#include <gtest/gtest.h>

#include "config/keyword_table.h"

namespace vigil::config {
namespace {

using namespace std::chrono_literals;

struct ArgsFixture {
    Node node;
    Diagnostics diags;
    explicit ArgsFixture(std::vector<std::string> words) {
        node.keyword.text = "kw";
        node.keyword.loc = {1, 1, 1};
        std::uint32_t col = 4;
        for (auto& w : words) {
            Token t;
            t.text = w;
            t.loc = {1, 1, col};
            col += static_cast<std::uint32_t>(w.size()) + 1;
            node.args.push_back(t);
        }
    }
    Args args() { return Args(node, diags); }
};

TEST(Values, Seconds) {
    EXPECT_EQ(parse_seconds("3"), Micros(3'000'000));
    EXPECT_EQ(parse_seconds("2.71828"), Micros(2'718'280));
    EXPECT_EQ(parse_seconds("0.000001"), Micros(1));
    EXPECT_EQ(parse_seconds(".5"), Micros(500'000));
    EXPECT_EQ(parse_seconds("1."), Micros(1'000'000));
    EXPECT_FALSE(parse_seconds("0.0000001"));  // finer than a microsecond
    EXPECT_FALSE(parse_seconds("-1"));
    EXPECT_FALSE(parse_seconds("1e3"));
    EXPECT_FALSE(parse_seconds(""));
    EXPECT_FALSE(parse_seconds("."));
    EXPECT_FALSE(parse_seconds("99999999999999999999"));
}

TEST(Values, IntegerRangeMessages) {
    ArgsFixture f({"300"});
    EXPECT_FALSE(f.args().integer(0, 1, 255));
    ASSERT_EQ(f.diags.error_count(), 1U);
    EXPECT_EQ(f.diags.all()[0].message, "kw: 300 is out of range; expected an integer in [1, 255]");
    EXPECT_EQ(f.diags.all()[0].loc.col, 4U);
    ArgsFixture g({"12x"});
    EXPECT_FALSE(g.args().integer(0, 1, 255));
    EXPECT_EQ(g.diags.all()[0].message, "kw: expected an integer in [1, 255], got '12x'");
}

TEST(Values, MissingArgumentPointsPastTheKeyword) {
    ArgsFixture f({});
    EXPECT_FALSE(f.args().integer(0, 1, 2));
    EXPECT_EQ(f.diags.all()[0].loc.col, 3U);
}

TEST(Values, Booleans) {
    for (const char* t : {"on", "true", "yes"}) EXPECT_EQ(parse_bool(t), true);
    for (const char* t : {"off", "false", "no"}) EXPECT_EQ(parse_bool(t), false);
    EXPECT_FALSE(parse_bool("1"));
    ArgsFixture f({});
    EXPECT_EQ(f.args().boolean(0), true);
}

TEST(Values, Addresses) {
    ArgsFixture f({"192.0.2.1", "2001:db8::1", "192.0.2.256", "198.51.100.0/24", "2001:db8::/129"});
    auto a = f.args();
    EXPECT_TRUE(a.address(0)->is_v4());
    EXPECT_TRUE(a.address(1)->is_v6());
    EXPECT_FALSE(a.address(2));
    EXPECT_EQ(a.prefix(3)->length, 24U);
    EXPECT_FALSE(a.prefix(4));
    EXPECT_EQ(f.diags.error_count(), 2U);
}

TEST(Values, Choice) {
    ArgsFixture f({"DR", "XX"});
    enum class M { nat, dr };
    EXPECT_EQ(f.args().choice<M>(0, {{"NAT", M::nat}, {"DR", M::dr}}), M::dr);
    EXPECT_FALSE(f.args().choice<M>(1, {{"NAT", M::nat}, {"DR", M::dr}}));
    EXPECT_EQ(f.diags.all()[0].message, "kw: expected one of NAT|DR, got 'XX'");
}

TEST(Values, SplitCommand) {
    EXPECT_EQ(split_command("/bin/x 'a b' c"), (std::vector<std::string>{"/bin/x", "a b", "c"}));
    EXPECT_EQ(split_command("  /bin/x   \"q 'r'\" a\\ b "),
              (std::vector<std::string>{"/bin/x", "q 'r'", "a b"}));
    EXPECT_EQ(split_command("x ''"), (std::vector<std::string>{"x", ""}));
}

TEST(Values, ClosestKeyword) {
    EXPECT_EQ(closest_keyword("priorty", {"priority", "preempt"}), "priority");
    EXPECT_EQ(closest_keyword("zzzzzz", {"priority", "preempt"}), "");
}

TEST(IpAddress, RangesAndMasks) {
    const auto a = *IpAddress::parse("192.0.2.250");
    EXPECT_EQ(a.offset(10).to_string(), "192.0.3.4");
    EXPECT_EQ(a.masked(24).to_string(), "192.0.2.0");
    const auto b = *IpAddress::parse("2001:db8::ffff");
    EXPECT_EQ(b.offset(1).to_string(), "2001:db8::1:0");
    EXPECT_EQ(b.masked(112).to_string(), "2001:db8::");
    EXPECT_TRUE(IpAddress::parse("224.0.0.18")->is_multicast());
    EXPECT_TRUE(IpAddress::parse("fe80::1")->is_link_local());
    EXPECT_FALSE(IpAddress::parse("1.2.3"));
    EXPECT_FALSE(IpAddress::parse("01.2.3.4x"));
}

}  // namespace
}  // namespace vigil::config
