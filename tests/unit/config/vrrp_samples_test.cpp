// keepalived's sample configurations with VRRP blocks, and the JSON dump of the VRRP area.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "config/dump.h"
#include "test_util.h"

namespace vigil::config {
namespace {

using namespace std::chrono_literals;
using testing::has_diag;
using testing::load;

const std::string samples = "/usr/share/doc/keepalived/samples/";

LoadResult load_sample(const std::string& name, const std::string& config_id = "main") {
    LoadOptions o;
    o.read.config_id = config_id;
    o.read.random_seed = 42;
    o.env.host_name = "director1.example.com";
    return load_config_file(samples + name, o);
}

#define REQUIRE_SAMPLE(name)                        \
    if (!std::filesystem::exists(samples + (name))) \
    GTEST_SKIP() << "keepalived samples not installed: " << (name)

const VrrpInstance* find(const Model& m, std::string_view name) {
    for (const auto& vi : m.vrrp.instances)
        if (vi.name == name) return &vi;
    return nullptr;
}

TEST(VrrpSamples, Vrrp) {
    REQUIRE_SAMPLE("keepalived.conf.vrrp");
    const auto r = load_sample("keepalived.conf.vrrp");
    ASSERT_TRUE(r.ok()) << r.render_diagnostics();
    ASSERT_EQ(r.model->vrrp.instances.size(), 4U);
    const auto& vi = r.model->vrrp.instances[0];
    EXPECT_EQ(vi.name, "VI_1");
    EXPECT_EQ(vi.state, InitialState::master);
    EXPECT_EQ(vi.interface, "eth0");
    EXPECT_EQ(vi.virtual_router_id, 51);
    EXPECT_EQ(vi.priority, 100);
    EXPECT_EQ(vi.advert_interval, 1s);
    ASSERT_TRUE(vi.authentication.has_value());
    EXPECT_EQ(vi.authentication->type, AuthType::pass);
    EXPECT_EQ(vi.authentication->password, "1111");
    ASSERT_EQ(vi.virtual_ipaddresses.size(), 4U);
    EXPECT_EQ(vi.virtual_ipaddresses[3].label, "eth0:1");
    EXPECT_EQ(vi.garp_master_delay, 10s);
    EXPECT_EQ(vi.smtp_alert, true);
}

TEST(VrrpSamples, Sync) {
    REQUIRE_SAMPLE("keepalived.conf.vrrp.sync");
    const auto r = load_sample("keepalived.conf.vrrp.sync");
    ASSERT_TRUE(r.ok()) << r.render_diagnostics();
    const auto& v = r.model->vrrp;
    ASSERT_EQ(v.sync_groups.size(), 2U);
    EXPECT_EQ(v.sync_groups[0].members.size(), 7U);
    EXPECT_EQ(v.sync_groups[0].notify_backup->argv,
              (std::vector<std::string>{"/usr/local/bin/vrrp.back", "arg1", "arg2"}));
    EXPECT_EQ(v.instances.size(), 9U);
    for (const auto& vi : v.instances) EXPECT_FALSE(vi.sync_group.empty()) << vi.name;
    EXPECT_EQ(find(*r.model, "VI_3")->sync_group, "G2");
}

TEST(VrrpSamples, Scripts) {
    REQUIRE_SAMPLE("keepalived.conf.vrrp.scripts");
    const auto r = load_sample("keepalived.conf.vrrp.scripts");
    ASSERT_TRUE(r.ok()) << r.render_diagnostics();
    const auto* vi = find(*r.model, "VI_1");
    ASSERT_NE(vi, nullptr);
    EXPECT_EQ(vi->smtp_alert, true);
    // Double spaces inside the quoted command separate words like single ones.
    EXPECT_EQ(vi->notify_backup->argv,
              (std::vector<std::string>{"/usr/local/bin/vrrp.sh", "BACKUP", "VI_1"}));
    EXPECT_EQ(find(*r.model, "VI_2")->sync_group, "G1");
}

TEST(VrrpSamples, LocalCheck) {
    REQUIRE_SAMPLE("keepalived.conf.vrrp.localcheck");
    const auto r = load_sample("keepalived.conf.vrrp.localcheck");
    ASSERT_TRUE(r.ok()) << r.render_diagnostics();
    const auto& v = r.model->vrrp;
    ASSERT_EQ(v.scripts.size(), 5U);
    EXPECT_EQ(v.scripts[0].name, "chk_sshd");
    EXPECT_EQ(v.scripts[0].script->argv, (std::vector<std::string>{"killall", "-0", "sshd"}));
    EXPECT_EQ(v.scripts[0].interval, 2s);
    EXPECT_EQ(v.scripts[0].weight, -4);
    EXPECT_EQ(v.scripts[0].fall, 2);
    EXPECT_EQ(v.scripts[0].rise, 2);
    EXPECT_EQ(v.scripts[2].script->argv, std::vector<std::string>{"</dev/tcp/127.0.0.1/80"});
    const auto* vi = find(*r.model, "VI_1");
    ASSERT_NE(vi, nullptr);
    ASSERT_EQ(vi->track_interfaces.size(), 3U);
    EXPECT_EQ(vi->track_interfaces[1].weight, -2);
    ASSERT_EQ(vi->track_scripts.size(), 5U);
    EXPECT_EQ(vi->track_scripts[1].weight, 2);
    EXPECT_EQ(r.model->vrrp.instances.size(), 9U);
}

TEST(VrrpSamples, LvsSyncd) {
    REQUIRE_SAMPLE("keepalived.conf.vrrp.lvs_syncd");
    const auto r = load_sample("keepalived.conf.vrrp.lvs_syncd");
    ASSERT_TRUE(r.ok()) << r.render_diagnostics();
    // The sample lists names directly in vrrp_sync_group: keepalived reports them as
    // unknown keywords, so the group is empty.
    EXPECT_TRUE(r.model->vrrp.sync_groups[0].members.empty());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf.vrrp.lvs_syncd:4:3: warning: unknown keyword "
                         "'VI_2' in vrrp_sync_group"))
        << r.render_diagnostics();
    EXPECT_EQ(find(*r.model, "VI_1")->lvs_sync_daemon_interface, "eth1");
}

