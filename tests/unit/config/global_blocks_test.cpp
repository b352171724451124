// The global area's top-level blocks: linkbeat_interfaces, interface_up_down_delays,
// track_group, static_ipaddress, bfd_instance, and the JSON dump.
#include <gtest/gtest.h>

#include "config/dump.h"
#include "test_util.h"

namespace vigil::config {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::has_diag;
using testing::load;

TEST(Linkbeat, InterfacesAndTypes) {
    const auto r =
        load("linkbeat_interfaces {\n  eth2\n  enp2s0 ETHTOOL\n  eth3 MII\n  eth4 IOCTL\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& l = r.model->globals.linkbeat_interfaces;
    ASSERT_EQ(l.size(), 4U);
    EXPECT_EQ(l[0].interface, "eth2");
    EXPECT_EQ(l[0].type, LinkbeatType::default_type);
    EXPECT_EQ(l[0].loc.line, 2U);
    EXPECT_EQ(l[1].type, LinkbeatType::ethtool);
    EXPECT_EQ(l[2].type, LinkbeatType::mii);
    EXPECT_EQ(l[3].type, LinkbeatType::ioctl);
}

TEST(Linkbeat, BadTypeAndExtraWords) {
    auto r = load("linkbeat_interfaces {\n  eth2 mii\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:2:8: error: linkbeat_interfaces: expected one of "
                         "MII|ETHTOOL|IOCTL, got 'mii'"));
    r = load("linkbeat_interfaces {\n  eth2 MII x\n}\n");
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(has_diag(r, "keepalived.conf:2:12: warning"));
}

TEST(Linkbeat, DuplicateInterfaceWarns) {
    const auto r = load("linkbeat_interfaces {\n  eth2\n  eth2 MII\n}\n");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:2:3: warning: linkbeat interface 'eth2' is listed "
                         "again later"));
}

TEST(UpDownDelays, DownAndUp) {
    const auto r = load(
        "interface_up_down_delays {\n  eth0 1\n  eth1 1.5 2\n  eth2 0.00001 255\n  eth3 0\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& d = r.model->globals.interface_up_down_delays;
    ASSERT_EQ(d.size(), 4U);
    EXPECT_EQ(d[0].interface, "eth0");
    EXPECT_EQ(d[0].down_delay, seconds(1));
    EXPECT_EQ(d[0].up_delay, seconds(0));  // 0 when not given, as keepalived 2.2.7 runs it
    EXPECT_EQ(d[1].down_delay, milliseconds(1500));
    EXPECT_EQ(d[1].up_delay, seconds(2));
    EXPECT_EQ(d[2].down_delay, Micros(10));
    EXPECT_EQ(d[2].up_delay, seconds(255));
    EXPECT_EQ(d[3].down_delay, Micros(0));
}

TEST(UpDownDelays, Errors) {
    auto r = load("interface_up_down_delays {\n  eth2 256\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:2:8: error: interface_up_down_delays: 256 is out of "
                         "range; expected seconds in [0, 255]"));
    r = load("interface_up_down_delays {\n  eth5 0.0000001\n}\n");
    EXPECT_TRUE(has_diag(r, "keepalived.conf:2:8: error"));
    r = load("interface_up_down_delays {\n  eth5 1 x\n}\n");
    EXPECT_TRUE(has_diag(r, "keepalived.conf:2:10: error"));
    r = load("interface_up_down_delays {\n  eth5\n}\n");
    EXPECT_TRUE(
        has_diag(r, "keepalived.conf:2:7: error: interface_up_down_delays: missing argument"));
    r = load("interface_up_down_delays {\n  eth5 1 2 3\n}\n");
    EXPECT_TRUE(has_diag(r, "keepalived.conf:2:12: warning"));
}

