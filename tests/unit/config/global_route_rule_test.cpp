// static_routes / static_rules: the `ip route add` / `ip rule add` syntax, with every
// example of keepalived.conf(5) (static_* and virtual_*), and malformed lines.
#include <gtest/gtest.h>

#include "config/dump.h"
#include "test_util.h"

namespace vigil::config {
namespace {

using std::chrono::milliseconds;
using testing::has_diag;
using testing::load;

const char* const groups = "track_group GROUP1 {\n group {\n VI_1\n }\n}\n";

// The instance GROUP1 names, after everything else so that line numbers stay put.
const char* const instance =
    "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n"
    " 192.0.2.1\n }\n}\n";

LoadResult routes(const std::string& lines) {
    return load(std::string(groups) + "static_routes {\n" + lines + "}\n" + instance);
}
LoadResult rules(const std::string& lines) {
    return load(std::string(groups) + "static_rules {\n" + lines + "}\n" + instance);
}
// Line numbers of the first static route/rule line.
constexpr unsigned first = 7;
std::string at(unsigned line_offset, unsigned col, const char* kind = "error") {
    return "keepalived.conf:" + std::to_string(first + line_offset) + ":" + std::to_string(col) +
           ": " + kind;
}

TEST(StaticRoutes, ManPageExamples) {
    const auto r = routes(R"(  192.168.2.0/24 via 192.168.1.100 dev eth0 track_group GROUP1
  192.168.100.0/24 table 6909 nexthop via 192.168.101.1 dev wlan0 onlink weight 1 nexthop via 192.168.101.2 dev wlan0 onlink weight 2
  192.168.200.0/24 dev p33p1.2 table 6909 tos 0x04 protocol bird scope link priority 12 mtu 1000 hoplimit 100 advmss 101 rtt 102 rttvar 103 reordering 104 window 105 cwnd 106 ssthresh lock 107 realms PQA/0x14 rto_min 108 initcwnd 109 initrwnd 110 vrf blue features ecn add
  2001:470:69e9:1:2::4 dev p33p1.2 table 6909 tos 0x04 protocol bird scope link priority 12 mtu 1000 hoplimit 100 advmss 101 rtt 102 rttvar 103 reordering 104 window 105 cwnd 106 ssthresh lock 107 rto_min 108 initcwnd 109 append initrwnd 110 features ecn fastopen_no_cookie 1
)");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& v = r.model->globals.static_routes;
    ASSERT_EQ(v.size(), 4U);

    EXPECT_EQ(v[0].destination.to_string(), "192.168.2.0/24");
    EXPECT_EQ(v[0].via->to_string(), "192.168.1.100");
    EXPECT_EQ(v[0].dev, "eth0");
    EXPECT_EQ(v[0].track_group, "GROUP1");
    EXPECT_EQ(v[0].loc.line, first);
    EXPECT_EQ(v[0].loc.col, 3U);
    EXPECT_FALSE(v[0].no_track);

    EXPECT_EQ(v[1].table->value, 6909U);
    ASSERT_EQ(v[1].nexthops.size(), 2U);
    EXPECT_EQ(v[1].nexthops[0].via->to_string(), "192.168.101.1");
    EXPECT_EQ(v[1].nexthops[0].dev, "wlan0");
    EXPECT_TRUE(v[1].nexthops[0].onlink);
    EXPECT_EQ(v[1].nexthops[0].weight, 1);
    EXPECT_EQ(v[1].nexthops[1].via->to_string(), "192.168.101.2");
    EXPECT_EQ(v[1].nexthops[1].weight, 2);
    // No top-level dev: keepalived cannot track it.
    EXPECT_TRUE(v[1].no_track);
    EXPECT_TRUE(has_diag(r, at(1, 3, "warning: cannot track route 192.168.100.0/24")));

    const auto& x = v[2];
    EXPECT_EQ(x.dev, "p33p1.2");
    EXPECT_EQ(x.tos, 4);
    // A tracked route must be keepalived's own: bird is reset to keepalived, with a warning.
    EXPECT_EQ(x.protocol->value, 18U);
    EXPECT_TRUE(has_diag(r, at(2, 3, "warning: a tracked route must have protocol keepalived")));
    EXPECT_EQ(x.scope, 253);
    EXPECT_EQ(x.metric, 12U);
    EXPECT_EQ(x.mtu->value, 1000U);
    EXPECT_FALSE(x.mtu->lock);
    EXPECT_EQ(x.hoplimit->value, 100U);
    EXPECT_EQ(x.advmss->value, 101U);
    EXPECT_EQ(x.rtt->value, milliseconds(102));
    EXPECT_EQ(x.rttvar->value, milliseconds(103));
    EXPECT_EQ(x.reordering->value, 104U);
    EXPECT_EQ(x.window->value, 105U);
    EXPECT_EQ(x.cwnd->value, 106U);
    EXPECT_EQ(x.ssthresh->value, 107U);
    EXPECT_TRUE(x.ssthresh->lock);
    ASSERT_TRUE(x.realms);
    ASSERT_TRUE(x.realms->from);
    EXPECT_EQ(x.realms->from->name, "PQA");  // resolved from rt_realms on the host
    EXPECT_EQ(x.realms->to.value, 0x14U);
    EXPECT_EQ(x.rto_min->value, milliseconds(108));
    EXPECT_EQ(x.initcwnd->value, 109U);
    EXPECT_EQ(x.initrwnd->value, 110U);
    EXPECT_EQ(x.vrf, "blue");
    EXPECT_TRUE(x.features_ecn);
    EXPECT_FALSE(x.append);

    const auto& y = v[3];
    EXPECT_EQ(y.destination.to_string(), "2001:470:69e9:1:2::4/128");
    EXPECT_TRUE(y.inet6);
    EXPECT_TRUE(y.append);
    EXPECT_EQ(y.fastopen_no_cookie, true);
    EXPECT_TRUE(y.features_ecn);
}

TEST(StaticRoutes, VirtualRoutesExamples) {
    const auto r = routes(R"(  src 192.168.100.1 to 192.168.109.0/24 via 192.168.200.254 dev eth1
  192.168.110.0/24 via 192.168.200.254 dev eth1
  192.168.111.0/24 dev eth2 no_track
  192.168.112.0/24 via 192.168.100.254
  192.168.113.0/24 via 192.168.200.254 or 192.168.100.254 dev eth1
  blackhole 192.168.114.0/24
  0.0.0.0/0 gw 192.168.0.1 table 100
)");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& v = r.model->globals.static_routes;
    ASSERT_EQ(v.size(), 7U);
    EXPECT_EQ(v[0].src->to_string(), "192.168.100.1");
    EXPECT_EQ(v[0].destination.to_string(), "192.168.109.0/24");
    EXPECT_EQ(v[0].via->to_string(), "192.168.200.254");
    EXPECT_EQ(v[0].dev, "eth1");
    EXPECT_TRUE(v[2].no_track);
    EXPECT_EQ(v[4].or_via->to_string(), "192.168.100.254");
    EXPECT_TRUE(has_diag(r, at(4, 40, "warning: static_routes: 'or' is deprecated")));
    EXPECT_EQ(v[5].type, RouteType::blackhole);
    EXPECT_EQ(v[5].destination.to_string(), "192.168.114.0/24");
    EXPECT_EQ(v[6].destination.to_string(), "0.0.0.0/0");
    EXPECT_EQ(v[6].via->to_string(), "192.168.0.1");
    EXPECT_EQ(v[6].table->value, 100U);
    EXPECT_TRUE(has_diag(r, at(6, 13, "warning: static_routes: 'gw' is deprecated")));
}

TEST(StaticRoutes, MoreOptions) {
    const auto r = routes(R"(  unreachable 10.0.0.0/8
  throw 10.1.0.0/16 table local
  to 10.2.0.0/16 dev eth0 table main metric 4294967295 scope host protocol keepalived
  default dev eth0 table default mtu lock 1400 congctl lock cubic quickack 1 rtt 1.5s rttvar 5msec no_track
  inet6 default dev eth0 pref high expires 100
  2001::/64 from 2001:db8::/32 dev eth0 pref 1 onlink
  10.3.0.0/16 via inet 10.1.1.1 dev eth0 protocol 18 dsfield 0x10 realms 5
  10.4.0.0/16 dev eth0 nexthop via 10.1.1.1 weight 256 realms cosmos/7 nexthop dev eth1
  nat 10.5.0.0/16 dev eth0 proto static no_track track_group GROUP1
  10.6.0.0/16 dev eth0 table mytable protocol myproto no_track
)");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& v = r.model->globals.static_routes;
    ASSERT_EQ(v.size(), 10U);
    EXPECT_EQ(v[0].type, RouteType::unreachable);
    EXPECT_EQ(v[1].type, RouteType::throw_route);
    EXPECT_EQ(v[1].table->value, 255U);
    EXPECT_EQ(v[2].table->value, 254U);
    EXPECT_EQ(v[2].metric, 4294967295U);
    EXPECT_EQ(v[2].scope, 254);
    EXPECT_EQ(v[2].protocol->value, 18U);
    EXPECT_EQ(v[3].destination.to_string(), "0.0.0.0/0");
    EXPECT_EQ(v[3].table->value, 253U);
    EXPECT_TRUE(v[3].mtu->lock);
    EXPECT_EQ(v[3].mtu->value, 1400U);
    EXPECT_EQ(v[3].congctl, "cubic");
    EXPECT_TRUE(v[3].congctl_lock);
    EXPECT_EQ(v[3].quickack, true);
    EXPECT_EQ(v[3].rtt->value, milliseconds(1500));
    EXPECT_EQ(v[3].rttvar->value, milliseconds(5));
    EXPECT_EQ(v[4].destination.to_string(), "::/0");
    EXPECT_TRUE(v[4].inet6);
    EXPECT_EQ(v[4].pref, RoutePref::high);
    EXPECT_EQ(v[4].expires, 100U);
    EXPECT_EQ(v[5].from->to_string(), "2001:db8::/32");
    EXPECT_EQ(v[5].pref, RoutePref::number);
    EXPECT_EQ(v[5].pref_value, 1);
    EXPECT_TRUE(v[5].onlink);
    EXPECT_EQ(v[6].via->to_string(), "10.1.1.1");
    EXPECT_EQ(v[6].tos, 0x10);
    EXPECT_EQ(v[6].realms->to.value, 5U);
    EXPECT_FALSE(v[6].realms->from.has_value());
    ASSERT_EQ(v[7].nexthops.size(), 2U);
    EXPECT_EQ(v[7].nexthops[0].weight, 256);
    EXPECT_EQ(v[7].nexthops[0].realms->from->value, 0U);
    EXPECT_EQ(v[7].nexthops[0].realms->to.value, 7U);
    EXPECT_EQ(v[7].nexthops[1].dev, "eth1");
    EXPECT_EQ(v[8].type, RouteType::nat);
    EXPECT_EQ(v[8].protocol->value, 4U);  // no_track: protocol kept
    EXPECT_EQ(v[8].track_group, "GROUP1");
    EXPECT_EQ(v[9].table->name, "mytable");
    EXPECT_FALSE(v[9].table->resolved());
    EXPECT_EQ(v[9].protocol->name, "myproto");
}

struct BadLine {
    const char* line;
    unsigned col;
    const char* message;
};

class BadRoute : public ::testing::TestWithParam<BadLine> {};

TEST_P(BadRoute, IsAnError) {
    const auto& p = GetParam();
    const auto r = routes(std::string("  ") + p.line + "\n");
    EXPECT_FALSE(r.ok()) << p.line;
    EXPECT_TRUE(has_diag(r, at(0, p.col))) << p.line << "\n" << testing::diags(r);
    EXPECT_TRUE(has_diag(r, p.message)) << p.line << "\n" << testing::diags(r);
}

INSTANTIATE_TEST_SUITE_P(
    Lines, BadRoute,
    ::testing::Values(
        BadLine{"10.0.0.0/8 dev eth0 foo", 23, "unknown route option 'foo'"},
        BadLine{"10.0.0.0/33 dev eth0", 3, "unknown route option '10.0.0.0/33'"},
        BadLine{"10.0.0.0/8 10.1.0.0/16 dev eth0", 14, "route destination given twice"},
        BadLine{"dev eth0", 11, "route has no destination"},
        BadLine{"10.0.0.0/8 dev", 17, "missing value after 'dev'"},
        BadLine{"10.0.0.0/8 dev eth0 vrf", 26, "missing value after 'vrf'"},
        BadLine{"10.0.0.0/8 dev eth0 mtu 1400 lock", 32, "unknown route option 'lock'"},
        BadLine{"10.0.0.0/8 dev eth0 tos 256", 27, "invalid TOS '256'"},
        BadLine{"10.0.0.0/8 dev eth0 tos lowdelay", 27, "invalid TOS 'lowdelay'"},
        BadLine{"10.0.0.0/8 dev eth0 protocol 256", 32, "invalid protocol '256'"},
        BadLine{"10.0.0.0/8 dev eth0 table 4294967296", 29, "invalid routing table"},
        BadLine{"10.0.0.0/8 dev eth0 scope 256", 29, "invalid scope '256'"},
        BadLine{"10.0.0.0/8 dev eth0 scope universe", 29, "invalid scope 'universe'"},
        BadLine{"10.0.0.0/8 dev eth0 metric 4294967296", 30, "invalid metric"},
        BadLine{"10.0.0.0/8 dev eth0 hoplimit 256", 32, "invalid hoplimit '256'"},
        BadLine{"10.0.0.0/8 dev eth0 initrwnd lock x", 37, "invalid initrwnd 'x'"},
        BadLine{"10.0.0.0/8 dev eth0 rtt 1.5", 27, "invalid rtt '1.5'"},
        BadLine{"10.0.0.0/8 dev eth0 rtt 100us", 27, "invalid rtt '100us'"},
        BadLine{"10.0.0.0/8 dev eth0 rtt 960001", 27, "expected milliseconds in [0, 960000]"},
        BadLine{"10.0.0.0/8 dev eth0 rttvar 480001", 30, "in [0, 480000]"},
        BadLine{"10.0.0.0/8 dev eth0 rto_min 120001", 31, "in [0, 120000]"},
        BadLine{"10.0.0.0/8 dev eth0 realms 256", 30, "invalid realms '256'"},
        BadLine{"10.0.0.0/8 dev eth0 realms 1/", 30, "invalid realms '1/'"},
        BadLine{"10.0.0.0/8 dev eth0 fastopen_no_cookie 2", 42, "invalid fastopen_no_cookie"},
        BadLine{"10.0.0.0/8 dev eth0 features foo", 32, "unsupported route feature"},
        BadLine{"10.0.0.0/8 dev eth0 pref high", 23, "cannot mix IPv4 and IPv6"},
        BadLine{"2001::/64 dev eth0 pref foo", 27, "invalid pref 'foo'"},
        BadLine{"10.0.0.0/8 dev eth0 expires 100", 23, "cannot mix IPv4 and IPv6"},
        BadLine{"10.0.0.0/8 via inet6 fe80::1 dev eth0", 24, "cannot mix IPv4 and IPv6"},
        BadLine{"2001::/64 via 10.1.1.1 dev eth0", 17, "cannot mix IPv4 and IPv6"},
        BadLine{"10.0.0.0/8 src 2001::1 dev eth0", 18, "cannot mix IPv4 and IPv6"},
        BadLine{"inet6 10.0.0.0/8 dev eth0", 9, "cannot mix IPv4 and IPv6"},
        BadLine{"from 10.0.0.0/8 table 5", 8, "route 'from' is only supported with IPv6"},
        BadLine{"10.0.0.0/8 via nowhere dev eth0", 18, "invalid gateway 'nowhere'"},
        BadLine{"10.0.0.0/8 dev eth0 nexthop via 10.1.1.1 weight 0", 51,
                "invalid nexthop weight '0'"},
        BadLine{"10.0.0.0/8 dev eth0 nexthop weight 2", 23, "nexthop needs 'via ADDRESS'"},
        BadLine{"to unicast 10.0.0.0/8 dev eth0", 6, "invalid route destination 'unicast'"},
        BadLine{"10.0.0.0/8 dev eth0 track_group", 34, "missing value after 'track_group'"}));

TEST(StaticRoutes, UnknownTrackGroup) {
    const auto r = routes("  10.0.0.0/8 dev eth0 track_group NOPE\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r, at(0, 3) + ": track_group 'NOPE' is not defined"));
}

TEST(StaticRules, ManPageExamples) {
    const auto r = rules(R"(  from 192.168.2.0/24 table 1 track_group GROUP1
  to 192.168.2.0/24 table 1
  from 192.168.28.0/24 to 192.168.29.0/26 table small iif p33p1 oif wlan0 tos 22 fwmark 24/12 preference 39 realms 30/20
  to 1:2:3:4:5:6:7:0/112 from 7:6:5:4:3:2::/96 table 6908 uidrange 10000-19999
  to 1:2:3:4:6:6:7:0/112 from 8:6:5:4:3:2::/96 l3mdev protocol 12 ip_proto UDP sport 10-20 dport 20-30
)");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& v = r.model->globals.static_rules;
    ASSERT_EQ(v.size(), 5U);
    EXPECT_EQ(v[0].from->to_string(), "192.168.2.0/24");
    EXPECT_FALSE(v[0].to.has_value());
    EXPECT_EQ(v[0].action, RuleAction::table);
    EXPECT_EQ(v[0].table->value, 1U);
    EXPECT_EQ(v[0].track_group, "GROUP1");
    // keepalived: a rule without a preference gets one assigned; and track_group needs iif.
    EXPECT_TRUE(has_diag(r, at(0, 3, "warning: static_rules: rule has no preference")));
    EXPECT_TRUE(has_diag(r, at(0, 3, "warning: a static rule with track_group needs iif")));
    EXPECT_EQ(v[1].to->to_string(), "192.168.2.0/24");

    const auto& x = v[2];
    EXPECT_EQ(x.table->name, "small");
    EXPECT_EQ(x.iif, "p33p1");
    EXPECT_EQ(x.oif, "wlan0");
    EXPECT_EQ(x.tos, 22);
    EXPECT_EQ(x.fwmark, 24U);
    EXPECT_EQ(x.fwmask, 12U);
    EXPECT_EQ(x.preference, 39U);
    EXPECT_EQ(x.realms->from->value, 30U);
    EXPECT_EQ(x.realms->to.value, 20U);
    EXPECT_FALSE(has_diag(r, at(2, 3, "warning: static_rules: rule has no preference")));

    EXPECT_TRUE(v[3].inet6);
    EXPECT_EQ(v[3].uidrange, (std::pair<std::uint32_t, std::uint32_t>{10000, 19999}));
    EXPECT_EQ(v[3].table->value, 6908U);

    const auto& y = v[4];
    EXPECT_EQ(y.action, RuleAction::l3mdev);
    EXPECT_EQ(y.protocol->value, 12U);
    EXPECT_EQ(y.ip_proto, 17);
    EXPECT_EQ(y.sport->from, 10);
    EXPECT_EQ(y.sport->to, 20);
    EXPECT_EQ(y.dport->from, 20);
    EXPECT_EQ(y.dport->to, 30);
}

TEST(StaticRules, ManPageExampleWithTableAndGotoIsRejected) {
    // The man page's third example has both "table small" and "goto 40"; keepalived 2.2.7
    // rejects a rule with more than one action, and so does vigil.
    const auto r = rules(
        "  from 192.168.28.0/24 to 192.168.29.0/26 table small iif p33p1 oif wlan0 "
        "tos 22 fwmark 24/12 preference 39 realms 30/20 goto 40\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r, at(0, 122) + ": static_rules: only one of table/lookup, goto"));
}

TEST(StaticRules, VirtualRulesExamplesAndMore) {
    const auto r = rules(R"(  from 192.168.2.0/24 table 1 preference 1
  to 192.168.2.0/24 table 1 no_track priority 2
  not from all lookup main order 3
  from 10.0.0.0/8 goto 5 preference 4
  from 10.0.0.0/8 blackhole preference 5
  from 10.0.0.0/8 type unreachable preference 6
  from 10.0.0.0/8 prohibit preference 7
  from 10.0.0.0/8 nop preference 8
  from 10.0.0.0/8 table 5 preference 9 dsfield 0x10 fwmark 0x10 suppress_prefixlength 8 suppress_ifgroup 3
  inet6 table 5 preference 10 ip_proto 6 iif eth0 track_group GROUP1
)");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& v = r.model->globals.static_rules;
    ASSERT_EQ(v.size(), 10U);
    EXPECT_EQ(v[0].preference, 1U);
    EXPECT_TRUE(v[1].no_track);
    EXPECT_EQ(v[1].preference, 2U);
    EXPECT_TRUE(v[2].invert);
    EXPECT_FALSE(v[2].from.has_value());
    EXPECT_EQ(v[2].table->value, 254U);
    EXPECT_EQ(v[2].preference, 3U);
    EXPECT_EQ(v[3].action, RuleAction::goto_rule);
    EXPECT_EQ(v[3].goto_target, 5U);
    EXPECT_EQ(v[4].action, RuleAction::blackhole);
    EXPECT_EQ(v[5].action, RuleAction::unreachable);
    EXPECT_EQ(v[6].action, RuleAction::prohibit);
    EXPECT_EQ(v[7].action, RuleAction::nop);
    EXPECT_EQ(v[8].tos, 0x10);
    EXPECT_EQ(v[8].fwmark, 0x10U);
    EXPECT_FALSE(v[8].fwmask.has_value());
    EXPECT_EQ(v[8].suppress_prefixlength, 8U);
    EXPECT_EQ(v[8].suppress_ifgroup->value, 3U);
    EXPECT_TRUE(v[9].inet6);
    EXPECT_EQ(v[9].ip_proto, 6);
    EXPECT_EQ(v[9].iif, "eth0");
    // The only warning: the track_group the rules name is not supported.
    EXPECT_TRUE(has_diag(r, "warning: 'track_group' is not supported")) << testing::diags(r);
    EXPECT_EQ(r.diags.warning_count(), 1U) << testing::diags(r);
}

// keepalived 2.2.7 skips a rule with an invalid address and keeps the others (measured).
TEST(StaticRules, InvalidAddressSkipsTheRule) {
    const auto r = rules(
        "  from nowhere table 5\n  to 192.168.101./24 table 6\n"
        "  from 192.0.2.0/24 table 7\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    ASSERT_EQ(r.model->globals.static_rules.size(), 1U);
    EXPECT_EQ(r.model->globals.static_rules[0].table->value, 7U);
    EXPECT_TRUE(has_diag(
        r, at(0, 8, "warning") + ": static_rules: invalid source 'nowhere'; the rule is skipped"))
        << testing::diags(r);
    EXPECT_TRUE(has_diag(r, "invalid destination '192.168.101./24'; the rule is skipped"));
}

class BadRule : public ::testing::TestWithParam<BadLine> {};

TEST_P(BadRule, IsAnError) {
    const auto& p = GetParam();
    const auto r = rules(std::string("  ") + p.line + "\n");
    EXPECT_FALSE(r.ok()) << p.line;
    EXPECT_TRUE(has_diag(r, at(0, p.col))) << p.line << "\n" << testing::diags(r);
    EXPECT_TRUE(has_diag(r, p.message)) << p.line << "\n" << testing::diags(r);
}

INSTANTIATE_TEST_SUITE_P(
    Lines, BadRule,
    ::testing::Values(
        BadLine{"from 10.0.0.0/8 preference 5", 31, "rule has no action"},
        BadLine{"from 10.0.0.0/8 goto 5", 19, "a rule with goto needs a preference"},
        BadLine{"from 10.0.0.0/8 table 5 preference 5 goto 7", 40, "only one of table/lookup"},
        BadLine{"from 10.0.0.0/8 table 5 pref 5", 27, "unknown rule option 'pref'"},
        BadLine{"from 10.0.0.0/8 table 5 foo", 27, "unknown rule option 'foo'"},
        BadLine{"from 10.0.0.0/8 table 5 sport 5", 33, "invalid sport range '5'"},
        BadLine{"from 10.0.0.0/8 table 5 dport 1-70000", 33, "invalid dport range"},
        BadLine{"from 10.0.0.0/8 table 5 uidrange 5", 36, "invalid uidrange '5'"},
        BadLine{"from 10.0.0.0/8 table 5 tos 256", 31, "invalid TOS '256'"},
        BadLine{"from 10.0.0.0/8 to 2001::/64 table 5", 22, "cannot mix IPv4 and IPv6"},
        BadLine{"inet6 from 10.0.0.0/8 table 5", 14, "cannot mix IPv4 and IPv6"},
        BadLine{"from 10.0.0.0/8 table 5 protocol 300", 36, "invalid protocol '300'"},
        BadLine{"from 10.0.0.0/8 table 5 preference 4294967296", 38, "invalid preference"},
        BadLine{"from 10.0.0.0/8 table 5 fwmark 5/x", 34, "invalid fwmark '5/x'"},
        BadLine{"from 10.0.0.0/8 table 5 ip_proto foo", 36, "invalid ip_proto 'foo'"},
        BadLine{"from 10.0.0.0/8 table 5 suppress_prefixlength -1", 49,
                "invalid suppress_prefixlength"},
        BadLine{"from 10.0.0.0/8 type foo", 24, "invalid rule type 'foo'"},
        BadLine{"from 10.0.0.0/8 table", 24, "missing value after 'table'"}));

}  // namespace
}  // namespace vigil::config

namespace vigil::config {
namespace {

TEST(StaticRoutes, EncapAndTtlPropagate) {
    const auto r = testing::load(
        "static_routes {\n"
        " 198.51.100.64/26 encap mpls 100/200 ttl 7 via 198.51.100.1 dev eth1 no_track\n"
        " 198.51.100.128/26 encap ip id 5 dst 192.0.2.9 ttl 3 tos 2 key csum dev eth0 no_track\n"
        " 2001:db8:5::/64 encap ip6 id 6 dst 2001:db8::9 hoplimit 4 tc 1 seq dev eth0 no_track\n"
        " 198.51.100.192/26 dev eth1 ttl-propagate disabled no_track\n"
        "}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& v = r.model->globals.static_routes;
    ASSERT_EQ(v.size(), 4U);
    ASSERT_TRUE(v[0].encap);
    EXPECT_EQ(v[0].encap->kind, RouteEncap::Kind::mpls);
    EXPECT_EQ(v[0].encap->labels, (std::vector<std::uint32_t>{100, 200}));
    EXPECT_EQ(v[0].encap->ttl, 7);
    EXPECT_EQ(v[0].via->to_string(), "198.51.100.1");
    EXPECT_EQ(v[0].dev, "eth1");
    EXPECT_EQ(v[1].encap->kind, RouteEncap::Kind::ip);
    EXPECT_EQ(v[1].encap->id, 5U);
    EXPECT_EQ(v[1].encap->dst->to_string(), "192.0.2.9");
    EXPECT_EQ(v[1].encap->tos, 2);
    EXPECT_TRUE(v[1].encap->key && v[1].encap->csum && !v[1].encap->seq);
    EXPECT_EQ(v[1].dev, "eth0");
    EXPECT_EQ(v[2].encap->kind, RouteEncap::Kind::ip6);
    EXPECT_EQ(v[2].encap->ttl, 4);
    EXPECT_TRUE(v[2].encap->seq);
    EXPECT_EQ(v[3].ttl_propagate, false);
    const auto j = dump_json(*r.model);
    EXPECT_NE(j.find("\"labels\": [\n"), std::string::npos);
    EXPECT_NE(j.find("\"ttl_propagate\": false"), std::string::npos);
}

TEST(StaticRoutes, EncapErrors) {
    for (const auto& [line, what] : std::vector<std::pair<std::string, std::string>>{
             {" 198.51.100.0/26 encap seg6 mode encap dev eth0 no_track\n",
              "unsupported encap type 'seg6'"},
             {" 198.51.100.0/26 encap mpls 1048576 dev eth0 no_track\n", "invalid MPLS label"},
             {" 198.51.100.0/26 encap ip dst 2001:db8::1 dev eth0 no_track\n",
              "invalid dst address for encap ip"},
             {" 198.51.100.0/26 ttl-propagate maybe dev eth0 no_track\n", "invalid ttl-propagate"},
         }) {
        const auto r = testing::load("static_routes {\n" + line + "}\n");
        EXPECT_FALSE(r.ok()) << line;
        EXPECT_TRUE(testing::has_diag(r, what)) << line << testing::diags(r);
    }
}

TEST(StaticRules, TunnelId) {
    const auto r =
        testing::load("static_rules {\n from all priority 413 table 300 tunnel-id 42\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(r.model->globals.static_rules[0].tunnel_id, 42U);
}

}  // namespace
}  // namespace vigil::config