TEST(VrrpSamples, SslGetAhMaster) {
    REQUIRE_SAMPLE("keepalived.conf.SSL_GET");
    const auto r = load_sample("keepalived.conf.SSL_GET");
    ASSERT_TRUE(r.ok()) << r.render_diagnostics();
    const auto* vi = find(*r.model, "VI_1");
    ASSERT_NE(vi, nullptr);
    // keepalived: "Initial state master is incompatible with AH authentication - clearing".
    EXPECT_EQ(vi->state, InitialState::backup);
    EXPECT_EQ(vi->authentication->type, AuthType::ah);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf.SSL_GET:14:5: warning: vrrp_instance 'VI_1': "
                         "initial state MASTER is incompatible with AH authentication"));
}

TEST(VrrpSamples, SampleAndRules) {
    for (const std::string name : {"keepalived.conf.sample", "keepalived.conf.track_interface"}) {
        if (!std::filesystem::exists(samples + name)) GTEST_SKIP();
        const auto r = load_sample(name);
        ASSERT_TRUE(r.ok()) << name << r.render_diagnostics();
        EXPECT_EQ(r.model->vrrp.instances.size(), 1U) << name;
    }
}

// keepalived's own rules sample has "to 192.168.100./24": keepalived 2.2.7 skips that rule
// ("VRRP parsed invalid IP 192.168.100./24") and runs; so does vigil.
TEST(VrrpSamples, RulesSampleHasAnInvalidAddress) {
    REQUIRE_SAMPLE("keepalived.conf.vrrp.rules");
    const auto r = load_sample("keepalived.conf.vrrp.rules");
    EXPECT_TRUE(r.ok()) << r.render_diagnostics();
    EXPECT_NE(r.render_diagnostics().find("keepalived.conf.vrrp.rules:11:"), std::string::npos)
        << r.render_diagnostics();
    EXPECT_NE(r.render_diagnostics().find("192.168.100./24"), std::string::npos);
}

