// Checks made once the VRRP area is read: required settings, cross-references, families,
// versions, priority/state semantics and strict mode.
#include <gtest/gtest.h>

#include "test_util.h"

namespace vigil::config {
namespace {

using namespace std::chrono_literals;
using testing::has_diag;
using testing::load;

// `body` starts on line 7.
std::string inst(std::string_view body, std::string_view name = "VI_1",
                 std::string_view vip = "10.0.0.1") {
    return "vrrp_instance " + std::string(name) +
           " {\n"
           "    interface eth0\n"
           "    virtual_router_id 51\n"
           "    virtual_ipaddress {\n"
           "        " +
           std::string(vip) +
           "\n"
           "    }\n" +
           std::string(body) + "}\n";
}

const VrrpInstance& vi0(const LoadResult& r) {
    return r.model->vrrp.instances.at(0);
}

TEST(VrrpResolve, MissingInterfaceAndVrid) {
    auto r = load(
        "vrrp_instance A {\n    virtual_router_id 5\n    virtual_ipaddress {\n"
        "        10.0.0.1\n    }\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:1: error: vrrp_instance 'A' has no interface "
                         "(required unless unicast_peer is used)"));
    r = load("vrrp_instance A {\n    interface eth0\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:1: error: vrrp_instance 'A' has no "
                         "virtual_router_id"));
    // A rejected value leaves the VRID unset.
    r = load("vrrp_instance A {\n    interface eth0\n    virtual_router_id 300\n}\n");
    EXPECT_TRUE(has_diag(r, "keepalived.conf:3:23: error:"));
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:1: error: vrrp_instance 'A' has no "
                         "virtual_router_id"));
}

TEST(VrrpResolve, UnicastWithoutInterface) {
    auto r = load(
        "vrrp_instance A {\n    virtual_router_id 5\n    unicast_peer {\n"
        "        10.1.1.2\n    }\n    virtual_ipaddress {\n        10.0.0.1\n"
        "    }\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(vi0(r).interface, "");
    // IPv6 link-local peers need an interface.
    r = load(
        "vrrp_instance A {\n    virtual_router_id 5\n    unicast_peer {\n"
        "        fe80::2\n    }\n    virtual_ipaddress {\n        fe80::10\n    }\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:1: error: vrrp_instance 'A' has no interface, "
                         "which IPv6 link-local unicast peers require"));
}

// keepalived 2.2.7 keeps the first instance of a name and skips the others (measured).
TEST(VrrpResolve, DuplicateInstanceName) {
    const auto r = load(inst("") + inst("", "VI_1", "10.0.0.2"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:8:1: warning: vrrp_instance 'VI_1' is already defined "
                         "(at line 1); this one is skipped"))
        << testing::diags(r);
    ASSERT_EQ(r.model->vrrp.instances.size(), 1U);
    EXPECT_EQ(r.model->vrrp.instances[0].loc.line, 1U);
}

TEST(VrrpResolve, DuplicateVrid) {
    // Same VRID, interface and family, both multicast to the default group.
    auto r = load(inst("", "A") + inst("", "B", "10.0.0.2"));
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:8:1: error: vrrp_instance 'B' and 'A' (at line 1) "
                         "both use VRID 51 with IPv4 on interface eth0"))
        << testing::diags(r);
    // Different families use different sockets.
    r = load(inst("", "A") + inst("", "B", "fe80::2"));
    EXPECT_TRUE(r.ok()) << testing::diags(r);
    // Different multicast groups.
    r = load(inst("", "A") + inst("    mcast_dst_ip 224.0.0.19\n", "B", "10.0.0.2"));
    EXPECT_TRUE(r.ok()) << testing::diags(r);
    // The default group written explicitly is the same group.
    r = load(inst("", "A") + inst("    mcast_dst_ip 224.0.0.18\n", "B", "10.0.0.2"));
    EXPECT_FALSE(r.ok());
    // Unicast with disjoint peers is allowed, with a common peer it is not.
    r = load(inst("    unicast_peer {\n        10.1.1.1\n    }\n", "A") +
             inst("    unicast_peer {\n        10.1.1.2\n    }\n", "B", "10.0.0.2"));
    EXPECT_TRUE(r.ok()) << testing::diags(r);
    r = load(
        inst("    unicast_peer {\n        10.1.1.1\n    }\n", "A") +
        inst("    unicast_peer {\n        10.1.1.2\n        10.1.1.1\n    }\n", "B", "10.0.0.2"));
    EXPECT_FALSE(r.ok());
    // Another interface.
    r = load(inst("", "A") +
             "vrrp_instance B {\n    interface eth1\n    virtual_router_id 51\n"
             "    virtual_ipaddress {\n        10.0.0.2\n    }\n}\n");
    EXPECT_TRUE(r.ok());
}