TEST(TrackGroup, Members) {
    std::string instances;
    for (const char* vi : {"VI_1", "VI_2", "VI_3"})
        instances += std::string("vrrp_instance ") + vi +
                     " {\n interface eth0\n virtual_router_id " + std::string(1, vi[3]) +
                     "\n virtual_ipaddress {\n 192.0.2.1\n }\n}\n";
    const auto r =
        load("track_group GROUP1 {\n  group {\n    VI_1\n    VI_2 VI_3\n  }\n}\n" + instances);
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& t = r.model->globals.track_groups;
    ASSERT_EQ(t.size(), 1U);
    EXPECT_EQ(t[0].name, "GROUP1");
    EXPECT_EQ(t[0].loc.line, 1U);
    EXPECT_EQ(t[0].loc.col, 13U);
    ASSERT_EQ(t[0].group.size(), 3U);
    EXPECT_EQ(t[0].group[0].instance, "VI_1");
    EXPECT_EQ(t[0].group[0].loc.line, 3U);
    EXPECT_EQ(t[0].group[2].instance, "VI_3");
    EXPECT_EQ(t[0].group[2].loc.col, 10U);
}

TEST(TrackGroup, Errors) {
    auto r = load(
        "track_group G1 {\n group {\n VI_1\n }\n}\ntrack_group G1 {\n group {\n VI_2\n }\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r, "keepalived.conf:6:13: error: track_group 'G1' is already defined"));
    r = load("track_group {\n group {\n VI_1\n }\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r, "keepalived.conf:1:12: error: track_group: missing argument"));
    r = load("track_group G1 {\n foo\n}\n");
    EXPECT_TRUE(has_diag(r, "keepalived.conf:2:2: warning: unknown keyword 'foo' in track_group"));
    r = load("track_group G1\n");
    EXPECT_FALSE(r.ok());
}

TEST(TrackGroup, ReferencesMustExist) {
    const auto r = load(
        "static_ipaddress {\n  10.1.1.1/24 dev eth0 track_group NOPE\n}\n"
        "static_routes {\n  10.0.0.0/8 dev eth0 track_group NOPE2\n}\n"
        "static_rules {\n  from 10.0.0.0/8 table 5 preference 5 iif eth0 track_group G\n}\n"
        "track_group G {\n group {\n VI_1\n }\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r, "keepalived.conf:2:3: error: track_group 'NOPE' is not defined"));
    EXPECT_TRUE(has_diag(r, "keepalived.conf:5:3: error: track_group 'NOPE2' is not defined"));
    EXPECT_FALSE(has_diag(r, "track_group 'G' is not defined"));
}

TEST(StaticIpaddress, ManPageExample) {
    const auto r = load(
        "static_ipaddress {\n  192.168.1.1/24 dev eth0 scope global\n"
        "  2001:db8::1/64 dev eth1 preferred_lft forever\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& a = r.model->globals.static_addresses;
    ASSERT_EQ(a.size(), 2U);
    EXPECT_EQ(a[0].address.to_string(), "192.168.1.1/24");
    EXPECT_EQ(a[0].dev, "eth0");
    EXPECT_EQ(a[0].scope, 0);
    EXPECT_EQ(a[1].preferred_lft, 0xFFFFFFFFU);
}

const char* const full_bfd = R"(bfd_instance B1 {
  neighbor_ip 10.0.0.1
  source_ip 10.0.0.2
  min_rx 3.312
  min_tx 20
  idle_tx 1500.5
  multiplier 7
  passive
  ttl 200
  hoplimit 32
  max_hops 5
  weight -253 reverse
  vrrp
  checker
}
)";

TEST(Bfd, AllKeywords) {
    const auto r = load(full_bfd);
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    ASSERT_EQ(r.model->globals.bfd_instances.size(), 1U);
    const auto& b = r.model->globals.bfd_instances[0];
    EXPECT_EQ(b.name, "B1");
    EXPECT_EQ(b.loc.line, 1U);
    EXPECT_EQ(b.neighbor_ip->to_string(), "10.0.0.1");
    EXPECT_EQ(b.source_ip->to_string(), "10.0.0.2");
    EXPECT_EQ(b.min_rx, Micros(3312));
    EXPECT_EQ(b.min_tx, milliseconds(20));
    EXPECT_EQ(b.idle_tx, Micros(1500500));
    EXPECT_EQ(b.multiplier, 7U);
    EXPECT_TRUE(b.passive);
    EXPECT_EQ(b.ttl, 200U);
    EXPECT_EQ(b.hoplimit, 32U);
    EXPECT_EQ(b.max_hops, 5U);
    EXPECT_EQ(b.weight.weight, -253);
    EXPECT_TRUE(b.weight.reverse);
    EXPECT_TRUE(b.vrrp);
    EXPECT_TRUE(b.checker);
}

TEST(Bfd, DefaultsAndNeighbourSpelling) {
    const auto r = load("bfd_instance B2 {\n  neighbour_ip fe80::1\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& b = r.model->globals.bfd_instances[0];
    EXPECT_EQ(b.neighbor_ip->to_string(), "fe80::1");
    EXPECT_FALSE(b.source_ip.has_value());
    EXPECT_EQ(b.min_rx, milliseconds(10));
    EXPECT_EQ(b.min_tx, milliseconds(10));
    EXPECT_EQ(b.idle_tx, milliseconds(1000));
    EXPECT_EQ(b.multiplier, 5U);
    EXPECT_FALSE(b.passive);
    EXPECT_EQ(b.ttl, 255U);
    EXPECT_EQ(b.hoplimit, 64U);
    EXPECT_EQ(b.max_hops, 0U);
    EXPECT_EQ(b.weight.weight, 0);
    EXPECT_FALSE(b.weight.reverse);
    EXPECT_FALSE(b.vrrp);
    EXPECT_FALSE(b.checker);
}

struct BadBfd {
    const char* line;
    unsigned col;
    const char* message;
};
class BfdBadValue : public ::testing::TestWithParam<BadBfd> {};

TEST_P(BfdBadValue, IsAnError) {
    const auto& p = GetParam();
    const auto r =
        load(std::string("bfd_instance B1 {\n  neighbor_ip 10.0.0.1\n  ") + p.line + "\n}\n");
    EXPECT_FALSE(r.ok()) << p.line;
    EXPECT_TRUE(has_diag(r, "keepalived.conf:3:" + std::to_string(p.col) + ": error: "))
        << p.line << "\n"
        << testing::diags(r);
    EXPECT_TRUE(has_diag(r, p.message)) << testing::diags(r);
}

INSTANTIATE_TEST_SUITE_P(
    Values, BfdBadValue,
    ::testing::Values(BadBfd{"min_rx 0", 10, "expected milliseconds in [1, 4294967]"},
                      BadBfd{"min_tx 4294968", 10, "expected milliseconds in [1, 4294967]"},
                      BadBfd{"min_tx 4294967.295", 10, "expected milliseconds"},
                      BadBfd{"idle_tx 999", 11, "expected milliseconds in [1000, 4294967]"},
                      BadBfd{"idle_tx 1000.0001", 11, "expected milliseconds"},
                      BadBfd{"multiplier 0", 14, "expected an integer in [1, 255]"},
                      BadBfd{"multiplier 256", 14, "expected an integer in [1, 255]"},
                      BadBfd{"ttl 0", 7, "expected an integer in [1, 255]"},
                      BadBfd{"hoplimit 256", 12, "expected an integer in [1, 255]"},
                      BadBfd{"max_hops 256", 12, "expected an integer in [0, 255]"},
                      BadBfd{"weight 254", 10, "expected an integer in [-253, 253]"},
                      BadBfd{"weight 5 foo", 12, "expected one of reverse"},
                      BadBfd{"source_ip nowhere", 13, "expected an IPv4 or IPv6 address"}));

TEST(Bfd, InstanceChecks) {
    auto r = load(
        "bfd_instance B1 {\n neighbor_ip 10.0.0.1\n}\nbfd_instance B1 {\n neighbor_ip "
        "10.0.0.2\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r, "keepalived.conf:4:14: error: bfd_instance 'B1' is already defined"));

    r = load("bfd_instance B3 {\n min_rx 5\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r, "keepalived.conf:1:14: error: bfd_instance 'B3' has no neighbor_ip"));

    r = load("bfd_instance B1 {\n neighbor_ip 10.0.0.1\n source_ip ::1\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r, "different address families"));

    r = load(
        "bfd_instance B1 {\n neighbor_ip 10.0.0.1\n}\nbfd_instance B5 {\n neighbor_ip "
        "10.0.0.1\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:4:14: error: bfd_instance 'B5' has the same "
                         "neighbor_ip 10.0.0.1 as bfd_instance 'B1'"));

    r = load("bfd_instance 123456789012345678901234567890123 {\n neighbor_ip 10.0.0.1\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:14: error: bfd_instance: bfd_instance name longer "
                         "than 31 characters"));

    r = load("bfd_instance {\n neighbor_ip 10.0.0.1\n}\n");
    EXPECT_FALSE(r.ok());
}

TEST(Bfd, MaxHopsBeyondTtlIsClamped) {
    const auto r = load("bfd_instance B1 {\n neighbor_ip 10.0.0.1\n ttl 10\n max_hops 20\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(r.model->globals.bfd_instances[0].max_hops, 10U);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:14: warning: bfd_instance 'B1': max_hops 20 "
                         "exceeds the ttl 10"));
}

TEST(Dump, GlobalAreaFields) {
    const auto r =
        load(std::string("global_defs {\n router_id R1\n vrrp_garp_interval 0.5\n"
                         " lvs_sync_daemon eth0 VI_1 id 3\n}\n"
                         "linkbeat_interfaces {\n eth1 MII\n}\n"
                         "interface_up_down_delays {\n eth1 1.5\n}\n"
                         "track_group G1 {\n group {\n VI_1\n }\n}\n"
                         "static_routes {\n 10.0.0.0/8 via 10.1.1.1 dev eth0 mtu lock 1400\n}\n"
                         "static_rules {\n from 10.0.0.0/8 table main preference 5\n}\n"
                         "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
                         " virtual_ipaddress {\n 192.0.2.1\n }\n}\n") +
             full_bfd);
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const std::string j = dump_json(*r.model);
    for (const char* needle : {R"("router_id": "R1")",
                               R"("vrrp_garp_interval": 0.5)",
                               R"("vrrp_version": 2)",
                               R"("smtp_connect_timeout": 30)",
                               R"("vrrp_mcast_group4": "224.0.0.18")",
                               R"("notification_email_from": "keepalived@director1.example.com")",
                               R"("inst": "VI_1")",
                               R"("id": 3)",
                               R"("port": 8848)",
                               R"("group": "224.0.0.81")",
                               R"("type": "MII")",
                               R"("down_delay": 1.5)",
                               R"("up_delay": 0)",
                               R"("name": "G1")",
                               R"("via": "10.1.1.1")",
                               R"("mtu": {)",
                               R"("lock": true)",
                               R"("table": 254)",
                               R"("preference": 5)",
                               R"("action": "table")",
                               R"("min_rx_ms": 3.312)",
                               R"("weight": -253)",
                               R"("reverse": true)",
                               R"("nftables_ipvs_start_fwmark": 1000)",
                               R"("vmac_prefix": "vrrp")",
                               R"("umask": 18)",
                               R"("dbus_service_name": "org.keepalived.Vrrp1")"})
        EXPECT_NE(j.find(needle), std::string::npos) << needle << "\n" << j;
}

}  // namespace
}  // namespace vigil::config