TEST(VrrpSamples, ConditionalConf) {
    REQUIRE_SAMPLE("keepalived.conf.conditional_conf");
    // Run as "-i high": the high script and priority.
    auto r = load_sample("keepalived.conf.conditional_conf", "high");
    ASSERT_TRUE(r.ok()) << r.render_diagnostics();
    const auto* vi = find(*r.model, "VI_0");
    ASSERT_NE(vi, nullptr);
    EXPECT_EQ(vi->priority, 170);
    EXPECT_EQ(vi->version, 3);
    EXPECT_EQ(vi->advert_interval, 12s);
    EXPECT_TRUE(vi->use_vmac);
    EXPECT_EQ(r.model->vrrp.scripts[0].script->argv[0],
              "/etc/keepalived/scripts/check_high_VI_0.sh");
    // With neither id, check_VI_0 has no script. keepalived: "No script set ... removing",
    // then "track script check_VI_0 not found, ignoring"; it runs, and so does vigil.
    r = load_sample("keepalived.conf.conditional_conf", "other");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf.conditional_conf:6:1: warning: vrrp_script "
                         "'check_VI_0' has no script; removed"));
    EXPECT_TRUE(r.model->vrrp.scripts.empty());
    EXPECT_TRUE(find(*r.model, "VI_0")->track_scripts.empty());
}

