// vrrp_instance keywords: values stored, defaults, aliases and value errors.
#include <gtest/gtest.h>

#include "test_util.h"

namespace vigil::config {
namespace {

using namespace std::chrono_literals;
using testing::has_diag;
using testing::load;

// An instance with the required settings; `body` starts on line 7, so a keyword indented
// by 4 spaces is at column 5.
std::string inst(std::string_view body) {
    return "vrrp_instance VI_1 {\n"
           "    interface eth0\n"
           "    virtual_router_id 51\n"
           "    virtual_ipaddress {\n"
           "        10.0.0.1\n"
           "    }\n" +
           std::string(body) + "}\n";
}

const VrrpInstance& vi0(const LoadResult& r) {
    return r.model->vrrp.instances.at(0);
}

TEST(VrrpInstance, MinimalDefaults) {
    const auto r = load(inst(""));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& vi = vi0(r);
    EXPECT_EQ(vi.name, "VI_1");
    EXPECT_EQ(vi.loc.line, 1U);
    EXPECT_EQ(vi.interface, "eth0");
    EXPECT_EQ(vi.virtual_router_id, 51);
    EXPECT_EQ(vi.state, InitialState::backup);
    EXPECT_EQ(vi.priority, 100);
    EXPECT_EQ(vi.advert_interval, 1s);
    EXPECT_TRUE(vi.preempt);
    EXPECT_EQ(vi.preempt_delay, 0us);
    EXPECT_EQ(vi.debug, 0);
    EXPECT_EQ(vi.family, Family::inet);
    // Settings keepalived takes from global_defs hold their resolved defaults.
    EXPECT_EQ(vi.version, 2);
    EXPECT_FALSE(vi.accept.has_value());  // decided by the VRRP core: accept unless strict
    EXPECT_EQ(vi.strict_mode, false);
    EXPECT_EQ(vi.garp_master_delay, 5s);
    EXPECT_EQ(vi.garp_master_repeat, 5U);
    EXPECT_EQ(vi.garp_lower_prio_delay, 5s);
    EXPECT_EQ(vi.garp_lower_prio_repeat, 5U);
    EXPECT_EQ(vi.garp_master_refresh, 0s);
    EXPECT_EQ(vi.garp_master_refresh_repeat, 1U);
    EXPECT_FALSE(vi.garp_extra_if.has_value());
    EXPECT_EQ(vi.down_timer_adverts, 3);
    EXPECT_EQ(vi.lower_prio_no_advert, false);
    EXPECT_EQ(vi.higher_prio_send_advert, false);
    EXPECT_EQ(vi.skip_check_adv_addr, false);
    EXPECT_EQ(vi.notify_priority_changes, false);
    EXPECT_EQ(vi.smtp_alert, false);
    EXPECT_FALSE(vi.authentication.has_value());
    EXPECT_EQ(vi.old_unicast_checksum, OldUnicastChecksum::auto_detect);
    ASSERT_EQ(vi.virtual_ipaddresses.size(), 1U);
    EXPECT_EQ(vi.virtual_ipaddresses[0].address.to_string(), "10.0.0.1/32");
    EXPECT_EQ(r.diags.warning_count(), 0U) << testing::diags(r);
}

TEST(VrrpInstance, StateAndPriority) {
    auto r = load(inst("    state MASTER\n    priority 150\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(vi0(r).state, InitialState::master);
    EXPECT_EQ(vi0(r).priority, 150);
    // keepalived: state MASTER without a priority makes the instance the address owner.
    r = load(inst("    state MASTER\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).priority, 255);
    r = load(inst("    state BACKUP\n    priority 1\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).state, InitialState::backup);
    EXPECT_EQ(vi0(r).priority, 1);
}

TEST(VrrpInstance, ValueErrors) {
    struct Case {
        std::string body;
        std::string where;
        std::string what;
    };
    const std::vector<Case> cases = {
        {"    state master\n", "keepalived.conf:7:11: error:", "expected one of MASTER|BACKUP"},
        {"    priority 0\n", "keepalived.conf:7:14: error:", "[1, 255]"},
        {"    priority 256\n", "keepalived.conf:7:14: error:", "[1, 255]"},
        {"    virtual_router_id 0\n", "keepalived.conf:7:23: error:", "[1, 255]"},
        {"    advert_int 0\n", "keepalived.conf:7:16: error:", "out of range"},
        {"    advert_int 256\n", "keepalived.conf:7:16: error:", "out of range"},
        {"    advert_int abc\n", "keepalived.conf:7:16: error:", "expected seconds"},
        {"    preempt_delay 1000.5\n", "keepalived.conf:7:19: error:", "[0, 1000]"},
        {"    debug 5\n", "keepalived.conf:7:11: error:", "[0, 4]"},
        {"    down_timer_adverts 0\n", "keepalived.conf:7:24: error:", "[1, 100]"},
        {"    down_timer_adverts 101\n", "keepalived.conf:7:24: error:", "[1, 100]"},
        {"    version 4\n", "keepalived.conf:7:13: error:", "[2, 3]"},
        {"    unicast_ttl 256\n", "keepalived.conf:7:17: error:", "[0, 255]"},
        {"    garp_master_delay 1.5\n", "keepalived.conf:7:23: error:", "expected an integer"},
        {"    garp_master_delay -1\n", "keepalived.conf:7:23: error:", "out of range"},
        {"    garp_master_repeat 0\n", "keepalived.conf:7:24: error:", "[1, 4294967295]"},
        {"    garp_master_refresh 1.5\n", "keepalived.conf:7:25: error:", "expected an integer"},
        {"    garp_master_refresh_repeat 0\n", "keepalived.conf:7:32: error:", "[1, "},
        {"    garp_extra_if foo 5\n", "keepalived.conf:7:19: error:", "expected 'all'"},
        {"    garp_extra_if all\n", "keepalived.conf:7:22: error:", "missing argument"},
        {"    lower_prio_no_advert maybe\n", "keepalived.conf:7:26: error:", "on|off"},
        {"    strict_mode maybe\n", "keepalived.conf:7:17: error:", "on|off"},
        {"    kernel_rx_buf_size 1K\n", "keepalived.conf:7:24: error:", "expected an integer"},
        {"    mcast_src_ip 10.0.0\n", "keepalived.conf:7:18: error:", "IPv4 or IPv6"},
        {"    mcast_dst_ip 10.0.0.1\n", "keepalived.conf:7:18: error:", "multicast"},
        {"    mcast_dst_ip ff05::12\n", "keepalived.conf:7:18: error:", "link-local IPv6"},
        {"    interface averyveryverylongname\n",
         "keepalived.conf:7:15: error:", "invalid interface name"},
        {"    use_vmac 02:00:5e\n", "keepalived.conf:7:14: error:", "MAC address"},
        {"    use_vmac 02:00:5e:00:zz\n", "keepalived.conf:7:14: error:", "MAC address"},
        {"    use_vmac a b\n", "keepalived.conf:7:16: error:", "already specified"},
        {"    use_vmac averyveryverylongname\n",
         "keepalived.conf:7:14: error:", "invalid VMAC interface name"},
        {"    old_unicast_checksum always\n", "keepalived.conf:7:26: error:", "never"},
        {"    notify_master\n", "keepalived.conf:7:18: error:", "missing argument"},
        {"    virtual_ipaddress_excluded {\n        10.0.0.300\n    }\n",
         "keepalived.conf:8:9: error:", "ADDRESS[/PREFIX]"},
        {"    state\n", "keepalived.conf:7:10: error:", "missing argument"},
        {"    track_script s\n", "keepalived.conf:7:19: error:", "expects a block"},
        {"    preempt {\n    }\n", "keepalived.conf:7:13: error:", "does not take a block"},
    };
    for (const auto& c : cases) {
        const auto r = load(inst(c.body));
        EXPECT_FALSE(r.ok()) << c.body;
        EXPECT_TRUE(has_diag(r, c.where)) << c.body << testing::diags(r);
        EXPECT_TRUE(has_diag(r, c.what)) << c.body << testing::diags(r);
    }
}

// keepalived 2.2.7 takes unicast_src_ip 192.0.2.1/24 as 192.0.2.1 (measured).
TEST(VrrpInstance, SourceAddressWithAPrefix) {
    const auto r = load(inst("    unicast_src_ip 10.1.1.1/24\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(r.model->vrrp.instances.at(0).mcast_src_ip->to_string(), "10.1.1.1");
    EXPECT_TRUE(testing::has_diag(r, "warning: unicast_src_ip: the prefix length is ignored"))
        << testing::diags(r);
}

TEST(VrrpInstance, UnknownKeywordIsAWarning) {
    const auto r = load(inst("    no_preempt\n    garp_extra_if_vmac 5\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(has_diag(r, "keepalived.conf:7:5: warning: unknown keyword 'no_preempt'"));
    EXPECT_TRUE(has_diag(r, "did you mean 'nopreempt'?"));
    EXPECT_TRUE(has_diag(r, "keepalived.conf:8:5: warning: unknown keyword 'garp_extra_if_vmac'"));
}

TEST(VrrpInstance, InterfaceOptions) {
    const auto r =
        load(inst("    use_vmac vrrp.51 02:00:5e:00:01\n"
                  "    use_vmac_addr\n"
                  "    dont_track_primary\n"
                  "    native_ipv6\n"));
    // native_ipv6 with an IPv4 VIP is a family mismatch.
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:5:9: error: vrrp_instance 'VI_1': virtual_ipaddress "
                         "10.0.0.1/32 is not IPv6"))
        << testing::diags(r);

    const auto r2 =
        load(inst("    use_vmac vrrp.51 02:00:5e:00:01\n"
                  "    use_vmac_addr\n"
                  "    vmac_xmit_base\n"
                  "    dont_track_primary\n"
                  "    promote_secondaries\n"
                  "    linkbeat_use_polling\n"
                  "    track_src_ip\n"
                  "    mcast_src_ip 10.1.1.1\n"
                  "    mcast_dst_ip 224.0.0.19\n"
                  "    debug 3\n"
                  "    kernel_rx_buf_size 65536\n"
                  "    lvs_sync_daemon_interface eth1\n"));
    ASSERT_TRUE(r2.ok()) << testing::diags(r2);
    const auto& vi = vi0(r2);
    EXPECT_TRUE(vi.use_vmac);
    EXPECT_EQ(vi.vmac_name, "vrrp.51");
    ASSERT_TRUE(vi.vmac_mac.has_value());
    // 5 octets: the VRID is the last one.
    EXPECT_EQ((*vi.vmac_mac)[4], 0x01);
    EXPECT_EQ((*vi.vmac_mac)[5], 51);
    EXPECT_TRUE(vi.use_vmac_addr);
    EXPECT_TRUE(vi.vmac_xmit_base);
    EXPECT_TRUE(vi.dont_track_primary);
    EXPECT_TRUE(vi.promote_secondaries);
    EXPECT_TRUE(vi.linkbeat_use_polling);
    EXPECT_TRUE(vi.track_src_ip);
    EXPECT_EQ(vi.mcast_src_ip->to_string(), "10.1.1.1");
    EXPECT_EQ(vi.mcast_dst_ip.to_string(), "224.0.0.19");
    EXPECT_EQ(vi.debug, 3);
    EXPECT_EQ(vi.kernel_rx_buf_size, 65536U);
    EXPECT_EQ(vi.lvs_sync_daemon_interface, "eth1");
    EXPECT_TRUE(has_diag(r2, "keepalived.conf:12:5: warning: linkbeat_use_polling: deprecated"));
    EXPECT_TRUE(has_diag(r2,
                         "keepalived.conf:18:31: warning: lvs_sync_daemon_interface: "
                         "deprecated"));
}

TEST(VrrpInstance, UseVmacForms) {
    auto r = load(inst("    use_vmac\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(vi0(r).use_vmac);
    EXPECT_EQ(vi0(r).vmac_name, "");
    EXPECT_FALSE(vi0(r).vmac_mac.has_value());
    r = load(inst("    use_vmac 02:00:5E:00:01:33\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ((*vi0(r).vmac_mac)[5], 0x33);
    EXPECT_FALSE(vi0(r).vmac_mac_from_vrid);
}

TEST(VrrpInstance, UseIpvlan) {
    auto r = load(inst("    use_ipvlan ipv1 10.0.0.9/24 private\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_TRUE(vi0(r).use_ipvlan);
    EXPECT_EQ(vi0(r).ipvlan_name, "ipv1");
    EXPECT_EQ(vi0(r).ipvlan_address->to_string(), "10.0.0.9/24");
    EXPECT_EQ(vi0(r).ipvlan_mode, IpvlanMode::private_);
    r = load(inst("    use_ipvlan 10.0.0.9 vepa\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).ipvlan_name, "");
    EXPECT_EQ(vi0(r).ipvlan_mode, IpvlanMode::vepa);
    // An IPv4 ipvlan needs an address.
    r = load(inst("    use_ipvlan\n"));
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:1: error: vrrp_instance 'VI_1': an IPv4 "
                         "use_ipvlan needs an address"));
}

TEST(VrrpInstance, VrfOnlyWithoutInterface) {
    const auto r = load(inst("    vrf red\n"));
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:7:9: error: vrrp_instance 'VI_1': vrf cannot be "
                         "used with interface"));
    const auto r2 = load(
        "vrrp_instance U {\n    vrf red\n    virtual_router_id 3\n    unicast_peer {\n"
        "        10.1.1.2\n    }\n    virtual_ipaddress {\n        10.0.0.1\n    }\n}\n");
    ASSERT_TRUE(r2.ok()) << testing::diags(r2);
    EXPECT_EQ(vi0(r2).vrf, "red");
    EXPECT_EQ(vi0(r2).interface, "");
}

TEST(VrrpInstance, TrackBlocks) {
    const auto r = load(
        "vrrp_script chk {\n    script /bin/true\n}\n"
        "track_file tf {\n    file /tmp/x\n}\n"
        "vrrp_track_process tp {\n    process sshd\n}\n" +
        inst("    track_interface {\n"
             "        eth1\n"
             "        eth2 weight -253 reverse\n"
             "    }\n"
             "    track_script {\n"
             "        chk weight 10 noreverse\n"
             "    }\n"
             "    track_file {\n"
             "        tf weight 254 reverse\n"
             "    }\n"
             "    track_process {\n"
             "        tp\n"
             "    }\n"
             "    track_bfd {\n"
             "        bfd1 weight -5\n"
             "        bfd2\n"
             "    }\n") +
        "bfd_instance bfd1 {\n    neighbor_ip 192.0.2.8\n}\n"
        "bfd_instance bfd2 {\n    neighbor_ip 192.0.2.9\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& vi = vi0(r);
    ASSERT_EQ(vi.track_interfaces.size(), 2U);
    EXPECT_EQ(vi.track_interfaces[0].name, "eth1");
    EXPECT_FALSE(vi.track_interfaces[0].weight.has_value());
    EXPECT_EQ(vi.track_interfaces[1].weight, -253);
    EXPECT_TRUE(vi.track_interfaces[1].reverse);
    EXPECT_EQ(vi.track_interfaces[1].loc.line, 18U);
    EXPECT_EQ(vi.track_interfaces[1].loc.col, 9U);
    ASSERT_EQ(vi.track_scripts.size(), 1U);
    EXPECT_EQ(vi.track_scripts[0].weight, 10);
    EXPECT_FALSE(vi.track_scripts[0].reverse);
    ASSERT_EQ(vi.track_files.size(), 1U);
    EXPECT_EQ(vi.track_files[0].weight, 254);
    EXPECT_TRUE(vi.track_files[0].reverse);
    ASSERT_EQ(vi.track_processes.size(), 1U);
    EXPECT_EQ(vi.track_processes[0].name, "tp");
    // track_bfd names are kept unchecked (bfd_instance is in the global area).
    ASSERT_EQ(vi.track_bfds.size(), 2U);
    EXPECT_EQ(vi.track_bfds[0].name, "bfd1");
    EXPECT_EQ(vi.track_bfds[0].weight, -5);
    EXPECT_EQ(vi.track_bfds[1].loc.line, 31U);
}

// keepalived 2.2.7 ignores words it does not know on a tracking line ("unknown track script
// option X - ignoring"): so does vigil, with a warning, keeping the tracked object.
TEST(VrrpInstance, UnknownTrackLineWordsAreWarnings) {
    struct Case {
        std::string block;
        std::string where;
    };
    const std::vector<Case> cases = {
        {"track_interface {\n        eth1 reverse\n", "keepalived.conf:8:14: warning:"},
        {"track_interface {\n        eth1 weight 5 noreverse\n", "keepalived.conf:8:23: warning:"},
        {"track_script {\n        s weight 5 no_reverse\n", "keepalived.conf:8:20: warning:"},
        {"track_script {\n        s bogus\n", "keepalived.conf:8:11: warning:"},
    };
    for (const auto& c : cases) {
        const auto r =
            load(inst("    " + c.block + "    }\n") + "vrrp_script s {\n    script /bin/true\n}\n");
        EXPECT_TRUE(r.ok()) << c.block << testing::diags(r);
        EXPECT_TRUE(has_diag(r, c.where)) << c.block << testing::diags(r);
        EXPECT_TRUE(has_diag(r, "ignored")) << c.block << testing::diags(r);
    }
}

TEST(VrrpInstance, TrackLineErrors) {
    struct Case {
        std::string block;
        std::string where;
        std::string what;
    };
    const std::vector<Case> cases = {
        {"track_interface {\n        eth1 weight 254\n",
         "keepalived.conf:8:21: error:", "[-253, 253]"},
        {"track_script {\n        s weight -254\n", "keepalived.conf:8:18: error:", "[-253, 253]"},
        {"track_script {\n        s weight\n", "keepalived.conf:8:17: error:", "missing argument"},
        {"track_file {\n        f weight 255\n", "keepalived.conf:8:18: error:", "[-254, 254]"},
        {"track_process {\n        p weight -255\n", "keepalived.conf:8:18: error:", "[-254, 254]"},
        {"track_bfd {\n        b weight 254\n", "keepalived.conf:8:18: error:", "[-253, 253]"},
    };
    for (const auto& c : cases) {
        const auto r = load(inst("    " + c.block + "    }\n"));
        EXPECT_FALSE(r.ok()) << c.block;
        EXPECT_TRUE(has_diag(r, c.where)) << c.block << testing::diags(r);
        EXPECT_TRUE(has_diag(r, c.what)) << c.block << testing::diags(r);
    }
}

TEST(VrrpInstance, DuplicateTrackLineIsWarned) {
    const auto r =
        load(inst("    track_interface {\n        eth1\n        eth1 weight 5\n    }\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).track_interfaces.size(), 1U);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:9:9: warning: track_interface: duplicate "
                         "track_interface 'eth1'; ignored"))
        << testing::diags(r);
}

TEST(VrrpInstance, SourceAndDestinationAliases) {
    auto r =
        load(inst("    unicast_src_ip 10.1.1.1\n    unicast_peer {\n        10.1.1.2\n    }\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(vi0(r).mcast_src_ip->to_string(), "10.1.1.1");
    r = load(inst("    mcast_src_ip 10.1.1.9\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).mcast_src_ip->to_string(), "10.1.1.9");
}

TEST(VrrpInstance, Unicast) {
    const auto r =
        load(inst("    check_unicast_src\n"
                  "    unicast_fault_no_peer\n"
                  "    unicast_ttl 10\n"
                  "    old_unicast_checksum never\n"
                  "    unicast_peer {\n"
                  "        10.1.1.2 min_ttl 5 max_ttl 10\n"
                  "        10.1.1.3\n"
                  "        10.1.1.4/24 max_ttl 200\n"
                  "    }\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& vi = vi0(r);
    EXPECT_TRUE(vi.check_unicast_src);
    EXPECT_TRUE(vi.unicast_fault_no_peer);
    EXPECT_EQ(vi.unicast_ttl, 10);
    EXPECT_EQ(vi.old_unicast_checksum, OldUnicastChecksum::never);
    ASSERT_EQ(vi.unicast_peers.size(), 3U);
    EXPECT_EQ(vi.unicast_peers[0].address.to_string(), "10.1.1.2");
    EXPECT_EQ(vi.unicast_peers[0].min_ttl, 5);
    EXPECT_EQ(vi.unicast_peers[0].max_ttl, 10);
    EXPECT_FALSE(vi.unicast_peers[1].min_ttl.has_value());
    EXPECT_EQ(vi.unicast_peers[2].address.to_string(), "10.1.1.4");
    EXPECT_EQ(vi.unicast_peers[2].max_ttl, 200);
    EXPECT_EQ(vi.unicast_peers[2].loc.line, 14U);

    const auto r2 =
        load(inst("    old_unicast_checksum\n    unicast_peer {\n        10.1.1.2\n    }\n"));
    ASSERT_TRUE(r2.ok());
    EXPECT_EQ(vi0(r2).old_unicast_checksum, OldUnicastChecksum::on);
}

TEST(VrrpInstance, TtlTurnsOnCheckUnicastSrc) {
    const auto r = load(inst("    unicast_peer {\n        10.1.1.2 min_ttl 5\n    }\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(vi0(r).check_unicast_src);
}

TEST(VrrpInstance, UnicastPeerErrors) {
    auto r = load(inst("    unicast_peer {\n        10.1.1.2 min_ttl 50 max_ttl 10\n    }\n"));
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r, "keepalived.conf:8:9: error: unicast_peer: min_ttl 50 > max_ttl 10"));
    r = load(inst("    unicast_peer {\n        10.1.1.2 min_ttl 256\n    }\n"));
    EXPECT_TRUE(has_diag(r, "keepalived.conf:8:26: error:")) << testing::diags(r);
    r = load(inst("    unicast_peer {\n        10.1.1.2 foo 3\n    }\n"));
    EXPECT_TRUE(has_diag(r, "keepalived.conf:8:18: error: unicast_peer: unknown option 'foo'"));
    r = load(inst("    unicast_peer {\n        10.1.1.2 min_ttl\n    }\n"));
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:8:25: error: unicast_peer: missing value after "
                         "'min_ttl'"))
        << testing::diags(r);
    r = load(inst("    unicast_peer {\n        peer1\n    }\n"));
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:8:9: error: unicast_peer: expected an IPv4 or IPv6 "
                         "peer address, got 'peer1'"));
    r = load(inst("    unicast_peer {\n        10.1.1.2\n        10.1.1.2\n    }\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).unicast_peers.size(), 1U);
    EXPECT_TRUE(has_diag(r, "keepalived.conf:9:9: warning: unicast_peer: duplicate unicast peer"));
}

TEST(VrrpInstance, UnicastKeywordsWithoutPeers) {
    auto r = load(inst("    unicast_ttl 5\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).unicast_ttl, 255);  // multicast adverts always go with TTL 255
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:7:5: warning: vrrp_instance 'VI_1': unicast_ttl "
                         "without unicast_peer"));
    r = load(inst("    check_unicast_src\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:1: warning: vrrp_instance 'VI_1': a unicast "
                         "keyword is used without unicast_peer"));
}

TEST(VrrpInstance, UnicastVmacNeedsXmitBase) {
    const auto r = load(inst("    use_vmac\n    unicast_peer {\n        10.1.1.2\n    }\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(vi0(r).vmac_xmit_base);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:1: warning: vrrp_instance 'VI_1': unicast with "
                         "use_vmac requires vmac_xmit_base"));
}

TEST(VrrpInstance, VmacXmitBaseWithoutVmac) {
    const auto r = load(inst("    vmac_xmit_base\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(vi0(r).vmac_xmit_base);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:7:5: warning: vrrp_instance 'VI_1': vmac_xmit_base "
                         "is only valid with use_vmac"));
}

TEST(VrrpInstance, GarpSettings) {
    const auto r =
        load(inst("    garp_master_delay 10\n"
                  "    garp_master_repeat 3\n"
                  "    garp_lower_prio_delay 0\n"
                  "    garp_lower_prio_repeat 0\n"
                  "    garp_master_refresh 60\n"
                  "    garp_master_refresh_repeat 2\n"
                  "    garp_extra_if all 100\n"
                  "    down_timer_adverts 5\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& vi = vi0(r);
    EXPECT_EQ(vi.garp_master_delay, 10s);
    EXPECT_EQ(vi.garp_master_repeat, 3U);
    EXPECT_EQ(vi.garp_lower_prio_delay, 0s);
    EXPECT_EQ(vi.garp_lower_prio_repeat, 0U);
    EXPECT_EQ(vi.garp_master_refresh, 60s);
    EXPECT_EQ(vi.garp_master_refresh_repeat, 2U);
    ASSERT_TRUE(vi.garp_extra_if.has_value());
    EXPECT_TRUE(vi.garp_extra_if->all);
    EXPECT_EQ(vi.garp_extra_if->interval, 100s);
    EXPECT_EQ(vi.down_timer_adverts, 5);
    const auto r2 = load(inst("    garp_extra_if 0\n"));
    ASSERT_TRUE(r2.ok());
    EXPECT_FALSE(vi0(r2).garp_extra_if->all);
    EXPECT_EQ(vi0(r2).garp_extra_if->interval, 0s);
}

TEST(VrrpInstance, Booleans) {
    auto r =
        load(inst("    lower_prio_no_advert\n"
                  "    higher_prio_send_advert on\n"
                  "    skip_check_adv_addr false\n"
                  "    strict_mode off\n"
                  "    notify_priority_changes yes\n"
                  "    smtp_alert no\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& vi = vi0(r);
    EXPECT_EQ(vi.lower_prio_no_advert, true);
    EXPECT_EQ(vi.higher_prio_send_advert, true);
    EXPECT_EQ(vi.skip_check_adv_addr, false);
    EXPECT_EQ(vi.strict_mode, false);
    EXPECT_EQ(vi.notify_priority_changes, true);
    EXPECT_EQ(vi.smtp_alert, false);
    r = load(inst("    lower_prio_no_advert off\n    skip_check_adv_addr\n    smtp_alert\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).lower_prio_no_advert, false);
    EXPECT_EQ(vi0(r).skip_check_adv_addr, true);
    EXPECT_EQ(vi0(r).smtp_alert, true);
}

TEST(VrrpInstance, AcceptAndPreempt) {
    auto r = load(inst("    accept\n    nopreempt\n    preempt_delay 4.12\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(vi0(r).accept, true);
    EXPECT_FALSE(vi0(r).preempt);
    EXPECT_EQ(vi0(r).preempt_delay, 4120ms);
    r = load(inst("    no_accept\n    nopreempt\n    preempt\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).accept, false);
    EXPECT_TRUE(vi0(r).preempt);
}

TEST(VrrpInstance, AdvertIntAndVersion) {
    auto r = load(inst("    advert_int 3\n    version 2\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).advert_interval, 3s);
    EXPECT_EQ(vi0(r).version, 2);
    r = load(inst("    advert_int 0.05\n    version 3\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(vi0(r).advert_interval, 50ms);
    EXPECT_EQ(vi0(r).version, 3);
    r = load(inst("    advert_int 40.95\n    version 3\n"));
    ASSERT_TRUE(r.ok());
    // An interval the version cannot carry is rounded to the nearest one it can (at least one
    // unit) and capped, as keepalived 2.2.7 does, with a warning. Version 2 explicitly, or
    // the default while global_defs does not say otherwise.
    r = load(inst("    advert_int 1.5\n    version 2\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).advert_interval, 2s);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:7:16: warning: vrrp_instance 'VI_1': VRRP version 2 "
                         "advert_int must be in whole seconds; rounded to 2s"));
    r = load(inst("    advert_int 0.4\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).advert_interval, 1s);
    r = load(inst("    advert_int 0.015\n    version 3\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).advert_interval, 20ms);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:7:16: warning: vrrp_instance 'VI_1': VRRP version 3 "
                         "advert_int must be in units of 0.01s; rounded to 0.02s"));
    r = load(inst("    advert_int 41\n    version 3\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).advert_interval, 40950ms);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:7:16: warning: vrrp_instance 'VI_1': VRRP version 3 "
                         "advert_int is at most 40.95s; set to 40.95s"));
    // Version 2 carries up to 255 s.
    r = load(inst("    advert_int 255\n"));
    ASSERT_TRUE(r.ok());
}

TEST(VrrpInstance, Authentication) {
    auto r =
        load(inst("    authentication {\n        auth_type PASS\n        auth_pass grr02\n"
                  "    }\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    ASSERT_TRUE(vi0(r).authentication.has_value());
    EXPECT_EQ(vi0(r).authentication->type, AuthType::pass);
    EXPECT_EQ(vi0(r).authentication->password, "grr02");
    r =
        load(inst("    authentication {\n        auth_type AH\n        auth_pass 123456789\n"
                  "    }\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).authentication->type, AuthType::ah);
    EXPECT_EQ(vi0(r).authentication->password, "12345678");
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:9:19: warning: auth_pass: only the first 8 "
                         "characters of the password are used"));
    r = load(inst("    authentication {\n        auth_type FOO\n    }\n"));
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:8:19: error: auth_type: expected one of PASS|AH, "
                         "got 'FOO'"));
    r = load(inst("    authentication {\n        auth_type PASS\n    }\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(vi0(r).authentication.has_value());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:7:5: warning: vrrp_instance 'VI_1': authentication "
                         "without auth_pass; ignored"));
    // RFC 5798 has no authentication.
    r =
        load(inst("    version 3\n    authentication {\n        auth_type PASS\n"
                  "        auth_pass x\n    }\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(vi0(r).authentication.has_value());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:8:5: warning: vrrp_instance 'VI_1': VRRP version 3 "
                         "has no authentication; ignored"));
}

TEST(VrrpInstance, AddressesRoutesRules) {
    const auto r = load(
        "vrrp_instance VI_1 {\n"
        "    interface eth0\n"
        "    virtual_router_id 51\n"
        "    virtual_ipaddress {\n"
        "        192.168.200.17/24 dev eth1\n"
        "        192.168.200.18/24 dev eth2 label eth2:1\n"
        "    }\n"
        "    virtual_ipaddress_excluded {\n"
        "        10.0.0.5\n"
        "        2001:db8::5/64\n"
        "    }\n"
        "    virtual_routes {\n"
        "        192.168.110.0/24 via 192.168.200.254 dev eth1\n"
        "        192.168.111.0/24 dev eth2 no_track\n"
        "    }\n"
        "    virtual_rules {\n"
        "        from 192.168.2.0/24 table 1\n"
        "    }\n"
        "}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& vi = vi0(r);
    ASSERT_EQ(vi.virtual_ipaddresses.size(), 2U);
    EXPECT_EQ(vi.virtual_ipaddresses[0].dev, "eth1");
    EXPECT_EQ(vi.virtual_ipaddresses[1].label, "eth2:1");
    // Excluded addresses may mix families.
    ASSERT_EQ(vi.virtual_ipaddresses_excluded.size(), 2U);
    EXPECT_TRUE(vi.virtual_ipaddresses_excluded[1].address.address.is_v6());
    ASSERT_EQ(vi.virtual_routes.size(), 2U);
    EXPECT_EQ(vi.virtual_routes[0].destination.to_string(), "192.168.110.0/24");
    EXPECT_EQ(vi.virtual_rules.size(), 1U);
}

// A second notify_master: keepalived 2.2.7 keeps the first and reports the second.
TEST(VrrpInstance, RepeatedNotifyScriptKeepsTheFirst) {
    const auto r = load(inst("    notify_master /bin/one.sh\n    notify_master /bin/two.sh\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(r.model->vrrp.instances.at(0).notify_master->argv,
              std::vector<std::string>{"/bin/one.sh"});
    EXPECT_TRUE(testing::has_diag(r, "warning: 'notify_master' is given again; the first one"))
        << testing::diags(r);
}

TEST(VrrpInstance, NotifyScripts) {
    const auto r =
        load(inst("    notify_master /bin/master.sh\n"
                  "    notify_backup \"/bin/backup.sh VI 1\" nobody nogroup\n"
                  "    notify_fault /bin/fault.sh root\n"
                  "    notify_stop /bin/stop.sh\n"
                  "    notify /bin/notify.sh\n"
                  "    notify_master_rx_lower_pri \"/bin/rx.sh a\"\n"
                  "    notify_deleted\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& vi = vi0(r);
    EXPECT_EQ(vi.notify_master->argv, std::vector<std::string>{"/bin/master.sh"});
    EXPECT_EQ(vi.notify_backup->argv, (std::vector<std::string>{"/bin/backup.sh", "VI", "1"}));
    EXPECT_EQ(vi.notify_backup->user, "nobody");
    EXPECT_EQ(vi.notify_backup->group, "nogroup");
    EXPECT_EQ(vi.notify_fault->user, "root");
    EXPECT_EQ(vi.notify_stop->argv[0], "/bin/stop.sh");
    EXPECT_EQ(vi.notify->argv[0], "/bin/notify.sh");
    EXPECT_EQ(vi.notify_master_rx_lower_pri->argv, (std::vector<std::string>{"/bin/rx.sh", "a"}));
    EXPECT_TRUE(vi.notify_deleted);
    EXPECT_FALSE(vi.notify_deleted_script.has_value());
    const auto r2 = load(inst("    notify_deleted /bin/deleted.sh\n"));
    ASSERT_TRUE(r2.ok());
    EXPECT_TRUE(vi0(r2).notify_deleted);
    EXPECT_EQ(vi0(r2).notify_deleted_script->argv[0], "/bin/deleted.sh");
}

TEST(VrrpInstance, MissingName) {
    const auto r = load("vrrp_instance {\n    interface eth0\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:14: error: vrrp_instance: missing argument; "
                         "expected 'vrrp_instance <NAME> {'"))
        << testing::diags(r);
}

}  // namespace
}  // namespace vigil::config

namespace vigil::config {
namespace {

// keepalived ignores surplus words after a keyword's arguments; vigil too, with a warning.
TEST(VrrpInstance, SurplusArgumentsAreWarnings) {
    for (const auto& [line, where] : std::vector<std::pair<std::string, std::string>>{
             {"    priority 100 extra\n", "keepalived.conf:7:18: warning:"},
             {"    nopreempt 1\n", "keepalived.conf:7:15: warning:"}}) {
        const auto r = testing::load(
            "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
            "    virtual_ipaddress {\n        192.0.2.1\n    }\n" +
            line + "}\n");
        EXPECT_TRUE(r.ok()) << testing::diags(r);
        EXPECT_TRUE(testing::has_diag(r, where)) << testing::diags(r);
        EXPECT_TRUE(testing::has_diag(r, "ignored")) << testing::diags(r);
    }
}

TEST(VrrpScript, SurplusArgumentIsAWarning) {
    const auto r = testing::load("vrrp_script s {\n    script /bin/true\n    init_fail 1\n}\n");
    EXPECT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_TRUE(testing::has_diag(r, "keepalived.conf:3:15: warning:")) << testing::diags(r);
}

}  // namespace
}  // namespace vigil::config
