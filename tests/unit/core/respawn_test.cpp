#include "core/respawn.h"

#include <gtest/gtest.h>

namespace vigil::core {
namespace {

using namespace std::chrono_literals;

WorkerExit crash(Clock::duration ran) {
    return WorkerExit{true, 9, ran};
}

TEST(Respawn, QuickDeathsDoubleTheDelayUpToTheCap) {
    RespawnBackoff b;
    std::vector<long> delays;
    for (int i = 0; i < 9; ++i) delays.push_back(b.on_exit(crash(2s)).delay.count());
    EXPECT_EQ(delays,
              (std::vector<long>{1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000}));
}

TEST(Respawn, LongRunRespawnsAtOnceAndResets) {
    RespawnBackoff b;
    (void)b.on_exit(crash(1s));
    (void)b.on_exit(crash(1s));
    EXPECT_EQ(b.next_delay(), 4000ms);
    const auto d = b.on_exit(crash(61s));
    EXPECT_EQ(d.kind, RespawnDecision::Kind::respawn);
    EXPECT_EQ(d.delay, 0ms);
    EXPECT_EQ(b.on_exit(crash(1s)).delay, 1000ms);
}

TEST(Respawn, PermanentExitStops) {
    RespawnBackoff b;
    for (const int code : {4, 7}) {
        const auto d = b.on_exit(WorkerExit{false, code, 1s});
        EXPECT_EQ(d.kind, RespawnDecision::Kind::stop);
        EXPECT_EQ(d.exit_code, code);
    }
    // A worker killed by signal 4 (SIGILL) is not a permanent exit.
    EXPECT_EQ(b.on_exit(WorkerExit{true, 4, 1s}).kind, RespawnDecision::Kind::respawn);
    EXPECT_EQ(b.on_exit(WorkerExit{false, 1, 1s}).kind, RespawnDecision::Kind::respawn);
}

TEST(Respawn, DisabledStops) {
    RespawnPolicyConfig c;
    c.respawn = false;
    RespawnBackoff b(c);
    const auto d = b.on_exit(crash(100s));
    EXPECT_EQ(d.kind, RespawnDecision::Kind::stop);
    EXPECT_NE(d.reason.find("-R"), std::string::npos);
}

}  // namespace
}  // namespace vigil::core
