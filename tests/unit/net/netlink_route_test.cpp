// Netlink routes against the kernel, in a network namespace per test: each route is stated
// as a static_routes line, added, checked with `ip -j route`, and removed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "net/netlink_internal.h"
#include "netns_fixture.h"

namespace vigil::net::testing {
namespace {

class NetlinkRoute : public NetnsTest {
  protected:
    void SetUp() override {
        NetnsTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        ASSERT_TRUE(sh("ip addr add 192.0.2.1/24 dev vg0"));
        ASSERT_TRUE(sh("ip addr add 2001:db8::1/64 dev vg0 nodad"));
        ASSERT_TRUE(sh("ip addr add 198.51.100.1/24 dev vg1"));
    }

    void add(std::string_view line, int default_ifindex = 0) {
        const Status s = nl_->add_route(route(line), default_ifindex);
        ASSERT_TRUE(s.ok()) << line << ": " << s.error();
    }
    void remove(std::string_view line, int default_ifindex = 0) {
        const Status s = nl_->remove_route(route(line), default_ifindex);
        ASSERT_TRUE(s.ok()) << line << ": " << s.error();
    }

    // The routes `ip route show ARGS` lists.
    static nlohmann::json routes(const std::string& args) { return ip_json("route show " + args); }
};

// What `ip route show table all` lists beyond the routes present after SetUp.
class NetlinkRouteLikeIp : public NetlinkRoute {
  protected:
    void SetUp() override {
        NetlinkRoute::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        // The kernel's own routes for the interfaces' addresses must all be there before the
        // baseline, or they show up later as if the test had added them.
        ASSERT_TRUE(wait_until(ipv6_settled)) << capture("ip -6 addr; ip -6 route show table all");
        baseline_ = all_routes();
    }
    static std::string all_routes() {
        return capture("ip route show table all; ip -6 route show table all");
    }
    std::string added_routes() const {
        std::istringstream now(all_routes());
        std::string out;
        for (std::string line; std::getline(now, line);)
            if (baseline_.find(line + "\n") == std::string::npos) out += line + "\n";
        return out;
    }

    // Adds `line` with vigil, then with ip (nexthops must end its line), and compares what the
    // kernel shows; removes both.
    void expect_same_as_ip(const std::string& line) {
        SCOPED_TRACE(line);
        const Status s = nl_->add_route(route(line), 0);
        ASSERT_TRUE(s.ok()) << s.error();
        const std::string ours = added_routes();
        EXPECT_FALSE(ours.empty());
        const Status r = nl_->remove_route(route(line), 0);
        ASSERT_TRUE(r.ok()) << r.error();
        EXPECT_EQ(added_routes(), "");
        ASSERT_TRUE(sh("ip route add proto keepalived " + line));
        EXPECT_EQ(ours, added_routes());
        ASSERT_TRUE(sh("ip route del proto keepalived " + line));
        EXPECT_EQ(added_routes(), "");
    }