TEST(VrrpResolve, UndefinedTrackedObjects) {
    const auto r =
        load(inst("    track_script {\n        nosuch\n    }\n"
                  "    track_file {\n        nofile\n    }\n"
                  "    track_process {\n        noproc\n    }\n"
                  "    track_bfd {\n        nobfd\n    }\n"));
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:8:9: warning: vrrp_instance 'VI_1': track_script "
                         "'nosuch' is not a defined vrrp_script; ignored, as keepalived does"))
        << testing::diags(r);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:11:9: error: vrrp_instance 'VI_1': track_file "
                         "'nofile' is not a defined track_file"));
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:14:9: error: vrrp_instance 'VI_1': track_process "
                         "'noproc' is not a defined vrrp_track_process"));
    EXPECT_TRUE(has_diag(r, "track_bfd 'nobfd' is not a defined bfd_instance"));
}

TEST(VrrpResolve, DefinedTrackedObjectsAnyOrder) {
    // The definitions may follow the instance.
    const auto r = load(inst("    track_script {\n        chk\n    }\n") +
                        "vrrp_script chk {\n    script /bin/true\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
}

TEST(VrrpResolve, MixedFamilies) {
    auto r = load(inst("", "VI_1", "10.0.0.1\n        fe80::1"));
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:6:9: error: vrrp_instance 'VI_1': virtual_ipaddress "
                         "fe80::1/128 is not IPv4 like the instance"))
        << testing::diags(r);
    r = load(inst("    mcast_src_ip fe80::2\n"));
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:7:18: error: vrrp_instance 'VI_1': source address "
                         "fe80::2 is not IPv4"))
        << testing::diags(r);
    r = load(inst("    mcast_dst_ip ff02::12\n"));
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:7:18: error: vrrp_instance 'VI_1': mcast_dst_ip "
                         "ff02::12 is not IPv4"));
    r = load(inst("    unicast_peer {\n        fe80::2\n    }\n"));
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:8:9: error: vrrp_instance 'VI_1': unicast peer "
                         "fe80::2 is not IPv4"));
}

TEST(VrrpResolve, Ipv6ForcesVersion3) {
    auto r = load(inst("", "VI_1", "fe80::1"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(vi0(r).family, Family::inet6);
    EXPECT_EQ(vi0(r).version, 3);
    // Sub-second intervals are fine in version 3.
    r = load(inst("    advert_int 0.5\n", "VI_1", "fe80::1"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    r = load(inst("    version 2\n", "VI_1", "fe80::1"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).version, 3);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:7:13: warning: vrrp_instance 'VI_1': IPv6 instances "
                         "use VRRP version 3; version 2 ignored"));
}

TEST(VrrpResolve, FamilyWithoutVips) {
    const auto r = load(
        "vrrp_instance A {\n    interface eth0\n    virtual_router_id 5\n"
        "    native_ipv6\n}\n");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).family, Family::inet6);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:1: warning: vrrp_instance 'A' has no "
                         "virtual_ipaddress"));
}

TEST(VrrpResolve, NopreemptAndMaster) {
    // state MASTER without priority: address owner; nopreempt is meaningless.
    auto r = load(inst("    state MASTER\n    nopreempt\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(vi0(r).preempt);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:8:5: warning: vrrp_instance 'VI_1': nopreempt is "
                         "incompatible with priority 255"));
    r = load(inst("    state MASTER\n    priority 100\n    nopreempt\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(vi0(r).preempt);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:9:5: warning: vrrp_instance 'VI_1': nopreempt does "
                         "not work with initial state MASTER"));
    r = load(inst("    state BACKUP\n    nopreempt\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(vi0(r).preempt);
    EXPECT_EQ(r.diags.warning_count(), 0U);
    r = load(inst("    state MASTER\n    priority 100\n    preempt_delay 5\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).preempt_delay, 0us);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:9:19: warning: vrrp_instance 'VI_1': preempt_delay "
                         "does not work with initial state MASTER"));
}

TEST(VrrpResolve, AhAuthenticationAndMaster) {
    const auto r =
        load(inst("    state MASTER\n    priority 100\n    authentication {\n"
                  "        auth_type AH\n        auth_pass 1111\n    }\n"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(vi0(r).state, InitialState::backup);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:7:5: warning: vrrp_instance 'VI_1': initial state "
                         "MASTER is incompatible with AH authentication"));
}

TEST(VrrpResolve, AddressOwnerIgnoresWeightedTracking) {
    const auto r = load(
        "vrrp_script s {\n    script /bin/true\n    weight 5\n}\n"
        "vrrp_script z {\n    script /bin/true\n}\n" +
        inst("    priority 255\n"        // 14
             "    track_interface {\n"   // 15
             "        eth1 weight 10\n"  // 16
             "        eth2\n"            // 17
             "    }\n"                   // 18
             "    track_script {\n"      // 19
             "        s\n"               // 20
             "        z\n"               // 21
             "    }\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& vi = vi0(r);
    ASSERT_EQ(vi.track_interfaces.size(), 1U);
    EXPECT_EQ(vi.track_interfaces[0].name, "eth2");
    ASSERT_EQ(vi.track_scripts.size(), 1U);
    EXPECT_EQ(vi.track_scripts[0].name, "z");
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:16:9: warning: vrrp_instance 'VI_1': weighted "
                         "track_interface 'eth1' ignored"))
        << testing::diags(r);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:20:9: warning: vrrp_instance 'VI_1': weighted "
                         "track_script 's' ignored"));
}

