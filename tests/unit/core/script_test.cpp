// The script runner and script security, with real processes.
#include <gtest/gtest.h>
#include <signal.h>
#include <spdlog/sinks/ostream_sink.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <sstream>
#include <thread>

#include "config/values.h"
#include "core/child_process.h"
#include "core/script_runner.h"
#include "core/script_security.h"
#include "temp_dir.h"

namespace vigil::core {
namespace {

using namespace std::chrono_literals;
using vigil::testing::TempDir;

struct RunnerFixture : ::testing::Test {
    boost::asio::io_context ioc;
    std::ostringstream log_text;
    Logger log = std::make_shared<spdlog::logger>(
        "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text));
    ScriptRunner runner{ioc.get_executor(), log};

    ScriptOutcome run(ScriptJob job, std::chrono::milliseconds budget = 10s) {
        std::optional<ScriptOutcome> out;
        runner.run(std::move(job), [&](const ScriptOutcome& o) { out = o; });
        const auto deadline = std::chrono::steady_clock::now() + budget;
        while (!out && std::chrono::steady_clock::now() < deadline) ioc.run_one_for(100ms);
        EXPECT_TRUE(out) << "script did not finish";
        return out.value_or(ScriptOutcome{});
    }

    // Keeps the loop running (e.g. for the kill timer of a timed-out script) until `done`.
    template <typename F>
    bool run_until(F done, std::chrono::milliseconds budget = 10s) {
        const auto deadline = std::chrono::steady_clock::now() + budget;
        while (!done() && std::chrono::steady_clock::now() < deadline) ioc.run_one_for(50ms);
        return done();
    }
};

bool process_gone(pid_t pid) {
    if (::kill(pid, 0) != 0) return true;
    // A zombie waiting for init to reap it is gone as far as we care.
    std::string stat = TempDir::read("/proc/" + std::to_string(pid) + "/stat");
    const auto paren = stat.rfind(')');
    return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z';
}

TEST_F(RunnerFixture, ArgumentsWithSpacesAndQuotesArriveIntact) {
    TempDir d;
    const auto out = d.file("args");
    const auto script = d.write(
        "args.sh", "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done > " + out + "\n",
        0755);
    // As keepalived.conf writes it: notify "/path/args.sh 'a b' \"c'd\" e\ f".
    const auto argv = config::split_command(script + R"( 'a b' "c'd" e\ f '' "x  y")");
    const auto o = run({"args", argv, std::nullopt, 5s});
    EXPECT_TRUE(o.success()) << describe(o);
    EXPECT_EQ(TempDir::read(out), "[a b]\n[c'd]\n[e f]\n[]\n[x  y]\n");
}

// A script gets descriptors 0, 1 and 2 and nothing else of the daemon's, even those nobody
// marked close-on-exec (security review: a notify script running as an unprivileged user
// inherited the raw VRRP socket and sent forged adverts from it).
TEST_F(RunnerFixture, ScriptsInheritOnlyTheStandardDescriptors) {
    TempDir d;
    const auto out = d.file("fds");
    const int leaky = ::socket(AF_INET, SOCK_DGRAM, 0);  // no SOCK_CLOEXEC
    ASSERT_GE(leaky, 0);
    const auto o = run({"fds", {"/bin/sh", "-c", "ls /proc/self/fd > " + out}, std::nullopt, 5s});
    ::close(leaky);
    EXPECT_TRUE(o.success()) << describe(o);
    // ls itself opens the directory: one more entry, which is gone when listed as broken.
    std::istringstream listed(TempDir::read(out));
    std::vector<int> fds;
    for (int fd = 0; listed >> fd;) fds.push_back(fd);
    ASSERT_GE(fds.size(), 3U);
    EXPECT_EQ(std::vector<int>(fds.begin(), fds.begin() + 3), (std::vector<int>{0, 1, 2}));
    EXPECT_LE(fds.size(), 4U) << TempDir::read(out);  // 0, 1, 2 and ls's own directory
}

// vigild's workers keep the one descriptor they are given (-s: the initial namespace).
TEST(SpawnChild, KeepsTheInheritedDescriptor) {
    TempDir d;
    const auto out = d.file("fds");
    const int kept = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(kept, 3);
    SpawnOptions so;
    so.argv = {"/bin/sh", "-c",
               "test -e /proc/self/fd/" + std::to_string(kept) + " && echo kept > " + out};
    so.inherit_fd = kept;
    auto c = spawn_child(so);
    ASSERT_TRUE(c.ok()) << c.error();
    std::optional<ChildStatus> s;
    while (!(s = reap_child(c.value()))) std::this_thread::sleep_for(10ms);
    ::close(kept);
    EXPECT_EQ(s->code, 0);
    EXPECT_EQ(TempDir::read(out), "kept\n");
}

TEST_F(RunnerFixture, ExitStatusAndSignal) {
    EXPECT_EQ(run({"false", {"/bin/false"}, std::nullopt, 5s}).code, 1);
    const auto o = run({"sh", {"/bin/sh", "-c", "kill -USR1 $$"}, std::nullopt, 5s});
    EXPECT_EQ(o.kind, ScriptOutcome::Kind::signaled);
    EXPECT_EQ(o.code, SIGUSR1);
}

TEST_F(RunnerFixture, MissingProgramIsReportedNotCrashed) {
    const auto o = run({"missing", {"/nonexistent/script.sh", "x"}, std::nullopt, 5s});
    EXPECT_EQ(o.kind, ScriptOutcome::Kind::not_started);
    EXPECT_NE(o.error.find("No such file"), std::string::npos) << o.error;
}

TEST_F(RunnerFixture, OutputGoesToTheLog) {
    const auto o =
        run({"chatty (VI_1)", {"/bin/sh", "-c", "echo hello; echo oops >&2"}, std::nullopt, 5s});
    EXPECT_TRUE(o.success());
    log->flush();
    EXPECT_NE(log_text.str().find("script chatty (VI_1): hello"), std::string::npos)
        << log_text.str();
    EXPECT_NE(log_text.str().find("script chatty (VI_1): oops"), std::string::npos);
}

TEST_F(RunnerFixture, TimeoutKillsTheScriptAndItsChildren) {
    TempDir d;
    const auto child_file = d.file("child");
    const auto script = d.write("hang.sh",
                                "#!/bin/sh\ntrap '' TERM\nsleep 1000 &\necho $! > " + child_file +
                                    "\nwhile :; do sleep 1; done\n",
                                0755);
    const auto start = std::chrono::steady_clock::now();
    const auto o = run({"hang", {script}, std::nullopt, 300ms});
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(o.kind, ScriptOutcome::Kind::timed_out);
    EXPECT_LT(took, 5s);
    const pid_t child = std::stoi(TempDir::read(child_file));
    EXPECT_TRUE(run_until([&] { return process_gone(child); }))
        << "the script's child " << child << " survived";
    EXPECT_EQ(runner.running(), 0U);
}

// The script dies of its SIGTERM at once, its child ignores it; a stop before the grace
// period is over still kills the child (it used to survive the daemon).
TEST_F(RunnerFixture, KillAllReachesTheChildrenOfATimedOutScript) {
    TempDir d;
    const auto child_file = d.file("child");
    const auto script = d.write("hang.sh",
                                "#!/bin/sh\n(trap '' TERM; exec sleep 1000) &\necho $! > " +
                                    child_file + "\nexec sleep 1000\n",
                                0755);
    const auto o = run({"hang", {script}, std::nullopt, 1s});
    EXPECT_EQ(o.kind, ScriptOutcome::Kind::timed_out);
    const pid_t child = std::stoi(TempDir::read(child_file));
    EXPECT_FALSE(process_gone(child));  // the grace period is not over
    runner.kill_all();
    // Without running the loop: the grace timer cannot be what kills it.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!process_gone(child) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    EXPECT_TRUE(process_gone(child));
}

TEST_F(RunnerFixture, RunsAsTheConfiguredUser) {
    TempDir d;
    ::chmod(d.path().c_str(), 01777);
    const auto out = d.file("uid");
    auto nobody = lookup_credentials("nobody");
    ASSERT_TRUE(nobody);
    const auto o = run({"id", {"/bin/sh", "-c", "id -u > " + out}, nobody.value(), 5s});
    EXPECT_TRUE(o.success()) << describe(o);
    EXPECT_EQ(TempDir::read(out), std::to_string(nobody->uid) + "\n");
}

TEST_F(RunnerFixture, DoesNotBlockTheLoop) {
    bool timer_fired = false;
    boost::asio::steady_timer t(ioc, 100ms);
    t.async_wait([&](auto) { timer_fired = true; });
    const auto o = run({"sleep", {"/bin/sleep", "0.5"}, std::nullopt, 5s});
    EXPECT_TRUE(o.success());
    EXPECT_TRUE(timer_fired);
}

TEST(ScriptSecurity, RootOwnedPathIsSecure) {
    TempDir d;
    const auto script = d.write("ok.sh", "#!/bin/sh\n", 0755);
    const auto v = check_script_security(script, "");
    EXPECT_TRUE(v.secure) << v.reason;
    EXPECT_TRUE(check_script_security("sh", "/usr/bin:/bin").secure);
}

TEST(ScriptSecurity, WritableScriptOrDirectoryIsRefused) {
    TempDir d;
    const auto script = d.write("s.sh", "#!/bin/sh\n", 0757);
    auto v = check_script_security(script, "");
    EXPECT_FALSE(v.secure);
    EXPECT_NE(v.reason.find("writable by everyone"), std::string::npos) << v.reason;

    ::chmod(script.c_str(), 0755);
    ::chmod(d.path().c_str(), 0777);
    v = check_script_security(script, "");
    EXPECT_FALSE(v.secure);
    EXPECT_NE(v.reason.find(d.path() + " is writable by everyone"), std::string::npos) << v.reason;

    ::chmod(d.path().c_str(), 0755);
    ASSERT_EQ(::chown(script.c_str(), 65534, 65534), 0);
    v = check_script_security(script, "");
    EXPECT_FALSE(v.secure);
    EXPECT_NE(v.reason.find("owned by uid 65534"), std::string::npos) << v.reason;
}

TEST(ScriptSecurity, SymlinkIntoAnInsecureDirectoryIsRefused) {
    TempDir safe;
    TempDir unsafe;
    ::chmod(unsafe.path().c_str(), 0777);
    const auto target = unsafe.write("t.sh", "#!/bin/sh\n", 0755);
    const auto link = safe.file("link.sh");
    ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
    const auto v = check_script_security(link, "");
    EXPECT_FALSE(v.secure);
    EXPECT_NE(v.reason.find("writable by everyone"), std::string::npos) << v.reason;
}

TEST(ScriptSecurity, MissingScript) {
    const auto v = check_script_security("/nonexistent/x.sh", "");
    EXPECT_FALSE(v.secure);
    EXPECT_NE(v.reason.find("not found"), std::string::npos);
}

}  // namespace
}  // namespace vigil::core