    std::string baseline_;
};

TEST_F(NetlinkRouteLikeIp, SameRoutesAsIpRoute) {
    expect_same_as_ip(
        "198.51.100.128/25 via 192.0.2.254 dev vg0 table 100 metric 5 tos 0x10 "
        "realms 3/4 src 192.0.2.1");
    expect_same_as_ip("default via 192.0.2.254 table 1000");
    expect_same_as_ip("203.0.113.0/24 dev vg0 scope host");
    expect_same_as_ip("local 203.0.113.5 dev vg0 table 100");
    expect_same_as_ip("broadcast 203.0.113.255 dev vg0 table 100");
    expect_same_as_ip("throw 203.0.113.0/24 table 100");
    expect_same_as_ip("blackhole 203.0.113.0/24 metric 9");
    expect_same_as_ip(
        "203.0.113.0/24 via 192.0.2.254 mtu lock 1400 advmss 1360 rtt 100ms "
        "rttvar lock 50ms rto_min 200ms ssthresh 10 cwnd lock 5 initcwnd 10 "
        "initrwnd 20 quickack 1 fastopen_no_cookie 1 congctl reno features ecn");
    expect_same_as_ip(
        "203.0.113.0/24 nexthop via 192.0.2.2 dev vg0 weight 2 onlink "
        "nexthop via 198.51.100.2 dev vg1 realms 5 weight 256");
    expect_same_as_ip("2001:db8:5::/64 via 2001:db8::fe dev vg0 metric 7 pref low hoplimit 10");
    expect_same_as_ip("2001:db8:6::/64 dev vg0 table 200 mtu 1300");
    expect_same_as_ip("unreachable 2001:db8:7::/64");
}

TEST_F(NetlinkRoute, DefaultViaWithTheDefaultInterface) {
    add("default via 192.0.2.254", vg0_);
    auto r = routes("default");
    ASSERT_EQ(r.size(), 1U) << r.dump();
    EXPECT_EQ(r[0].value("gateway", ""), "192.0.2.254");
    EXPECT_EQ(r[0].value("dev", ""), "vg0");
    EXPECT_EQ(r[0].value("protocol", ""), "keepalived");  // RTPROT_KEEPALIVED unless configured

    add("default via 192.0.2.254", vg0_);  // idempotent
    remove("default via 192.0.2.254", vg0_);
    EXPECT_TRUE(routes("default").empty());
    remove("default via 192.0.2.254", vg0_);       // idempotent
    EXPECT_EQ(routes("192.0.2.0/24").size(), 1U);  // the connected route is untouched
}

TEST_F(NetlinkRoute, TablesMetricsAndRemovalOfOneOnly) {
    add("198.51.100.0/24 via 192.0.2.254 dev vg0 table 100 metric 50");
    add("198.51.100.0/24 via 192.0.2.253 dev vg0 table 100 metric 60");
    add("198.51.100.0/24 via 192.0.2.254 dev vg0 table 1000 protocol static no_track");
    add("203.0.113.0/24 dev vg0 table 100");
    auto t100 = routes("table 100 198.51.100.0/24");
    ASSERT_EQ(t100.size(), 2U) << t100.dump();
    EXPECT_EQ(t100[0].value("metric", 0), 50);
    EXPECT_EQ(t100[0].value("gateway", ""), "192.0.2.254");
    auto t1000 = routes("table 1000");
    ASSERT_EQ(t1000.size(), 1U) << t1000.dump();
    EXPECT_EQ(t1000[0].value("protocol", ""), "static");  // untracked routes may set it
    auto link_scope = routes("table 100 203.0.113.0/24");
    ASSERT_EQ(link_scope.size(), 1U);
    EXPECT_EQ(link_scope[0].value("scope", ""), "link");  // no gateway: scope link, like ip

    remove("198.51.100.0/24 via 192.0.2.254 dev vg0 table 100 metric 50");
    t100 = routes("table 100 198.51.100.0/24");
    ASSERT_EQ(t100.size(), 1U) << t100.dump();
    EXPECT_EQ(t100[0].value("metric", 0), 60);
    EXPECT_EQ(routes("table 1000").size(), 1U);
    EXPECT_EQ(routes("table 100 203.0.113.0/24").size(), 1U);
}

TEST_F(NetlinkRoute, Multipath) {
    add("203.0.113.0/24 nexthop via 192.0.2.2 dev vg0 weight 2 nexthop via 192.0.2.3 dev vg0 "
        "weight 3 nexthop via 198.51.100.2 dev vg1");
    auto r = routes("203.0.113.0/24");
    ASSERT_EQ(r.size(), 1U) << r.dump();
    const auto& hops = r[0].at("nexthops");
    ASSERT_EQ(hops.size(), 3U) << r.dump();
    EXPECT_EQ(hops[0].value("gateway", ""), "192.0.2.2");
    EXPECT_EQ(hops[0].value("weight", 0), 2);
    EXPECT_EQ(hops[1].value("gateway", ""), "192.0.2.3");
    EXPECT_EQ(hops[1].value("weight", 0), 3);
    EXPECT_EQ(hops[2].value("dev", ""), "vg1");
    EXPECT_EQ(hops[2].value("weight", 0), 1);
    remove(
        "203.0.113.0/24 nexthop via 192.0.2.2 dev vg0 weight 2 nexthop via 192.0.2.3 dev vg0 "
        "weight 3 nexthop via 198.51.100.2 dev vg1");
    EXPECT_TRUE(routes("203.0.113.0/24").empty());
}

TEST_F(NetlinkRoute, PreferredSourceAndOnlink) {
    add("203.0.113.0/24 dev vg0 src 192.0.2.1");
    add("203.0.114.0/24 via 198.51.200.1 dev vg0 onlink");
    auto r = routes("203.0.113.0/24");
    ASSERT_EQ(r.size(), 1U);
    EXPECT_EQ(r[0].value("prefsrc", ""), "192.0.2.1");
    auto o = routes("203.0.114.0/24");
    ASSERT_EQ(o.size(), 1U);
    EXPECT_EQ(o[0].value("gateway", ""), "198.51.200.1");
    ASSERT_TRUE(o[0].contains("flags")) << o.dump();
    EXPECT_EQ(o[0]["flags"][0], "onlink");
}

TEST_F(NetlinkRoute, BlackholeUnreachableAndProhibit) {
    add("blackhole 203.0.113.0/25", vg0_);  // no interface for a blackhole, default or not
    add("unreachable 203.0.113.128/25 table 100");
    add("prohibit 198.51.100.128/25 metric 7");
    EXPECT_EQ(routes("203.0.113.0/25").at(0).value("type", ""), "blackhole");
    EXPECT_EQ(routes("table 100").at(0).value("type", ""), "unreachable");
    EXPECT_EQ(routes("198.51.100.128/25").at(0).value("type", ""), "prohibit");
    remove("blackhole 203.0.113.0/25", vg0_);
    EXPECT_TRUE(routes("203.0.113.0/25").empty());
    EXPECT_EQ(routes("table 100").size(), 1U);
}

TEST_F(NetlinkRoute, Ipv6RouteWithPreference) {
    add("2001:db8:1::/64 via 2001:db8::fe dev vg0 metric 10 pref high");
    add("2001:db8:2::/64 dev vg0 expires 600");
    auto r = ip_json("-6 route show 2001:db8:1::/64");
    ASSERT_EQ(r.size(), 1U) << r.dump();
    EXPECT_EQ(r[0].value("gateway", ""), "2001:db8::fe");
    EXPECT_EQ(r[0].value("metric", 0), 10);
    EXPECT_EQ(r[0].value("pref", ""), "high");
    auto e = ip_json("-6 route show 2001:db8:2::/64");
    ASSERT_EQ(e.size(), 1U) << e.dump();
    EXPECT_GT(e[0].value("expires", 0), 500);
    remove("2001:db8:1::/64 via 2001:db8::fe dev vg0 metric 10");
    EXPECT_TRUE(ip_json("-6 route show 2001:db8:1::/64").empty());
    EXPECT_EQ(ip_json("-6 route show 2001:db8:2::/64").size(), 1U);
}

TEST_F(NetlinkRoute, Ipv6SourcePrefix) {
    add("2001:db8:3::/64 from 2001:db8:4::/64 via 2001:db8::fe dev vg0");
    auto r = ip_json("-6 route show 2001:db8:3::/64");
    ASSERT_EQ(r.size(), 1U) << r.dump();
    EXPECT_EQ(r[0].value("from", ""), "2001:db8:4::/64");
}

TEST_F(NetlinkRoute, Metrics) {
    add("203.0.113.0/24 via 192.0.2.254 dev vg0 mtu lock 1400 advmss 1360 hoplimit 32 rtt 100ms "
        "rttvar 50ms rto_min 200ms initcwnd 10 initrwnd 20 window 65535 reordering 5 quickack 1 "
        "congctl lock reno features ecn");
    const std::string text = capture("ip route show 203.0.113.0/24");
    for (const char* want :
         {"mtu lock 1400", "advmss 1360", "hoplimit 32", "rtt 100ms", "rttvar 50ms",
          "rto_min lock 200ms", "initcwnd 10", "initrwnd 20", "window 65535", "reordering 5",
          "quickack 1", "congctl lock reno", "features ecn"}) {
        EXPECT_TRUE(contains(text, want)) << want;
    }
    remove("203.0.113.0/24 via 192.0.2.254 dev vg0");
    EXPECT_TRUE(routes("203.0.113.0/24").empty());
}

TEST_F(NetlinkRoute, UnknownInterfaceAndTableAreClearErrors) {
    Status s = nl_->add_route(route("203.0.113.0/24 dev nosuchif0"), 0);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error(),
              "cannot add route 203.0.113.0/24 dev nosuchif0: unknown interface 'nosuchif0': no "
              "such device");
    s = nl_->add_route(route("203.0.113.0/24 dev vg0 table nosuchtable"), 0);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(contains(s.error(), "unknown routing table 'nosuchtable'")) << s.error();
    // A gateway that is not reachable: the kernel says so.
    s = nl_->add_route(route("203.0.113.0/24 via 203.0.113.77 dev vg0"), 0);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(contains(s.error(), "cannot add route 203.0.113.0/24 via 203.0.113.77 dev vg0: "))
        << s.error();
}

TEST_F(NetlinkRoute, IpEncapsulation) {
    const Status s = nl_->add_route(
        route("203.0.113.0/24 encap ip id 42 dst 198.51.100.9 ttl 7 key dev vg0"), 0);
    if (!s.ok() && contains(s.error(), "not supported"))
        GTEST_SKIP() << "kernel without lwtunnel ip: " << s.error();
    ASSERT_TRUE(s.ok()) << s.error();
    const std::string text = capture("ip route show 203.0.113.0/24");
    EXPECT_TRUE(contains(text, "encap ip id 42")) << text;
    EXPECT_TRUE(contains(text, "dst 198.51.100.9 ttl 7")) << text;
    EXPECT_TRUE(contains(text, "key")) << text;
}

TEST_F(NetlinkRoute, MplsEncapsulation) {
    const Status s =
        nl_->add_route(route("203.0.113.0/24 encap mpls 100/200 via 192.0.2.254 dev vg0"), 0);
    if (!s.ok() && (contains(s.error(), "not supported") || contains(s.error(), "Unknown")))
        GTEST_SKIP() << "kernel without MPLS lwtunnels: " << s.error();
    ASSERT_TRUE(s.ok()) << s.error();
    const std::string text = capture("ip route show 203.0.113.0/24");
    EXPECT_TRUE(contains(text, "encap mpls  100/200")) << text;
}

TEST(RtNames, ResolvedFromIproute2Files) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("vigil-rtnames-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "rt_tables.d");
    std::ofstream(dir / "rt_tables") << "# comment\n255\tlocal\n100 vips # trailing\n";
    std::ofstream(dir / "rt_tables.d" / "extra.conf") << "0x200 hex\n";
    std::ofstream(dir / "rt_realms") << "7 edge\n";
    const std::vector<std::string> dirs{dir.string()};
    using detail::NameFile;
    using detail::resolve_rt_id;
    EXPECT_EQ(resolve_rt_id(config::RtId{5, {}}, NameFile::rt_tables, dirs).value(), 5U);
    EXPECT_EQ(resolve_rt_id(config::RtId{0, "vips"}, NameFile::rt_tables, dirs).value(), 100U);
    EXPECT_EQ(resolve_rt_id(config::RtId{0, "hex"}, NameFile::rt_tables, dirs).value(), 0x200U);
    const auto unknown = resolve_rt_id(config::RtId{0, "nope"}, NameFile::rt_tables, dirs);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error(),
              "unknown routing table 'nope': not named in " + (dir / "rt_tables").string());
    const auto missing = resolve_rt_id(config::RtId{0, "x"}, NameFile::rt_protos, dirs);
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(contains(missing.error(), "unknown route protocol 'x'"));
    config::Realms realms{config::RtId{0, "edge"}, config::RtId{3, {}}};
    EXPECT_EQ(detail::resolve_realms(realms, dirs).value(), (7U << 16) | 3U);
    std::filesystem::remove_all(dir);
}

