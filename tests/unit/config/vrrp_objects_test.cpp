// vrrp_script, track_file, vrrp_track_process, vrrp_sync_group and garp_group.
#include <gtest/gtest.h>

#include "test_util.h"

namespace vigil::config {
namespace {

using namespace std::chrono_literals;
using testing::has_diag;
using testing::load;

// Two instances; text appended after them starts on line 15.
const std::string two_instances =
    "vrrp_instance A {\n"
    "    interface eth0\n"
    "    virtual_router_id 5\n"
    "    virtual_ipaddress {\n"
    "        10.0.0.1\n"
    "    }\n"
    "}\n"
    "vrrp_instance B {\n"
    "    interface eth0\n"
    "    virtual_router_id 6\n"
    "    virtual_ipaddress {\n"
    "        10.0.0.2\n"
    "    }\n"
    "}\n";

TEST(VrrpScript, AllKeywords) {
    const auto r = load(
        "vrrp_script chk {\n"
        "    script \"/bin/check a 'b c'\" extra\n"
        "    interval 5\n"
        "    timeout 3\n"
        "    weight -20 reverse\n"
        "    rise 3\n"
        "    fall 2\n"
        "    user nobody nogroup\n"
        "    init_fail\n"
        "}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    ASSERT_EQ(r.model->vrrp.scripts.size(), 1U);
    const auto& s = r.model->vrrp.scripts[0];
    EXPECT_EQ(s.name, "chk");
    EXPECT_EQ(s.script->argv, (std::vector<std::string>{"/bin/check", "a", "b c", "extra"}));
    EXPECT_EQ(s.interval, 5s);
    EXPECT_EQ(s.timeout, 3s);
    EXPECT_EQ(s.weight, -20);
    EXPECT_TRUE(s.weight_reverse);
    EXPECT_EQ(s.rise, 3);
    EXPECT_EQ(s.fall, 2);
    EXPECT_EQ(s.user, "nobody");
    EXPECT_EQ(s.group, "nogroup");
    // What the script runner reads (it used to run such scripts as script_user).
    EXPECT_EQ(s.script->user, "nobody");
    EXPECT_EQ(s.script->group, "nogroup");
    EXPECT_TRUE(s.init_fail);
}

TEST(VrrpScript, Defaults) {
    const auto r = load("vrrp_script chk {\n    script /bin/true\n}\n");
    ASSERT_TRUE(r.ok());
    const auto& s = r.model->vrrp.scripts[0];
    EXPECT_EQ(s.interval, 1s);
    EXPECT_FALSE(s.timeout.has_value());
    EXPECT_EQ(s.weight, 0);
    EXPECT_FALSE(s.weight_reverse);
    EXPECT_EQ(s.rise, 1);
    EXPECT_EQ(s.fall, 1);
    EXPECT_EQ(s.user, "");
    EXPECT_FALSE(s.init_fail);
}

TEST(VrrpScript, Errors) {
    struct Case {
        std::string line;
        std::string where;
        std::string what;
    };
    // Seconds, whole (keepalived 2.2.7) or with milliseconds (2.3.2), up to 4294.
    const std::vector<Case> cases = {
        {"    interval 1.5x\n",
         "keepalived.conf:3:14: error:", "expected seconds in [0.001, 4294]"},
        {"    interval 0\n", "keepalived.conf:3:14: error:", "[0.001, 4294]"},
        {"    timeout 4295\n", "keepalived.conf:3:13: error:", "[0.001, 4294]"},
        {"    weight 254\n", "keepalived.conf:3:12: error:", "[-253, 253]"},
        {"    weight 10 rev\n", "keepalived.conf:3:15: error:", "unknown weight option 'rev'"},
        {"    rise 0\n", "keepalived.conf:3:10: error:", "[1, 2147483647]"},
        {"    fall 2147483648\n", "keepalived.conf:3:10: error:", "[1, 2147483647]"},
        {"    user\n", "keepalived.conf:3:9: error:", "missing argument"},
    };
    for (const auto& c : cases) {
        const auto r = load("vrrp_script s {\n    script /bin/true\n" + c.line + "}\n");
        EXPECT_FALSE(r.ok()) << c.line;
        EXPECT_TRUE(has_diag(r, c.where)) << c.line << testing::diags(r);
        EXPECT_TRUE(has_diag(r, c.what)) << c.line << testing::diags(r);
    }
}

// keepalived 2.3.2's millisecond form; finer is rounded down, with a warning.
TEST(VrrpScript, MillisecondIntervals) {
    auto r = load("vrrp_script s {\n    script /bin/true\n    interval 0.25\n    timeout 1.5\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(r.model->vrrp.scripts[0].interval, 250ms);
    EXPECT_EQ(r.model->vrrp.scripts[0].timeout, 1500ms);
    EXPECT_EQ(r.diags.warning_count(), 0U) << testing::diags(r);
    r = load("vrrp_script s {\n    script /bin/true\n    interval 0.0015\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(r.model->vrrp.scripts[0].interval, 1ms);
    EXPECT_TRUE(has_diag(r, "keepalived.conf:3:14: warning: interval: rounded down to 1 ms"))
        << testing::diags(r);
}

// keepalived: "quorum_max is less than quorum - ignoring"; and quorum_max 0 alone means the
// process must not run at all.
TEST(TrackProcess, QuorumMaxBelowQuorum) {
    auto r = load("vrrp_track_process p {\n    process sshd\n    quorum 3\n    quorum_max 2\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:1: warning: vrrp_track_process 'p': quorum_max 2 "
                         "is less than quorum 3; quorum_max ignored"));
    EXPECT_FALSE(r.model->vrrp.track_processes[0].quorum_max.has_value());
    r = load("vrrp_track_process p {\n    process sshd\n    quorum_max 0\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(r.diags.warning_count(), 0U);
    EXPECT_EQ(r.model->vrrp.track_processes[0].quorum, 0U);
    EXPECT_EQ(r.model->vrrp.track_processes[0].quorum_max, 0U);
}

TEST(VrrpScript, MissingScriptAndDuplicates) {
    auto r = load("vrrp_script s {\n    interval 2\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);  // removed, as keepalived 2.2.7 does
    EXPECT_TRUE(
        has_diag(r, "keepalived.conf:1:1: warning: vrrp_script 's' has no script; removed"));
    EXPECT_TRUE(r.model->vrrp.scripts.empty());
    r = load("vrrp_script s {\n    script /a\n}\nvrrp_script s {\n    script /b\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:4:1: error: vrrp_script 's' is already defined (at "
                         "line 1)"));
    r = load("vrrp_script {\n    script /a\n}\n");
    EXPECT_TRUE(has_diag(r, "keepalived.conf:1:12: error: vrrp_script: missing argument"));
}

TEST(TrackFile, AllKeywordsAndAlias) {
    const auto r = load(
        "track_file tf {\n"
        "    file /var/run/tf\n"
        "    weight -254 reverse\n"
        "    init_file 5 overwrite\n"
        "}\n"
        "vrrp_track_file old {\n"
        "    file \"/tmp/y z\"\n"
        "    init_file -5\n"
        "}\n"
        "track_file plain {\n"
        "    file /tmp/p\n"
        "    init_file overwrite\n"
        "}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& f = r.model->vrrp.track_files;
    ASSERT_EQ(f.size(), 3U);
    EXPECT_EQ(f[0].name, "tf");
    EXPECT_EQ(f[0].file, "/var/run/tf");
    EXPECT_EQ(f[0].weight, -254);
    EXPECT_TRUE(f[0].weight_reverse);
    EXPECT_TRUE(f[0].init_file);
    EXPECT_EQ(f[0].init_value, 5);
    EXPECT_TRUE(f[0].init_overwrite);
    EXPECT_EQ(f[1].name, "old");
    EXPECT_EQ(f[1].file, "/tmp/y z");
    EXPECT_EQ(f[1].weight, 1);  // default
    EXPECT_EQ(f[1].init_value, -5);
    EXPECT_FALSE(f[1].init_overwrite);
    EXPECT_TRUE(f[2].init_file);
    EXPECT_EQ(f[2].init_value, 0);
    EXPECT_TRUE(f[2].init_overwrite);
}

TEST(TrackFile, Errors) {
    auto r = load("track_file f {\n    file /x\n    weight 255\n}\n");
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:3:12: error: weight: 255 is out of range; expected "
                         "an integer in [-254, 254]"));
    r = load("track_file f {\n    file /x\n    init_file 99999999999\n}\n");
    EXPECT_TRUE(has_diag(r, "keepalived.conf:3:15: error:"));
    r = load("track_file f {\n    file /x\n    init_file 1 always\n}\n");
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:3:17: error: init_file: expected 'overwrite', got "
                         "'always'"));
    r = load("track_file f {\n    init_file\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r, "keepalived.conf:1:1: error: track_file 'f' has no file"));
}

TEST(TrackProcess, AllKeywords) {
    const auto r = load(
        "vrrp_track_process p {\n"
        "    process \"/tmp/a b\" param1 \"param 2\"\n"
        "    param_match partial\n"
        "    weight -254 reverse\n"
        "    quorum 2\n"
        "    quorum_max 4\n"
        "    fork_delay 0.5\n"
        "    terminate_delay 1.25\n"
        "    full_command\n"
        "}\n"
        "vrrp_track_process q {\n"
        "    process haproxy\n"
        "    delay 3\n"
        "    param_match\n"
        "}\n"
        "vrrp_track_process d {\n"
        "    process nginx -g daemon\n"
        "}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& p = r.model->vrrp.track_processes;
    ASSERT_EQ(p.size(), 3U);
    EXPECT_EQ(p[0].process, (std::vector<std::string>{"/tmp/a b", "param1", "param 2"}));
    EXPECT_EQ(p[0].param_match, ParamMatch::partial);
    EXPECT_EQ(p[0].weight, -254);
    EXPECT_TRUE(p[0].weight_reverse);
    EXPECT_EQ(p[0].quorum, 2U);
    EXPECT_EQ(p[0].quorum_max, 4U);
    EXPECT_EQ(p[0].fork_delay, 500ms);
    EXPECT_EQ(p[0].terminate_delay, 1250ms);
    EXPECT_TRUE(p[0].full_command);
    EXPECT_EQ(p[1].fork_delay, 3s);
    EXPECT_EQ(p[1].terminate_delay, 3s);
    EXPECT_EQ(p[1].param_match, ParamMatch::exact);  // param_match alone: no parameters
    EXPECT_EQ(p[1].weight, 0);  // default: keepalived 2.2.7 (its man page says 1)
    EXPECT_EQ(p[1].quorum, 1U);
    EXPECT_FALSE(p[1].quorum_max.has_value());
    EXPECT_FALSE(p[1].full_command);
    // Parameters without param_match must match exactly.
    EXPECT_EQ(p[2].param_match, ParamMatch::exact);
}

TEST(TrackProcess, Errors) {
    struct Case {
        std::string line;
        std::string where;
        std::string what;
    };
    const std::vector<Case> cases = {
        {"    param_match foo\n", "keepalived.conf:3:17: error:", "initial|partial"},
        {"    weight 255\n", "keepalived.conf:3:12: error:", "[-254, 254]"},
        {"    quorum 0\n", "keepalived.conf:3:12: error:", "[1, 65535]"},
        {"    quorum_max 65536\n", "keepalived.conf:3:16: error:", "[0, 65535]"},
        {"    fork_delay 0.0000001\n", "keepalived.conf:3:16: error:", "expected seconds"},
        {"    terminate_delay 3601\n", "keepalived.conf:3:21: error:", "out of range"},
        {"    delay 0\n", "keepalived.conf:3:11: error:", "out of range"},
    };
    for (const auto& c : cases) {
        const auto r = load("vrrp_track_process p {\n    process sshd\n" + c.line + "}\n");
        EXPECT_FALSE(r.ok()) << c.line;
        EXPECT_TRUE(has_diag(r, c.where)) << c.line << testing::diags(r);
        EXPECT_TRUE(has_diag(r, c.what)) << c.line << testing::diags(r);
    }
    const auto r = load("vrrp_track_process r {\n    param_match partial\n}\n");
    EXPECT_TRUE(has_diag(r, "keepalived.conf:1:1: error: vrrp_track_process 'r' has no process"));
}

TEST(SyncGroup, AllKeywords) {
    const auto r = load(
        "vrrp_script s {\n    script /bin/true\n}\n"
        "track_file f {\n    file /tmp/f\n}\n"
        "vrrp_track_process p {\n    process sshd\n}\n" +
        two_instances +
        "vrrp_sync_group G {\n"             // 24
        "    group {\n"                     // 25
        "        A B\n"                     // 26
        "    }\n"                           // 27
        "    track_interface {\n"           // 28
        "        eth1 weight 5 reverse\n"   // 29
        "        eth2\n"                    // 30
        "    }\n"                           // 31
        "    track_script {\n"              // 32
        "        s weight 10 noreverse\n"   // 33
        "    }\n"                           // 34
        "    track_file {\n"                // 35
        "        f weight -3\n"             // 36
        "    }\n"                           // 37
        "    track_process {\n"             // 38
        "        p\n"                       // 39
        "    }\n"                           // 40
        "    track_bfd {\n"                 // 41
        "        b1 weight 2\n"             // 42
        "    }\n"                           // 43
        "    notify_master /bin/m\n"        // 44
        "    notify_backup \"/bin/b x\"\n"  // 45
        "    notify_fault /bin/f root\n"    // 46
        "    notify_stop /bin/s\n"          // 47
        "    notify /bin/n\n"               // 48
        "    notify_priority_changes\n"     // 49
        "    smtp_alert off\n"              // 50
        "    global_tracking\n"             // 51
        "    sync_group_tracking_weight\n"  // 52
        "}\n"
        "bfd_instance b1 {\n    neighbor_ip 192.0.2.7\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    ASSERT_EQ(r.model->vrrp.sync_groups.size(), 1U);
    const auto& g = r.model->vrrp.sync_groups[0];
    EXPECT_EQ(g.name, "G");
    ASSERT_EQ(g.members.size(), 2U);
    EXPECT_EQ(g.members[1].name, "B");
    EXPECT_EQ(g.members[1].loc.col, 11U);
    ASSERT_EQ(g.track_interfaces.size(), 2U);
    EXPECT_EQ(g.track_interfaces[0].weight, 5);
    EXPECT_TRUE(g.track_interfaces[0].reverse);
    EXPECT_EQ(g.track_scripts[0].weight, 10);
    EXPECT_EQ(g.track_files[0].weight, -3);
    EXPECT_EQ(g.track_processes[0].name, "p");
    EXPECT_EQ(g.track_bfds[0].name, "b1");
    EXPECT_EQ(g.notify_master->argv[0], "/bin/m");
    EXPECT_EQ(g.notify_backup->argv, (std::vector<std::string>{"/bin/b", "x"}));
    EXPECT_EQ(g.notify_fault->user, "root");
    EXPECT_EQ(g.notify_stop->argv[0], "/bin/s");
    EXPECT_EQ(g.notify->argv[0], "/bin/n");
    EXPECT_EQ(g.notify_priority_changes, true);
    EXPECT_EQ(g.smtp_alert, false);
    EXPECT_TRUE(g.global_tracking);
    EXPECT_TRUE(g.sync_group_tracking_weight);
    EXPECT_TRUE(has_diag(r, "keepalived.conf:51:5: warning: global_tracking: deprecated"));
    EXPECT_EQ(r.model->vrrp.instances[0].sync_group, "G");
    EXPECT_EQ(r.model->vrrp.instances[1].sync_group, "G");
}

TEST(SyncGroup, NotifyDeletedIsNotASyncGroupKeyword) {
    // keepalived 2.2.7 reports it as unknown in a sync group despite the man page.
    const auto r = load(two_instances +
                        "vrrp_sync_group G {\n    group {\n        A\n        B\n    }\n"
                        "    notify_deleted\n}\n");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(has_diag(r, "keepalived.conf:20:5: warning: unknown keyword 'notify_deleted'"));
}

TEST(SyncGroup, MembershipErrors) {
    auto r =
        load(two_instances + "vrrp_sync_group G {\n    group {\n        A\n        C\n    }\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:18:9: error: vrrp_sync_group 'G': 'C' is not a "
                         "defined vrrp_instance"))
        << testing::diags(r);
    r = load(two_instances +
             "vrrp_sync_group G {\n    group {\n        A\n        B\n    }\n}\n"
             "vrrp_sync_group H {\n    group {\n        A\n    }\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:23:9: error: vrrp_sync_group 'H': vrrp_instance 'A' "
                         "is already in vrrp_sync_group 'G'"))
        << testing::diags(r);
    r = load(two_instances +
             "vrrp_sync_group G {\n    group {\n        A\n    }\n}\n"
             "vrrp_sync_group G {\n    group {\n        B\n    }\n}\n");
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:20:1: error: vrrp_sync_group 'G' is already defined "
                         "(at line 15)"));
}

TEST(SyncGroup, SizeWarnings) {
    auto r = load(two_instances + "vrrp_sync_group G {\n    group {\n        A\n    }\n}\n");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:15:1: warning: vrrp_sync_group 'G' has only one "
                         "vrrp_instance"));
    r = load(two_instances + "vrrp_sync_group G {\n    group {\n    }\n}\n");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:16:5: warning: vrrp_sync_group 'G' has an empty "
                         "group block"))
        << testing::diags(r);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:15:1: warning: vrrp_sync_group 'G' has no "
                         "vrrp_instance"));
    // Names outside a group block are unknown keywords (sample keepalived.conf.vrrp.lvs_syncd).
    r = load(two_instances + "vrrp_sync_group G {\n    A\n}\n");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:16:5: warning: unknown keyword 'A' in "
                         "vrrp_sync_group"));
}

