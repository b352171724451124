// References between areas and defaults that flow from global_defs into the other areas.
#include <gtest/gtest.h>

#include "test_util.h"

namespace vigil::config {
namespace {

using namespace std::chrono_literals;
using testing::has_diag;
using testing::load;

const std::string kInstance =
    "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 42\n"
    "    virtual_ipaddress {\n        192.0.2.100/24\n    }\n";

TEST(CrossArea, InstancesInheritGlobalDefaults) {
    const auto r = load(
        "global_defs {\n    vrrp_garp_master_delay 10\n    vrrp_garp_master_repeat 3\n"
        "    vrrp_version 3\n    vrrp_garp_master_refresh 60\n    vrrp_down_timer_adverts 5\n"
        "    vrrp_skip_check_adv_addr\n    vrrp_notify_priority_changes true\n"
        "    vrrp_higher_prio_send_advert\n}\n" +
        kInstance + "}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& vi = r.model->vrrp.instances[0];
    EXPECT_EQ(vi.version, 3);
    EXPECT_EQ(vi.garp_master_delay, 10s);
    EXPECT_EQ(vi.garp_master_repeat, 3U);
    EXPECT_EQ(vi.garp_lower_prio_delay, 10s);
    EXPECT_EQ(vi.garp_lower_prio_repeat, 3U);
    EXPECT_EQ(vi.garp_master_refresh, 60s);
    EXPECT_EQ(vi.down_timer_adverts, 5);
    EXPECT_EQ(vi.skip_check_adv_addr, true);
    EXPECT_EQ(vi.notify_priority_changes, true);
    EXPECT_EQ(vi.higher_prio_send_advert, true);
    EXPECT_EQ(vi.lower_prio_no_advert, false);
    EXPECT_EQ(vi.strict_mode, false);
    EXPECT_EQ(vi.smtp_alert, false);
}

TEST(CrossArea, KeepalivedDefaultsWithoutGlobalDefs) {
    const auto r = load(kInstance + "}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& vi = r.model->vrrp.instances[0];
    EXPECT_EQ(vi.version, 2);
    EXPECT_EQ(vi.garp_master_delay, 5s);
    EXPECT_EQ(vi.garp_master_repeat, 5U);
    EXPECT_EQ(vi.garp_lower_prio_delay, 5s);
    EXPECT_EQ(vi.garp_master_refresh, 0s);
    EXPECT_EQ(vi.garp_master_refresh_repeat, 1U);
    EXPECT_EQ(vi.down_timer_adverts, 3);
}

TEST(CrossArea, OwnValuesWinAndLowerPrioFollowsTheInstance) {
    const auto r = load("global_defs {\n    vrrp_garp_master_delay 10\n    vrrp_version 3\n}\n" +
                        kInstance + "    garp_master_delay 2\n    version 2\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& vi = r.model->vrrp.instances[0];
    EXPECT_EQ(vi.version, 2);
    EXPECT_EQ(vi.garp_master_delay, 2s);
    EXPECT_EQ(vi.garp_lower_prio_delay, 2s);
}

TEST(CrossArea, GlobalStrictAppliesToInstances) {
    auto r = load("global_defs {\n    vrrp_strict\n}\n" + kInstance + "}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(r.model->vrrp.instances[0].strict_mode, true);
    EXPECT_EQ(r.model->vrrp.instances[0].lower_prio_no_advert, true);
    // Strict mode forbids authentication: keepalived 2.2.7 ignores it, with a message.
    r = load("global_defs {\n    vrrp_strict\n}\n" + kInstance +
             "    authentication {\n        auth_type PASS\n        auth_pass x\n    }\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_FALSE(r.model->vrrp.instances[0].authentication.has_value());
    EXPECT_TRUE(testing::has_diag(r, "strict mode does not allow authentication; ignored"))
        << testing::diags(r);
}

TEST(CrossArea, Ipv6InstanceIgnoresAGlobalVersion2) {
    const auto r = load(
        "global_defs {\n    vrrp_version 2\n}\nvrrp_instance V6 {\n    interface eth0\n"
        "    virtual_router_id 7\n    virtual_ipaddress {\n        2001:db8::7/64\n    }\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(r.model->vrrp.instances[0].version, 3);
    EXPECT_EQ(r.diags.warning_count(), 0U) << testing::diags(r);
}

TEST(CrossArea, SmtpAlertDefaults) {
    const std::string lvs =
        "virtual_server 192.0.2.10 80 {\n    protocol TCP\n"
        "    real_server 198.51.100.1 80 {\n        TCP_CHECK {\n        }\n    }\n"
        "    real_server 198.51.100.2 80 {\n        smtp_alert no\n    }\n}\n";
    auto r = load(kInstance + "}\n" + lvs);
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(r.model->vrrp.instances[0].smtp_alert, false);
    EXPECT_EQ(r.model->lvs.virtual_servers[0].smtp_alert, false);
    EXPECT_EQ(r.model->lvs.virtual_servers[0].real_servers[0].smtp_alert, true);
    EXPECT_EQ(r.model->lvs.virtual_servers[0].real_servers[1].smtp_alert, false);

    r = load("global_defs {\n    smtp_alert true\n    smtp_alert_checker false\n}\n" + kInstance +
             "}\n" + lvs);
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(r.model->vrrp.instances[0].smtp_alert, true);
    EXPECT_EQ(r.model->lvs.virtual_servers[0].smtp_alert, false);
    EXPECT_EQ(r.model->lvs.virtual_servers[0].real_servers[0].smtp_alert, false);
}

TEST(CrossArea, TrackBfdMustNameABfdInstance) {
    auto r = load(kInstance + "    track_bfd {\n        nope\n    }\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:8:9: error: vrrp_instance 'VI_1': track_bfd 'nope' "
                         "is not a defined bfd_instance"))
        << testing::diags(r);
    r = load("bfd_instance b1 {\n    neighbor_ip 192.0.2.2\n}\n" + kInstance +
             "    track_bfd {\n        b1 weight 10\n    }\n}\n");
    EXPECT_TRUE(r.ok()) << testing::diags(r);
}

TEST(CrossArea, TrackGroupMembersMustBeInstances) {
    auto r = load("track_group TG {\n    group {\n        VI_1\n        VI_9\n    }\n}\n" +
                  kInstance + "}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:4:9: error: track_group 'TG': 'VI_9' is not a "
                         "defined vrrp_instance"))
        << testing::diags(r);
}

TEST(CrossArea, LvsSyncDaemonInstance) {
    auto r = load("global_defs {\n    lvs_sync_daemon eth0 VI_1\n}\n" + kInstance + "}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(r.model->globals.defs.lvs_sync_daemon->syncid, 42);
    r = load("global_defs {\n    lvs_sync_daemon eth0 inst VI_2\n}\n" + kInstance + "}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r, "'VI_2' is not a defined vrrp_instance")) << testing::diags(r);
    r = load("global_defs {\n    lvs_sync_daemon eth0\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(r.model->globals.defs.lvs_sync_daemon->syncid, 0);
}

TEST(CrossArea, CheckerReferences) {
    const std::string vs_head =
        "virtual_server 192.0.2.10 80 {\n    protocol TCP\n    real_server 198.51.100.1 80 {\n";
    auto r =
        load(vs_head + "        FILE_CHECK {\n            track_file tf\n        }\n    }\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:5:24: error: FILE_CHECK: 'tf' is not a defined "
                         "track_file"))
        << testing::diags(r);
    r = load("track_file tf {\n    file /tmp/x\n}\n" + vs_head +
             "        FILE_CHECK {\n            track_file tf\n        }\n    }\n}\n");
    EXPECT_TRUE(r.ok()) << testing::diags(r);
    r = load(vs_head + "        BFD_CHECK {\n            name b\n        }\n    }\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r, "BFD_CHECK: 'b' is not a defined bfd_instance")) << testing::diags(r);
}

TEST(CrossArea, SmtpCheckHeloDefaultsToGlobal) {
    const std::string vs =
        "virtual_server 192.0.2.10 25 {\n    protocol TCP\n    real_server 198.51.100.1 25 {\n"
        "        SMTP_CHECK {\n        }\n        SMTP_CHECK {\n            helo_name own\n"
        "        }\n    }\n}\n";
    auto r = load(vs);
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& checkers = r.model->lvs.virtual_servers[0].real_servers[0].checkers;
    EXPECT_EQ(std::get<SmtpCheck>(checkers[0].kind).helo_name, "director1.example.com");
    EXPECT_EQ(std::get<SmtpCheck>(checkers[1].kind).helo_name, "own");
    r = load("global_defs {\n    smtp_helo_name mx.example.com\n}\n" + vs);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::get<SmtpCheck>(r.model->lvs.virtual_servers[0].real_servers[0].checkers[0].kind)
                  .helo_name,
              "mx.example.com");
}

}  // namespace
}  // namespace vigil::config
