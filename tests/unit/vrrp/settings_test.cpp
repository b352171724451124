// What a vrrp_instance block means to the protocol: defaults inherited from global_defs,
// authentication, unicast peers, the advertised addresses and the reload identity.
#include "vrrp/settings.h"

#include <gtest/gtest.h>

#include "config/config.h"

namespace vigil::vrrp {
namespace {

InstanceSettings from(std::string_view text) {
    config::LoadOptions o;
    o.read.config_id = "main";
    o.env.host_name = "director1";
    auto r = config::load_config_text(text, o);
    EXPECT_TRUE(r.ok()) << r.render_diagnostics();
    return make_settings(r.model->vrrp.instances.at(0), r.model->globals.defs);
}

TEST(Settings, DefaultsAndGlobalInheritance) {
    auto s = from(R"(
global_defs {
    vrrp_version 3
    vrrp_skip_check_adv_addr
    vrrp_check_unicast_src
}
vrrp_instance VI_1 {
    interface eth0
    state MASTER
    virtual_router_id 51
    priority 150
    advert_int 0.5
    nopreempt
    virtual_ipaddress {
        192.0.2.100/24
        192.0.2.101/24 dev eth1
    }
    virtual_ipaddress_excluded {
        192.0.2.200/24
        2001:db8::100/64
    }
})");
    EXPECT_EQ(s.fsm.version, 3);
    EXPECT_EQ(s.fsm.vrid, 51);
    EXPECT_EQ(s.fsm.priority, 150);
    EXPECT_EQ(s.fsm.advert_interval, std::chrono::milliseconds(500));
    EXPECT_TRUE(s.fsm.preempt);  // keepalived ignores nopreempt with state MASTER
    EXPECT_TRUE(s.fsm.initial_master);
    EXPECT_EQ(s.fsm.down_timer_adverts, 3);
    // Only the instance family's virtual_ipaddress lines, never the excluded ones.
    ASSERT_EQ(s.advertised.size(), 2U);
    EXPECT_EQ(s.advertised[1].to_string(), "192.0.2.101");
    EXPECT_EQ(s.receive.vips, s.advertised);
    EXPECT_TRUE(s.receive.skip_check_adv_addr);
    EXPECT_TRUE(s.receive.check_unicast_src);
    EXPECT_EQ(s.send.multicast_group.to_string(), "224.0.0.18");
    EXPECT_EQ(s.send.ttl, 255);
    EXPECT_EQ((InstanceIdentity{"eth0", 51, Family::inet, false}), s.identity);
}

TEST(Settings, PassAuthenticationAndUnicast) {
    auto s = from(R"(
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 7
    unicast_src_ip 192.0.2.1
    unicast_ttl 64
    unicast_peer {
        192.0.2.2
        192.0.2.3 min_ttl 60
    }
    authentication {
        auth_type PASS
        auth_pass secret99
    }
    virtual_ipaddress { 192.0.2.100 }
})");
    EXPECT_EQ(s.fsm.version, 2);
    EXPECT_EQ(s.send.auth_type, AuthType::pass);
    EXPECT_EQ(s.send.password_size, 8U);
    EXPECT_EQ(s.receive.auth_data[7], '9');
    EXPECT_EQ(s.send.ttl, 64);
    ASSERT_EQ(s.send.unicast_peers.size(), 2U);
    EXPECT_EQ(s.send.source->to_string(), "192.0.2.1");
    EXPECT_TRUE(s.identity.unicast);
    ASSERT_EQ(s.receive.peers.size(), 2U);
    EXPECT_EQ(s.receive.peers[1].min_ttl, 60);
}

TEST(Settings, Ipv6InstanceUsesItsGroupAndVersion3) {
    auto s = from(R"(
vrrp_instance VI_6 {
    interface eth0
    virtual_router_id 9
    virtual_ipaddress { 2001:db8::100/64 }
})");
    EXPECT_EQ(s.identity.family, Family::inet6);
    EXPECT_EQ(s.fsm.version, 3);
    EXPECT_EQ(s.send.multicast_group.to_string(), "ff02::12");
    EXPECT_EQ(s.send.auth_type, AuthType::none);
}

}  // namespace
}  // namespace vigil::vrrp