TEST(SyncGroup, MemberTrackingWeightsAreZeroed) {
    const std::string text =
        "vrrp_script s {\n    script /bin/true\n    weight 7\n}\n"  // 1-4
        "vrrp_instance A {\n"                                       // 5
        "    interface eth0\n"
        "    virtual_router_id 5\n"
        "    virtual_ipaddress {\n"
        "        10.0.0.1\n"
        "    }\n"
        "    track_script {\n"  // 11
        "        s\n"           // 12
        "    }\n"
        "    track_interface {\n"  // 14
        "        eth1 weight 5\n"  // 15
        "        eth2\n"           // 16
        "    }\n"
        "}\n"
        "vrrp_instance B {\n"  // 19
        "    interface eth0\n"
        "    virtual_router_id 6\n"
        "    virtual_ipaddress {\n"
        "        10.0.0.2\n"
        "    }\n"
        "}\n"
        "vrrp_sync_group G {\n    group {\n        A\n        B\n    }\n";
    auto r = load(text + "}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& a = r.model->vrrp.instances[0];
    EXPECT_EQ(a.track_scripts[0].weight, 0);
    EXPECT_EQ(a.track_interfaces[0].weight, 0);
    EXPECT_FALSE(a.track_interfaces[1].weight.has_value());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:12:9: warning: vrrp_instance 'A': weight of "
                         "track_script 's' set to 0 in vrrp_sync_group 'G'"))
        << testing::diags(r);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:15:9: warning: vrrp_instance 'A': weight of "
                         "track_interface 'eth1' set to 0"));
    // sync_group_tracking_weight keeps them.
    r = load(text + "    sync_group_tracking_weight\n}\n");
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r.model->vrrp.instances[0].track_scripts[0].weight.has_value());
    EXPECT_EQ(r.model->vrrp.instances[0].track_interfaces[0].weight, 5);
}

