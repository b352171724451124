#include "app/cli.h"

#include <gtest/gtest.h>

#include <csignal>

namespace vigil::app {
namespace {

CliResult parse(std::vector<std::string> args) {
    args.insert(args.begin(), "vigild");
    return parse_vigild_cli(args);
}

TEST(Cli, Defaults) {
    const auto r = parse({});
    ASSERT_TRUE(r.options);
    EXPECT_EQ(r.options->config_file, "/etc/keepalived/keepalived.conf");
    EXPECT_FALSE(r.options->config_test);
}

TEST(Cli, KeepalivedShortFlags) {
    const auto r = parse({"-f",     "/x.conf", "-n",         "-l", "-D",         "-P", "-R",
                          "-d",     "-p",      "/run/a.pid", "-r", "/run/v.pid", "-c", "/run/c.pid",
                          "-V",     "-I",      "-X",         "-S", "local3",     "-G", "-i",
                          "backup", "-s",      "ns1",        "-e"});
    ASSERT_TRUE(r.options) << r.output;
    const auto& o = *r.options;
    EXPECT_EQ(o.config_file, "/x.conf");
    EXPECT_TRUE(o.dont_fork && o.log_console && o.log_detail && o.vrrp_only && o.dont_respawn);
    EXPECT_TRUE(o.dump_conf && o.dont_release_vrrp && o.dont_release_ipvs && o.release_vips);
    EXPECT_TRUE(o.no_syslog && o.all_config);
    EXPECT_EQ(o.pid_file, "/run/a.pid");
    EXPECT_EQ(o.vrrp_pid_file, "/run/v.pid");
    EXPECT_EQ(o.checkers_pid_file, "/run/c.pid");
    EXPECT_EQ(o.log_facility, 3);
    EXPECT_EQ(o.config_id, "backup");
    EXPECT_EQ(o.net_namespace, "ns1");
}

// What a worker is started with comes back as the same options.
TEST(Cli, WorkerArgumentsRoundTrip) {
    const auto r = parse({"-s", "ns1", "-D", "-l"});
    ASSERT_TRUE(r.options);
    auto o = *r.options;
    o.initial_netns_fd = 7;
    auto args = worker_arguments(o, "/etc/k.conf");
    args.emplace_back("vrrp");
    const auto w = parse(args);
    ASSERT_TRUE(w.options) << w.output;
    EXPECT_EQ(w.options->worker, "vrrp");
    EXPECT_EQ(w.options->net_namespace, "ns1");
    EXPECT_EQ(w.options->initial_netns_fd, 7);
    EXPECT_EQ(w.options->config_file, "/etc/k.conf");
    EXPECT_TRUE(w.options->log_detail && w.options->log_console);
}

TEST(Cli, LongForms) {
    const auto r = parse({"--use-file=/y.conf", "--dont-fork", "--log-console", "--check",
                          "--log-facility=daemon", "--config-id", "a", "--log-file=/tmp/l.log"});
    ASSERT_TRUE(r.options) << r.output;
    EXPECT_EQ(r.options->config_file, "/y.conf");
    EXPECT_TRUE(r.options->checkers_only);
    EXPECT_EQ(r.options->log_facility, 9);
    EXPECT_EQ(r.options->log_file, "/tmp/l.log");
}

TEST(Cli, ConfigTestWithAndWithoutFile) {
    auto r = parse({"-t", "-f", "/z.conf"});
    ASSERT_TRUE(r.options);
    EXPECT_TRUE(r.options->config_test);
    EXPECT_FALSE(r.options->config_test_output);
    EXPECT_EQ(r.options->config_file, "/z.conf");
    r = parse({"--config-test=/tmp/out"});
    ASSERT_TRUE(r.options);
    EXPECT_TRUE(r.options->config_test);
    EXPECT_EQ(r.options->config_test_output, "/tmp/out");
}

TEST(Cli, Errors) {
    EXPECT_EQ(parse({"--bogus"}).exit_code, 2);
    EXPECT_EQ(parse({"-S", "local9"}).exit_code, 2);
    EXPECT_EQ(parse({"-u", "0999"}).exit_code, 2);
    EXPECT_FALSE(parse({"-f"}).options);
}

TEST(Cli, VersionHelpSignum) {
    EXPECT_NE(parse({"-v"}).output.find("vigild"), std::string::npos);
    EXPECT_NE(parse({"-h"}).output.find("--config-test"), std::string::npos);
    EXPECT_EQ(parse({"--signum=RELOAD"}).output, std::to_string(SIGHUP) + "\n");
    EXPECT_EQ(parse({"--signum=BOGUS"}).exit_code, 1);
}

}  // namespace
}  // namespace vigil::app
