// MISC_CHECK with real scripts through the real ScriptRunner: each exit code, with and without
// misc_dynamic, a signal, and a script that hangs past misc_timeout.
#include "check/misc_probe.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "core/temp_dir.h"  // tests/unit/core

namespace vigil::check {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using K = ProbeOutcome::Kind;

class MiscProbeTest : public ::testing::Test {
  protected:
    struct Timed {
        ProbeOutcome outcome;
        std::chrono::milliseconds took{};
    };

    Timed run_script(const std::string& body, bool dynamic,
                     std::chrono::milliseconds timeout = 5s) {
        const auto path = dir_.write("check.sh", "#!/bin/sh\n" + body + "\n", 0755);
        MiscProbeSettings s;
        s.job.name = "MISC_CHECK test";
        s.job.argv = {path, "arg one"};
        s.job.timeout = timeout;
        s.dynamic = dynamic;
        MiscProbe probe(runner_, std::move(s));
        std::optional<ProbeOutcome> out;
        const auto start = std::chrono::steady_clock::now();
        ioc_.restart();  // a loop that ran out of work stays stopped until restarted
        asio::co_spawn(ioc_, probe.run(), [&](const std::exception_ptr& e, ProbeOutcome o) {
            EXPECT_FALSE(e);
            out = std::move(o);
        });
        while (!out && std::chrono::steady_clock::now() < start + 20s) ioc_.run_one_for(50ms);
        EXPECT_TRUE(out) << "MISC_CHECK did not finish";
        return {out.value_or(ProbeOutcome{}), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  std::chrono::steady_clock::now() - start)};
    }

    vigil::testing::TempDir dir_;
    asio::io_context ioc_;
    core::ScriptRunner runner_{
        ioc_.get_executor(),
        std::make_shared<spdlog::logger>("misc", std::make_shared<spdlog::sinks::null_sink_mt>())};
};

TEST_F(MiscProbeTest, ExitZeroIsUp) {
    const auto r = run_script("exit 0", false).outcome;
    EXPECT_TRUE(r.ok()) << r.reason;
    EXPECT_FALSE(r.weight);
}

TEST_F(MiscProbeTest, ArgumentsArrive) {
    const auto r = run_script("[ \"$1\" = \"arg one\" ] || exit 1", false).outcome;
    EXPECT_TRUE(r.ok()) << r.reason;
}

TEST_F(MiscProbeTest, AnyOtherExitIsDownWithoutMiscDynamic) {
    for (int code : {1, 2, 10, 255}) {
        const auto r = run_script("exit " + std::to_string(code), false).outcome;
        EXPECT_EQ(r.kind, K::script_failed) << code;
        EXPECT_NE(r.reason.find(std::to_string(code)), std::string::npos) << r.reason;
        EXPECT_FALSE(r.weight);
    }
}

TEST_F(MiscProbeTest, MiscDynamicWeights) {
    const auto zero = run_script("exit 0", true).outcome;
    EXPECT_TRUE(zero.ok());
    EXPECT_FALSE(zero.weight);  // keepalived.conf(5): exit 0 leaves the weight unchanged
    EXPECT_EQ(run_script("exit 1", true).outcome.kind, K::script_failed);
    for (int code : {2, 3, 12, 255}) {
        const auto r = run_script("exit " + std::to_string(code), true).outcome;
        EXPECT_TRUE(r.ok()) << code;
        EXPECT_EQ(r.weight, static_cast<std::uint32_t>(code - 2)) << code;
    }
}

TEST_F(MiscProbeTest, KilledBySignalIsDown) {
    const auto r = run_script("kill -9 $$", true).outcome;
    EXPECT_EQ(r.kind, K::script_failed);
    EXPECT_NE(r.reason.find("signal"), std::string::npos) << r.reason;
}

TEST_F(MiscProbeTest, HangingScriptIsKilledAtMiscTimeout) {
    const auto r = run_script("exec sleep 30", false, 500ms);
    EXPECT_EQ(r.outcome.kind, K::script_failed);
    EXPECT_NE(r.outcome.reason.find("timed out"), std::string::npos) << r.outcome.reason;
    EXPECT_GE(r.took, 450ms);
    EXPECT_LT(r.took, 500ms + core::ScriptRunner::kill_grace + 1s);
}

TEST_F(MiscProbeTest, ScriptIgnoringSigtermIsKilledAfterTheGrace) {
    const auto r = run_script("trap '' TERM\nwhile :; do sleep 0.1; done", false, 300ms);
    EXPECT_EQ(r.outcome.kind, K::script_failed);
    EXPECT_LT(r.took, 300ms + core::ScriptRunner::kill_grace + 1s);
}

TEST_F(MiscProbeTest, MissingProgramIsDown) {
    MiscProbeSettings s;
    s.job.argv = {dir_.file("does-not-exist")};
    s.job.timeout = 1s;
    MiscProbe probe(runner_, s);
    std::optional<ProbeOutcome> out;
    ioc_.restart();
    asio::co_spawn(ioc_, probe.run(), [&](const std::exception_ptr&, ProbeOutcome o) { out = o; });
    for (int i = 0; i < 100 && !out; ++i) ioc_.run_one_for(50ms);
    ASSERT_TRUE(out);
    EXPECT_EQ(out->kind, K::script_failed);
}

TEST(MiscProbeTimeout, MiscTimeoutElseDelayLoop) {
    config::MiscCheck c;
    config::CheckerSettings s;
    s.delay_loop = 6s;
    EXPECT_EQ(misc_probe_timeout(c, s), 6s);
    c.misc_timeout = 2s;
    EXPECT_EQ(misc_probe_timeout(c, s), 2s);
}

TEST(MiscOutcome, PureVerdicts) {
    MiscProbeSettings s;
    s.job.argv = {"/bin/true"};
    s.dynamic = true;
    using SK = core::ScriptOutcome::Kind;
    EXPECT_FALSE(misc_outcome({SK::exited, 0, {}}, s).weight);
    EXPECT_EQ(misc_outcome({SK::exited, 255, {}}, s).weight, 253U);
    EXPECT_FALSE(misc_outcome({SK::exited, 1, {}}, s).ok());
    EXPECT_FALSE(misc_outcome({SK::timed_out, 0, {}}, s).ok());
    EXPECT_FALSE(misc_outcome({SK::signaled, 15, {}}, s).ok());
    EXPECT_FALSE(misc_outcome({SK::not_started, 0, "no such file"}, s).ok());
}

}  // namespace
}  // namespace vigil::check
