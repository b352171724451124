// Netlink rules against the kernel, in a network namespace per test. The rule vigil installs
// for a static_rules line must be the one `ip rule add LINE` installs (with keepalived's
// protocol, which vigil sets unless configured).
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "netns_fixture.h"

namespace vigil::net::testing {
namespace {

class NetlinkRule : public NetnsTest {
  protected:
    // `ip rule show` lines other than the three default rules.
    static std::string custom_rules(const std::string& family = "-4") {
        std::string out;
        std::istringstream in(capture("ip " + family + " rule show"));
        for (std::string line; std::getline(in, line);) {
            if (line.starts_with("0:") || line.starts_with("32766:") || line.starts_with("32767:"))
                continue;
            out += line + "\n";
        }
        return out;
    }

    // Adds `line` with vigil, then with ip, and compares what the kernel shows; removes both.
    void expect_same_as_ip(const std::string& line, const std::string& family = "-4") {
        SCOPED_TRACE(line);
        const Status s = nl_->add_rule(rule(line));
        ASSERT_TRUE(s.ok()) << s.error();
        const std::string ours = custom_rules(family);
        EXPECT_FALSE(ours.empty());
        ASSERT_TRUE(nl_->remove_rule(rule(line)).ok());
        EXPECT_EQ(custom_rules(family), "");
        ASSERT_TRUE(sh("ip " + family + " rule add " + line + " protocol keepalived"));
        EXPECT_EQ(ours, custom_rules(family));
        ASSERT_TRUE(sh("ip " + family + " rule del " + line + " protocol keepalived"));
    }
};

TEST_F(NetlinkRule, SameRulesAsIpRule) {
    expect_same_as_ip("from 192.0.2.0/24 table 100 preference 100");
    expect_same_as_ip("to 198.51.100.0/24 lookup 1000 priority 101");
    expect_same_as_ip("from all fwmark 0x10/0xff table 7 preference 102");
    expect_same_as_ip("fwmark 0x20 table 7 preference 103");
    expect_same_as_ip("iif vg0 table 8 preference 104");
    expect_same_as_ip("oif vg1 table 8 preference 105");
    expect_same_as_ip("uidrange 1000-2000 table 9 preference 106");
    expect_same_as_ip("not from 192.0.2.0/24 table main suppress_prefixlength 0 preference 107");
    expect_same_as_ip(
        "from 192.0.2.1 tos 0x10 ipproto tcp sport 1000-2000 dport 80-80 "
        "table 10 preference 108");
    expect_same_as_ip("from 192.0.2.0/25 realms 3/4 tun_id 7 table 11 preference 109");
    expect_same_as_ip("from 192.0.2.0/26 goto 200 preference 110");
    expect_same_as_ip("from 192.0.2.0/27 blackhole preference 111");
    expect_same_as_ip("from 192.0.2.0/27 prohibit preference 112");
    expect_same_as_ip("from 192.0.2.0/27 unreachable preference 113");
    expect_same_as_ip("from 192.0.2.0/28 nop preference 114");
    expect_same_as_ip("from 2001:db8::/32 table 100 preference 120", "-6");
    expect_same_as_ip("to 2001:db8:1::/48 iif vg0 table 100 preference 121", "-6");
}

TEST_F(NetlinkRule, RemovalLeavesTheOtherRules) {
    ASSERT_TRUE(nl_->add_rule(rule("from 192.0.2.0/24 table 100 preference 100")).ok());
    ASSERT_TRUE(nl_->add_rule(rule("from 192.0.2.0/24 table 101 preference 101")).ok());
    ASSERT_TRUE(nl_->add_rule(rule("from 198.51.100.0/24 table 100 preference 100")).ok());
    ASSERT_TRUE(
        sh("ip rule add from 192.0.2.0/24 table 100 preference 100"));  // not ours: protocol
    ASSERT_TRUE(
        nl_->add_rule(rule("from 192.0.2.0/24 table 100 preference 100")).ok());  // idempotent
    ASSERT_TRUE(nl_->remove_rule(rule("from 192.0.2.0/24 table 100 preference 100")).ok());
    ASSERT_TRUE(
        nl_->remove_rule(rule("from 192.0.2.0/24 table 100 preference 100")).ok());  // idempotent
    const std::string left = custom_rules();
    for (const char* want : {"100:\tfrom 192.0.2.0/24 lookup 100\n",
                             "100:\tfrom 198.51.100.0/24 lookup 100 proto keepalived\n",
                             "101:\tfrom 192.0.2.0/24 lookup 101 proto keepalived\n"})
        EXPECT_TRUE(contains(left, want));
    EXPECT_EQ(std::count(left.begin(), left.end(), '\n'), 3);
}

TEST_F(NetlinkRule, UnknownTableIsAClearError) {
    const Status s = nl_->add_rule(rule("from 192.0.2.0/24 table nosuchtable preference 5"));
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(contains(s.error(),
                         "cannot add rule from 192.0.2.0/24 lookup nosuchtable pref 5: "
                         "unknown routing table 'nosuchtable'"));
}

}  // namespace
}  // namespace vigil::net::testing