TEST_F(NetlinkRoute, VrfSelectsItsTable) {
    if (!sh("ip link add vrf-blue type vrf table 10")) GTEST_SKIP() << "no VRF support";
    add("203.0.113.0/24 via 192.0.2.254 dev vg0 vrf vrf-blue");
    EXPECT_EQ(routes("table 10 203.0.113.0/24").size(), 1U);
    remove("203.0.113.0/24 via 192.0.2.254 dev vg0 vrf vrf-blue");
    EXPECT_TRUE(routes("table 10 203.0.113.0/24").empty());
    const Status s = nl_->add_route(route("203.0.113.0/24 dev vg0 vrf vg1"), 0);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(contains(s.error(), "'vg1' is not a VRF device")) << s.error();
}

TEST_F(NetlinkRoute, DeprecatedOrGatewayIsASecondPath) {
    add("203.0.113.0/24 via 192.0.2.2 or 192.0.2.3 dev vg0");
    auto r = routes("203.0.113.0/24");
    ASSERT_EQ(r.size(), 1U);
    ASSERT_EQ(r[0].at("nexthops").size(), 2U) << r.dump();
    EXPECT_EQ(r[0]["nexthops"][1].value("gateway", ""), "192.0.2.3");
}

}  // namespace
}  // namespace vigil::net::testing