TEST(VrrpResolve, OwnInterfaceNotTracked) {
    const auto r = load(inst("    track_interface {\n        eth0\n        eth1\n    }\n"));
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(vi0(r).track_interfaces.size(), 1U);
    EXPECT_EQ(vi0(r).track_interfaces[0].name, "eth1");
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:8:9: warning: vrrp_instance 'VI_1': track_interface "
                         "'eth0' is the instance's own interface"));
}

TEST(VrrpResolve, StrictMode) {
    struct Case {
        std::string body;
        std::string vip;
        std::string diag;
    };
    const std::string pfx = "error: vrrp_instance 'VI_1': strict mode: ";
    const std::vector<Case> cases = {
        {"    state MASTER\n    priority 100\n", "10.0.0.1",
         "keepalived.conf:8:5: " + pfx + "state MASTER is allowed if and only if priority is 255"},
        {"    state BACKUP\n    priority 255\n", "10.0.0.1",
         "keepalived.conf:8:5: " + pfx + "state MASTER is allowed if and only if priority is 255"},
        {"    preempt_delay 5\n", "10.0.0.1",
         "keepalived.conf:8:19: " + pfx + "preempt_delay is not allowed"},
        {"    accept\n", "10.0.0.1",
         "keepalived.conf:8:5: " + pfx + "accept mode is not allowed with VRRP version 2"},
        {"    lower_prio_no_advert off\n", "10.0.0.1",
         "keepalived.conf:8:5: " + pfx + "lower_prio_no_advert cannot be cleared"},
        {"    higher_prio_send_advert\n", "10.0.0.1",
         "keepalived.conf:8:5: " + pfx + "higher_prio_send_advert cannot be set"},
        {"    use_vmac\n    vmac_xmit_base\n", "10.0.0.1",
         "keepalived.conf:9:5: " + pfx + "vmac_xmit_base is not allowed"},
        {"", "2001:db8::1",
         "keepalived.conf:5:9: " + pfx +
             "the first IPv6 virtual_ipaddress must "
             "be link local"},
        {"    version 2\n", "fe80::1",
         "keepalived.conf:8:13: error: vrrp_instance 'VI_1': strict mode does not allow IPv6 "
         "with VRRP version 2"},
    };
    for (const auto& c : cases) {
        const auto r = load(inst("    strict_mode\n" + c.body, "VI_1", c.vip));
        EXPECT_FALSE(r.ok()) << c.body;
        EXPECT_TRUE(has_diag(r, c.diag)) << c.body << testing::diags(r);
    }
    // Authentication: keepalived 2.2.7 ignores it ("Strict mode does not support
    // authentication. Ignoring.").
    auto r =
        load(inst("    strict_mode\n    authentication {\n        auth_type PASS\n"
                  "        auth_pass x\n    }\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:8:5: warning: vrrp_instance 'VI_1': strict mode "
                         "does not allow authentication; ignored"))
        << testing::diags(r);
    // No VIPs.
    r = load(
        "vrrp_instance A {\n    interface eth0\n    virtual_router_id 5\n"
        "    strict_mode on\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:1: error: vrrp_instance 'A': strict mode: at least "
                         "one virtual_ipaddress is required"));
    // Unicast is accepted by keepalived 2.2.7 in strict mode, but not RFC compliant.
    r = load(inst("    strict_mode\n    unicast_peer {\n        10.1.1.1\n    }\n"));
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:9:9: warning: vrrp_instance 'VI_1': strict mode: "
                         "unicast peers"));
    // Compliant settings pass; accept is fine with version 3.
    r =
        load(inst("    strict_mode yes\n    state MASTER\n    priority 255\n    version 3\n"
                  "    accept\n    lower_prio_no_advert\n"));
    EXPECT_TRUE(r.ok()) << testing::diags(r);
    r = load(inst("    strict_mode\n", "VI_1", "fe80::1"));
    EXPECT_TRUE(r.ok()) << testing::diags(r);
    // strict_mode off: nothing enforced.
    r =
        load(inst("    strict_mode off\n    state MASTER\n    priority 100\n"
                  "    higher_prio_send_advert\n"));
    EXPECT_TRUE(r.ok()) << testing::diags(r);
}

}  // namespace
}  // namespace vigil::config