// The VRRP part of keepalived.conf.vrrp.routes (its static_routes and the route options
// are parsed by the global area, tested there).
TEST(VrrpSamples, RoutesInline) {
    const auto r = load(
        "vrrp_instance VI_1 {\n"
        "    interface eth0\n"
        "    virtual_router_id 50\n"
        "    nopreempt\n"
        "    priority 100\n"
        "    advert_int 1\n"
        "    virtual_ipaddress {\n"
        "        192.168.200.10\n"
        "        192.168.200.11\n"
        "    }\n"
        "    virtual_routes {\n"
        "        192.168.110.0/24 via 192.168.200.254 dev eth1\n"
        "        192.168.111.0/24 dev eth2\n"
        "    }\n"
        "}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(r.model->vrrp.instances[0].virtual_routes.size(), 2U);
    EXPECT_FALSE(r.model->vrrp.instances[0].preempt);
}

TEST(VrrpDump, HasEveryBlockAndField) {
    const auto r = load(
        "vrrp_script chk {\n    script \"/bin/chk x\"\n    interval 2\n    weight 3 reverse\n}\n"
        "track_file tf {\n    file /tmp/tf\n    init_file 4 overwrite\n}\n"
        "vrrp_track_process tp {\n    process sshd -D\n    quorum_max 3\n    delay 0.5\n}\n"
        "garp_group {\n    garp_interval 0.25\n    interfaces {\n        eth0\n    }\n}\n"
        "vrrp_instance VI_1 {\n"
        "    interface eth0\n"
        "    virtual_router_id 51\n"
        "    priority 150\n"
        "    advert_int 2\n"
        "    use_vmac vrrp51 02:00:5e:00:01\n"
        "    garp_extra_if all 7\n"
        "    strict_mode off\n"
        "    unicast_peer {\n        10.1.1.2 min_ttl 3\n    }\n"
        "    authentication {\n        auth_type PASS\n        auth_pass secret\n    }\n"
        "    track_script {\n        chk weight 5 reverse\n    }\n"
        "    track_file {\n        tf\n    }\n"
        "    track_process {\n        tp\n    }\n"
        "    virtual_ipaddress {\n        10.0.0.1/24\n    }\n"
        "    notify_master \"/bin/m a\" root\n"
        "}\n"
        "vrrp_instance VI_2 {\n    interface eth1\n    virtual_router_id 52\n"
        "    virtual_ipaddress {\n        10.0.1.1\n    }\n}\n"
        "vrrp_sync_group G {\n    group {\n        VI_1\n        VI_2\n    }\n"
        "    sync_group_tracking_weight\n    notify /bin/n\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto j = nlohmann::json::parse(dump_json(*r.model, 2));
    const auto& v = j.at("vrrp");
    EXPECT_EQ(v.at("vrrp_script")[0].at("name"), "chk");
    EXPECT_EQ(v.at("vrrp_script")[0].at("script").at("argv")[1], "x");
    EXPECT_EQ(v.at("vrrp_script")[0].at("interval"), 2);
    EXPECT_EQ(v.at("vrrp_script")[0].at("weight"), 3);
    EXPECT_EQ(v.at("vrrp_script")[0].at("weight_reverse"), true);
    EXPECT_TRUE(v.at("vrrp_script")[0].at("timeout").is_null());
    EXPECT_EQ(v.at("track_file")[0].at("init_value"), 4);
    EXPECT_EQ(v.at("track_file")[0].at("init_overwrite"), true);
    EXPECT_EQ(v.at("vrrp_track_process")[0].at("process")[1], "-D");
    EXPECT_EQ(v.at("vrrp_track_process")[0].at("param_match"), "exact");
    EXPECT_EQ(v.at("vrrp_track_process")[0].at("quorum_max"), 3);
    EXPECT_EQ(v.at("vrrp_track_process")[0].at("fork_delay"), 0.5);
    EXPECT_EQ(v.at("garp_group")[0].at("garp_interval"), 0.25);
    EXPECT_EQ(v.at("garp_group")[0].at("interfaces")[0], "eth0");
    EXPECT_EQ(v.at("vrrp_sync_group")[0].at("group")[1], "VI_2");
    EXPECT_EQ(v.at("vrrp_sync_group")[0].at("notify").at("argv")[0], "/bin/n");
    const auto& vi = v.at("vrrp_instance")[0];
    EXPECT_EQ(vi.at("name"), "VI_1");
    EXPECT_EQ(vi.at("state"), "BACKUP");
    EXPECT_EQ(vi.at("interface"), "eth0");
    EXPECT_EQ(vi.at("virtual_router_id"), 51);
    EXPECT_EQ(vi.at("priority"), 150);
    EXPECT_EQ(vi.at("advert_int"), 2);
    EXPECT_EQ(vi.at("vmac_name"), "vrrp51");
    EXPECT_EQ(vi.at("vmac_mac"), "02:00:5e:00:01:33");  // VRID 51 = 0x33
    EXPECT_EQ(vi.at("garp_extra_if").at("interval"), 7);
    EXPECT_EQ(vi.at("garp_extra_if").at("all"), true);
    EXPECT_EQ(vi.at("strict_mode"), false);
    EXPECT_EQ(vi.at("version"), 2);  // resolved from global_defs
    EXPECT_EQ(vi.at("garp_master_delay"), 5);
    EXPECT_EQ(vi.at("unicast_peer")[0].at("address"), "10.1.1.2");
    EXPECT_EQ(vi.at("unicast_peer")[0].at("min_ttl"), 3);
    EXPECT_EQ(vi.at("check_unicast_src"), true);
    EXPECT_EQ(vi.at("authentication").at("auth_type"), "PASS");
    EXPECT_EQ(vi.at("authentication").at("auth_pass"), "secret");
    EXPECT_EQ(vi.at("track_script")[0].at("weight"), 5);
    EXPECT_EQ(vi.at("track_script")[0].at("reverse"), true);
    EXPECT_TRUE(vi.at("track_file")[0].at("weight").is_null());
    EXPECT_EQ(vi.at("track_process")[0].at("name"), "tp");
    EXPECT_EQ(vi.at("virtual_ipaddress")[0].at("address"), "10.0.0.1/24");
    EXPECT_EQ(vi.at("notify_master").at("user"), "root");
    EXPECT_EQ(vi.at("family"), "inet");
    EXPECT_EQ(vi.at("sync_group"), "G");
    // Every keyword-named field is present, set or not.
    for (const char* key : {"vrf",
                            "use_vmac",
                            "use_vmac_addr",
                            "vmac_xmit_base",
                            "use_ipvlan",
                            "ipvlan_name",
                            "ipvlan_address",
                            "ipvlan_mode",
                            "native_ipv6",
                            "dont_track_primary",
                            "track_interface",
                            "track_bfd",
                            "mcast_src_ip",
                            "mcast_dst_ip",
                            "track_src_ip",
                            "unicast_fault_no_peer",
                            "unicast_ttl",
                            "old_unicast_checksum",
                            "garp_master_repeat",
                            "garp_lower_prio_delay",
                            "garp_lower_prio_repeat",
                            "garp_master_refresh",
                            "garp_master_refresh_repeat",
                            "down_timer_adverts",
                            "lower_prio_no_advert",
                            "higher_prio_send_advert",
                            "virtual_ipaddress_excluded",
                            "promote_secondaries",
                            "virtual_routes",
                            "virtual_rules",
                            "accept",
                            "preempt",
                            "preempt_delay",
                            "skip_check_adv_addr",
                            "debug",
                            "notify_backup",
                            "notify_fault",
                            "notify_stop",
                            "notify",
                            "notify_master_rx_lower_pri",
                            "notify_deleted",
                            "notify_deleted_script",
                            "notify_priority_changes",
                            "smtp_alert",
                            "kernel_rx_buf_size",
                            "linkbeat_use_polling",
                            "lvs_sync_daemon_interface"})
        EXPECT_TRUE(vi.contains(key)) << key;
}

}  // namespace
}  // namespace vigil::config
