// A real server's health from its checkers: all must be up, each change reported once, and
// dynamic weights combined as keepalived does.
#include "check/real_server_health.h"

#include <gtest/gtest.h>

namespace vigil::check {
namespace {

template <class T>
std::size_t count(const ServerEvents& events) {
    std::size_t n = 0;
    for (const auto& e : events)
        if (std::holds_alternative<T>(e)) ++n;
    return n;
}

TEST(RealServerHealth, WithoutCheckersAlwaysUp) {
    RealServerHealth h(3, {});
    EXPECT_TRUE(h.up());
    EXPECT_EQ(h.weight(), 3U);
    EXPECT_EQ(h.checkers(), 0U);
}

TEST(RealServerHealth, InitialStateFromTheCheckers) {
    EXPECT_TRUE(RealServerHealth(1, {true, true}).up());
    EXPECT_FALSE(RealServerHealth(1, {true, false}).up());
    EXPECT_EQ(RealServerHealth(1, {false, false, true}).failed_checkers(), 2U);
}

// Each step: checker id, its new state; expected server events (up/down/none).
struct Step {
    std::size_t checker;
    bool up;
    int expect;  // +1 ServerUp, -1 ServerDown, 0 nothing
};

TEST(RealServerHealth, UpOnlyWhenAllCheckersAreUp) {
    RealServerHealth h(1, {true, true, true});
    const std::vector<Step> steps{
        {0, false, -1}, {1, false, 0}, {0, true, 0},  {0, true, 0},   {1, true, +1},
        {2, false, -1}, {2, false, 0}, {2, true, +1}, {1, false, -1}, {1, true, +1},
    };
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto& s = steps[i];
        const auto ev = h.on_checker_health(s.checker, s.up, "reason " + std::to_string(i));
        EXPECT_EQ(count<ServerUp>(ev), s.expect == 1 ? 1U : 0U) << "step " << i;
        EXPECT_EQ(count<ServerDown>(ev), s.expect == -1 ? 1U : 0U) << "step " << i;
        if (s.expect == -1) {
            EXPECT_EQ(std::get<ServerDown>(ev[0]).reason, "reason " + std::to_string(i));
        }
    }
    EXPECT_TRUE(h.up());
}

TEST(RealServerHealth, AppliesPolicyActions) {
    RealServerHealth h(1, {true});
    PolicyActions a{StartProbe{}, AttemptFailed{1, 2, "x"}, HealthChanged{false, "refused"}};
    auto ev = h.apply(0, a);
    ASSERT_EQ(ev.size(), 1U);
    EXPECT_EQ(std::get<ServerDown>(ev[0]).reason, "refused");
    ev = h.apply(0, {WeightChanged{4}, HealthChanged{true, "ok"}});
    ASSERT_EQ(ev.size(), 2U);
    EXPECT_EQ(std::get<ServerWeightChanged>(ev[0]).weight, 4U);
    EXPECT_EQ(std::get<ServerUp>(ev[1]).reason, "ok");
}

TEST(RealServerHealth, OneDynamicCheckerSetsTheWeight) {
    RealServerHealth h(10, {true, true});
    auto ev = h.on_checker_weight(0, 20);
    ASSERT_EQ(ev.size(), 1U);
    EXPECT_EQ(std::get<ServerWeightChanged>(ev[0]).weight, 20U);
    EXPECT_TRUE(h.on_checker_weight(0, 20).empty()) << "reported once per change";
    ev = h.on_checker_weight(0, 10);
    ASSERT_EQ(ev.size(), 1U);
    EXPECT_EQ(h.weight(), 10U);
}

TEST(RealServerHealth, DynamicCheckersAddTheirDeltas) {
    // Configured 10; checker 0 wants 15 (+5), checker 1 wants 7 (-3): 12.
    RealServerHealth h(10, {true, true});
    (void)h.on_checker_weight(0, 15);
    (void)h.on_checker_weight(1, 7);
    EXPECT_EQ(h.weight(), 12U);
    // Deltas below zero clamp at 0.
    (void)h.on_checker_weight(1, 0);
    (void)h.on_checker_weight(0, 0);
    EXPECT_EQ(h.weight(), 0U);
    // And above the kernel's maximum at its maximum.
    (void)h.on_checker_weight(0, RealServerHealth::max_weight);
    (void)h.on_checker_weight(1, RealServerHealth::max_weight);
    EXPECT_EQ(h.weight(), RealServerHealth::max_weight);
}

}  // namespace
}  // namespace vigil::check