TEST(SyncGroup, TrackRefsMustExist) {
    const auto r = load(two_instances +
                        "vrrp_sync_group G {\n    group {\n        A\n        B\n    }\n"
                        "    track_script {\n        nosuch\n    }\n"
                        "    track_file {\n        nofile\n    }\n"
                        "    track_process {\n        noproc\n    }\n"
                        "    track_bfd {\n        nobfd\n    }\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:21:9: warning: vrrp_sync_group 'G': track_script "
                         "'nosuch' is not a defined vrrp_script; ignored"))
        << testing::diags(r);
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:24:9: error: vrrp_sync_group 'G': track_file "
                         "'nofile' is not a defined track_file"));
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:27:9: error: vrrp_sync_group 'G': track_process "
                         "'noproc' is not a defined vrrp_track_process"));
    EXPECT_TRUE(has_diag(r, "track_bfd 'nobfd' is not a defined bfd_instance"));
}

TEST(GarpGroup, AllKeywords) {
    const auto r = load(
        "garp_group {\n"
        "    garp_interval 0.001\n"
        "    gna_interval 2\n"
        "    interface eth0\n"
        "}\n"
        "garp_group {\n"
        "    gna_interval 0.000001\n"
        "    interfaces {\n"
        "        eth1\n"
        "        eth2\n"
        "    }\n"
        "}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto& g = r.model->vrrp.garp_groups;
    ASSERT_EQ(g.size(), 2U);
    EXPECT_EQ(g[0].garp_interval, 1ms);
    EXPECT_EQ(g[0].gna_interval, 2s);
    EXPECT_EQ(g[0].interface, "eth0");
    EXPECT_FALSE(g[1].garp_interval.has_value());
    EXPECT_EQ(g[1].gna_interval, 1us);
    ASSERT_EQ(g[1].interfaces.size(), 2U);
    EXPECT_EQ(g[1].interfaces[1].name, "eth2");
    EXPECT_EQ(r.diags.warning_count(), 0U);
}

TEST(GarpGroup, Errors) {
    auto r = load("garp_group {\n    garp_interval 5000\n    interface eth0\n}\n");
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:2:19: error: garp_interval: 5000 is out of range; "
                         "expected seconds in [0, 2147.483647]"))
        << testing::diags(r);
    r = load("garp_group {\n    gna_interval -1\n    interface eth0\n}\n");
    EXPECT_TRUE(has_diag(r, "keepalived.conf:2:18: error: gna_interval:"));
    r = load("garp_group {\n    interface eth0\n}\n");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:1: warning: garp_group sets neither garp_interval "
                         "nor gna_interval"));
    r = load("garp_group {\n    garp_interval 1\n}\n");
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:1: error: garp_group needs 'interface' or "
                         "'interfaces'"));
    r = load(
        "garp_group {\n    garp_interval 1\n    interface eth0\n}\n"
        "garp_group {\n    garp_interval 1\n    interfaces {\n        eth1\n        eth0\n"
        "    }\n}\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:9:9: error: garp_group: interface 'eth0' is already "
                         "in a garp_group (at line 1)"))
        << testing::diags(r);
    r = load(
        "garp_group {\n    garp_interval 1\n    interface eth0\n    interfaces {\n"
        "        eth1\n    }\n}\n");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:1:1: warning: garp_group: use only one of "
                         "'interface' and 'interfaces'"));
    r = load("garp_group x {\n    garp_interval 1\n    interface eth0\n}\n");
    EXPECT_TRUE(
        has_diag(r, "keepalived.conf:1:12: warning: garp_group: unexpected argument 'x' ignored"));
}

}  // namespace
}  // namespace vigil::config
