#include "core/script_policy.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "config/config.h"
#include "temp_dir.h"

namespace vigil::core {
namespace {

using namespace std::chrono_literals;
using vigil::testing::TempDir;

std::shared_ptr<const config::Model> load(const std::string& text) {
    config::LoadOptions o;
    o.env.host_name = "h";
    auto r = config::load_config_text(text, o);
    EXPECT_TRUE(r.ok()) << r.render_diagnostics();
    return r.model;
}

config::ScriptSpec spec(std::vector<std::string> argv, std::string user = {}) {
    config::ScriptSpec s;
    s.argv = std::move(argv);
    s.user = std::move(user);
    return s;
}

TEST(ScriptPolicy, ConfiguredScriptUserIsTheDefault) {
    const auto m = load("global_defs {\n    script_user nobody\n}\n");
    auto p = ScriptPolicy::from(m->globals.defs, "/usr/bin:/bin");
    ASSERT_TRUE(p) << p.error();
    auto job = p->prepare(spec({"/bin/true"}), "t", 1000ms);
    ASSERT_TRUE(job) << job.error();
    ASSERT_TRUE(job->run_as);
    EXPECT_EQ(job->run_as->user, "nobody");
    EXPECT_EQ(job->timeout, 1000ms);
    // A script's own user wins.
    auto own = p->prepare(spec({"/bin/true"}, "root"), "t", 0ms);
    ASSERT_TRUE(own);
    EXPECT_FALSE(own->run_as);  // root is who we are: no switch needed
}

TEST(ScriptPolicy, UnknownUsersAreErrors) {
    const auto m = load("global_defs {\n    script_user no-such-user-vigil\n}\n");
    EXPECT_FALSE(ScriptPolicy::from(m->globals.defs, "/bin"));
    const auto plain = load("");
    auto p = ScriptPolicy::from(plain->globals.defs, "/bin");
    ASSERT_TRUE(p);
    const auto job = p->prepare(spec({"/bin/true"}, "no-such-user-vigil"), "notify", 0ms);
    ASSERT_FALSE(job);
    EXPECT_NE(job.error().find("notify: unknown user 'no-such-user-vigil'"), std::string::npos);
}

TEST(ScriptPolicy, SecurityRefusesAnInsecureRootScript) {
    TempDir d;
    const auto script = d.write("s.sh", "#!/bin/sh\n", 0755);
    ::chmod(d.path().c_str(), 0777);
    const auto m = load("global_defs {\n    enable_script_security\n    script_user root\n}\n");
    auto p = ScriptPolicy::from(m->globals.defs, "/bin");
    ASSERT_TRUE(p);
    const auto job = p->prepare(spec({script}), "notify_master of vrrp_instance VI_1", 0ms);
    ASSERT_FALSE(job);
    EXPECT_NE(job.error().find("refusing to run '" + script + "' as root"), std::string::npos)
        << job.error();
    EXPECT_NE(job.error().find("writable by everyone"), std::string::npos);
    // The same script run as an unprivileged user is allowed.
    EXPECT_TRUE(p->prepare(spec({script}, "nobody"), "x", 0ms));
    ::chmod(d.path().c_str(), 0755);
    EXPECT_TRUE(p->prepare(spec({script}), "x", 0ms));
}

TEST(ScriptAudit, RootScriptsWithoutSecurityAndMissingOnes) {
    const std::string scripts =
        "vrrp_script chk {\n    script \"/bin/true arg\"\n}\n"
        "vrrp_instance V {\n    interface eth0\n    virtual_router_id 1\n"
        "    virtual_ipaddress {\n        192.0.2.1\n    }\n    track_script {\n        chk\n"
        "    }\n}\n"
        "virtual_server 192.0.2.1 80 {\n    protocol TCP\n    real_server 192.0.2.2 80 {\n"
        "        MISC_CHECK {\n            misc_path /nonexistent/check.sh\n        }\n    }\n}\n";
    auto a = audit_scripts(*load("global_defs {\n    script_user root\n}\n" + scripts), "/bin");
    EXPECT_TRUE(a.root_scripts_without_security);
    ASSERT_EQ(a.missing.size(), 1U);
    EXPECT_NE(a.missing[0].find("MISC_CHECK of real_server [192.0.2.2]:80"), std::string::npos)
        << a.missing[0];
    a = audit_scripts(
        *load("global_defs {\n    script_user root\n    enable_script_security\n}\n" + scripts),
        "/bin");
    EXPECT_FALSE(a.root_scripts_without_security);
    EXPECT_TRUE(a.problems.empty());
    a = audit_scripts(*load("global_defs {\n    script_user nobody\n}\n" + scripts), "/bin");
    EXPECT_FALSE(a.root_scripts_without_security);
    a = audit_scripts(*load("vrrp_instance V {\n    interface eth0\n    virtual_router_id 1\n"
                            "    virtual_ipaddress {\n        192.0.2.1\n    }\n}\n"),
                      "/bin");
    EXPECT_FALSE(a.root_scripts_without_security);
    // keepalived runs a vrrp_script only when something tracks it; neither does vigil.
    a = audit_scripts(*load("global_defs {\n    script_user root\n}\n"
                            "vrrp_script unused {\n    script /bin/true\n}\n"),
                      "/bin");
    EXPECT_FALSE(a.root_scripts_without_security);
}

TEST(AllScripts, EveryKindIsListed) {
    const auto m = load(
        "global_defs {\n    startup_script /bin/a\n    shutdown_script /bin/b\n"
        "    vrrp_notify_fifo /tmp/f\n    vrrp_notify_fifo_script /bin/c\n}\n"
        "vrrp_script s {\n    script /bin/d\n    user nobody\n}\n"
        "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
        "    virtual_ipaddress {\n        192.0.2.1\n    }\n    notify_master /bin/e\n"
        "    track_script {\n        s\n    }\n"
        "    notify \"/bin/f x\"\n}\n"
        "vrrp_sync_group G {\n    group {\n        VI_1\n    }\n    notify_fault /bin/g\n}\n"
        "virtual_server 192.0.2.1 80 {\n    protocol TCP\n    quorum_up /bin/h\n"
        "    real_server 192.0.2.2 80 {\n        notify_down /bin/i\n"
        "        MISC_CHECK {\n            misc_path /bin/j\n        }\n    }\n}\n");
    const auto all = config::all_scripts(*m);
    std::string programs;
    for (const auto& s : all) programs += s.script.argv[0].substr(5);
    EXPECT_EQ(programs, "abcdefghij");
    EXPECT_EQ(all[3].script.user, "nobody");
    EXPECT_EQ(all[3].what, "vrrp_script s");
    EXPECT_EQ(all[5].script.argv, (std::vector<std::string>{"/bin/f", "x"}));
}

}  // namespace
}  // namespace vigil::core
