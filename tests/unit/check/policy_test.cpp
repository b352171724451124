// One checker's policy on simulated time: rounds of attempts with retries, the exact times of
// probes and transitions, alpha, warmup, recovery, dynamic weights, event-driven checkers.
#include "check/policy.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <functional>
#include <utility>

namespace vigil::check {
namespace {

using namespace std::chrono_literals;

const Time t0{};

// What the simulated real server answers to an attempt started at a time, and how long the
// attempt takes.
struct Answer {
    ProbeOutcome outcome;
    Micros duration{0};
};
using Server = std::function<Answer(Time)>;

Answer ok(Micros took = 0us) {
    return {ProbeOutcome::success(), took};
}
Answer refused() {
    return {ProbeOutcome::failure(ProbeOutcome::Kind::connect_failed, "connection refused"), 0us};
}
Answer timeout(Micros ct) {
    return {ProbeOutcome::failure(ProbeOutcome::Kind::timed_out, "connect timed out"), ct};
}

// Drives a policy the way the checker worker will: timers at next_deadline(), a probe when
// asked, its outcome when the simulated attempt ends.
struct Sim {
    CheckerPolicy policy;
    Server server;
    std::optional<std::pair<Time, ProbeOutcome>> inflight;
    std::vector<Time> probes;
    std::vector<std::pair<Time, HealthChanged>> changes;
    std::vector<AttemptFailed> failed_attempts;
    std::vector<std::uint32_t> weights;

    Sim(PolicySettings s, Server srv) : policy(std::move(s)), server(std::move(srv)) {}

    void handle(const PolicyActions& actions, Time now) {
        for (const auto& a : actions) {
            if (std::holds_alternative<StartProbe>(a)) {
                ASSERT_FALSE(inflight) << "two attempts in flight";
                probes.push_back(now);
                Answer ans = server(now);
                inflight = std::make_pair(now + ans.duration, ans.outcome);
            } else if (const auto* h = std::get_if<HealthChanged>(&a)) {
                changes.emplace_back(now, *h);
            } else if (const auto* f = std::get_if<AttemptFailed>(&a)) {
                failed_attempts.push_back(*f);
            } else if (const auto* w = std::get_if<WeightChanged>(&a)) {
                weights.push_back(w->weight);
            }
        }
    }

    void run_until(Time end) {
        for (int guard = 0; guard < 100000; ++guard) {
            const auto deadline = policy.next_deadline();
            if (inflight && (!deadline || inflight->first <= *deadline)) {
                if (inflight->first > end) return;
                const auto [when, outcome] = *inflight;
                inflight.reset();
                handle(policy.on_probe_done(outcome, when), when);
                continue;
            }
            if (!deadline || *deadline > end) return;
            handle(policy.on_timer(*deadline), *deadline);
        }
        FAIL() << "simulation did not settle";
    }
};

PolicySettings settings(Micros delay_loop, std::uint32_t retry, Micros delay_before_retry) {
    PolicySettings s;
    s.delay_loop = delay_loop;
    s.retry = retry;
    s.delay_before_retry = delay_before_retry;
    return s;
}

struct RetryCase {
    std::uint32_t retry;
    Micros delay_before_retry;
    Micros connect_timeout;
    bool times_out;  // else refused at once
};

class RetryTiming : public ::testing::TestWithParam<RetryCase> {};

// The server dies just after the success at 10 s: the round at 20 s fails retry+1 times, and
// the checker goes down when the last attempt ends:
// 10 s + delay_loop + (retry+1) * attempt + retry * delay_before_retry.
TEST_P(RetryTiming, DownExactlyAfterRetryPlusOneFailures) {
    const auto& c = GetParam();
    const Micros attempt = c.times_out ? c.connect_timeout : 0us;
    Sim sim(settings(10s, c.retry, c.delay_before_retry), [&](Time t) {
        if (t <= t0 + 10s) return ok();
        return c.times_out ? timeout(c.connect_timeout) : refused();
    });
    sim.handle(sim.policy.start(t0, 0us), t0);
    sim.run_until(t0 + 19s);
    EXPECT_TRUE(sim.changes.empty());
    sim.run_until(t0 + 60s);

    ASSERT_GE(sim.changes.size(), 1U);
    const Time expected_down = t0 + 20s + (c.retry + 1) * attempt + c.retry * c.delay_before_retry;
    EXPECT_EQ(sim.changes[0].first, expected_down);
    EXPECT_FALSE(sim.changes[0].second.up);
    EXPECT_EQ(sim.changes.size(), 1U) << "a down checker does not report down again";
    EXPECT_FALSE(sim.policy.up());

    // The attempts of the failing round: at 20 s, then each delay_before_retry after the end
    // of the previous one.
    std::vector<Time> expected{t0, t0 + 10s};
    for (std::uint32_t i = 0; i <= c.retry; ++i)
        expected.push_back(t0 + 20s + i * (attempt + c.delay_before_retry));
    ASSERT_GE(sim.probes.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(sim.probes[i], expected[i]) << i;
    // The next round starts delay_loop after the end of the round.
    ASSERT_GT(sim.probes.size(), expected.size());
    EXPECT_EQ(sim.probes[expected.size()], expected_down + 10s);

    // The reason is the last failure, with the retry count when there were retries.
    const auto& reason = sim.changes[0].second.reason;
    EXPECT_NE(reason.find(c.times_out ? "timed out" : "refused"), std::string::npos) << reason;
    if (c.retry > 0) {
        EXPECT_NE(reason.find(fmt::format("after {} retries", c.retry)), std::string::npos);
    }
    // Every failed attempt but the last of the first failing round was reported.
    ASSERT_GE(sim.failed_attempts.size(), c.retry);
    for (std::uint32_t i = 0; i < c.retry; ++i) {
        EXPECT_EQ(sim.failed_attempts[i].attempt, i + 1);
        EXPECT_EQ(sim.failed_attempts[i].attempts, c.retry + 1);
    }
}

INSTANTIATE_TEST_SUITE_P(Policy, RetryTiming,
                         ::testing::Values(RetryCase{0, 1s, 5s, false}, RetryCase{1, 1s, 5s, false},
                                           RetryCase{1, 1s, 5s, true}, RetryCase{3, 2s, 1s, true},
                                           RetryCase{3, 500ms, 3s, false},
                                           RetryCase{2, 3s, 2s, true}));

TEST(Policy, StartsUpWithoutAlphaAndDownWithAlpha) {
    EXPECT_TRUE(CheckerPolicy(settings(5s, 1, 1s)).up());
    auto s = settings(5s, 1, 1s);
    s.alpha = true;
    EXPECT_FALSE(CheckerPolicy(s).up());
}

TEST(Policy, AlphaComesUpAtTheFirstSuccess) {
    auto s = settings(5s, 1, 1s);
    s.alpha = true;
    Sim sim(s, [](Time) { return ok(20ms); });
    sim.handle(sim.policy.start(t0, 3s), t0);
    sim.run_until(t0 + 12s);
    ASSERT_EQ(sim.changes.size(), 1U);
    EXPECT_TRUE(sim.changes[0].second.up);
    EXPECT_EQ(sim.changes[0].first, t0 + 3s + 20ms);
    EXPECT_EQ(sim.probes, (std::vector<Time>{t0 + 3s, t0 + 8s + 20ms}));
}

TEST(Policy, AlphaFailingFirstRoundStaysDownSilently) {
    auto s = settings(5s, 2, 1s);
    s.alpha = true;
    Sim sim(s, [](Time) { return refused(); });
    sim.handle(sim.policy.start(t0, 0us), t0);
    sim.run_until(t0 + 30s);
    EXPECT_TRUE(sim.changes.empty());
    EXPECT_FALSE(sim.policy.up());
    // Down checkers keep probing, with retries: rounds at 0, 7, 14, 21, 28 s.
    EXPECT_EQ(sim.probes.size(), 15U);
    EXPECT_EQ(sim.probes[3], t0 + 7s);
}

TEST(Policy, WarmupDelaysTheFirstProbe) {
    CheckerPolicy p(settings(5s, 1, 1s));
    EXPECT_TRUE(p.start(t0, 7s).empty());
    EXPECT_EQ(p.next_deadline(), t0 + 7s);
    EXPECT_TRUE(p.on_timer(t0 + 6999ms).empty()) << "an early wake-up starts nothing";
    const auto a = p.on_timer(t0 + 7s);
    ASSERT_EQ(a.size(), 1U);
    EXPECT_TRUE(std::holds_alternative<StartProbe>(a[0]));
    EXPECT_TRUE(p.probing());
    EXPECT_EQ(p.next_deadline(), std::nullopt) << "no timer while the attempt runs";
}

TEST(Policy, RecoversAtTheFirstSuccess) {
    Sim sim(settings(10s, 1, 1s), [](Time t) {
        if (t >= t0 + 5s && t < t0 + 25s) return refused();
        return ok(10ms);
    });
    sim.handle(sim.policy.start(t0, 0us), t0);
    sim.run_until(t0 + 60s);
    ASSERT_EQ(sim.changes.size(), 2U);
    // Round at 10.01 s: fails at 10.01 and 11.01 s -> down at 11.01 s; next round at
    // 21.01 s fails too; the round at 32.01 s succeeds at 32.02 s.
    EXPECT_FALSE(sim.changes[0].second.up);
    EXPECT_EQ(sim.changes[0].first, t0 + 11010ms);
    EXPECT_TRUE(sim.changes[1].second.up);
    EXPECT_EQ(sim.changes[1].first, t0 + 32020ms);
    EXPECT_EQ(sim.changes[1].second.reason, "check succeeded");
}

TEST(Policy, ASuccessfulRetryKeepsTheCheckerUp) {
    int n = 0;
    Sim sim(settings(10s, 2, 1s), [&](Time) { return ++n % 2 == 0 ? refused() : ok(); });
    sim.handle(sim.policy.start(t0, 0us), t0);
    sim.run_until(t0 + 100s);
    EXPECT_TRUE(sim.changes.empty());
    EXPECT_TRUE(sim.policy.up());
    EXPECT_FALSE(sim.failed_attempts.empty());
    for (const auto& f : sim.failed_attempts) EXPECT_EQ(f.attempt, 1U);
}

TEST(Policy, NeverTwoAttemptsInFlight) {
    CheckerPolicy p(settings(1s, 1, 1s));
    (void)p.start(t0, 0us);
    ASSERT_EQ(p.on_timer(t0).size(), 1U);
    // However late the probe, waking up again starts nothing.
    EXPECT_TRUE(p.on_timer(t0 + 5s).empty());
    EXPECT_TRUE(p.on_timer(t0 + 50s).empty());
    (void)p.on_probe_done(ProbeOutcome::success(), t0 + 60s);
    EXPECT_EQ(p.next_deadline(), t0 + 61s);
    // An outcome nobody asked for is ignored.
    const auto a =
        p.on_probe_done(ProbeOutcome::failure(ProbeOutcome::Kind::io_error, "x"), t0 + 60s);
    EXPECT_TRUE(a.empty());
    EXPECT_EQ(p.next_deadline(), t0 + 61s);
}

TEST(Policy, StopDropsTheAttemptInFlightAndKeepsTheState) {
    CheckerPolicy p(settings(1s, 0, 1s));
    (void)p.start(t0, 0us);
    (void)p.on_timer(t0);
    p.stop();
    EXPECT_FALSE(p.running());
    EXPECT_EQ(p.next_deadline(), std::nullopt);
    EXPECT_TRUE(p.on_probe_done(ProbeOutcome::failure(ProbeOutcome::Kind::timed_out, "t"), t0 + 1s)
                    .empty());
    EXPECT_TRUE(p.up());
    // A restart resumes polling from the kept state.
    (void)p.start(t0 + 10s, 2s);
    EXPECT_EQ(p.next_deadline(), t0 + 12s);
    (void)p.on_timer(t0 + 12s);
    const auto a =
        p.on_probe_done(ProbeOutcome::failure(ProbeOutcome::Kind::timed_out, "t"), t0 + 13s);
    ASSERT_EQ(a.size(), 1U);
    EXPECT_FALSE(std::get<HealthChanged>(a[0]).up);
}

TEST(Policy, DynamicWeightReportedOncePerChange) {
    auto s = settings(1s, 0, 1s);
    s.dynamic_weight = true;
    std::vector<std::optional<std::uint32_t>> replies{5, 5, std::nullopt, 7, 7, 5};
    std::size_t i = 0;
    Sim sim(s, [&](Time) {
        Answer a = ok();
        if (i < replies.size()) a.outcome.weight = replies[i];
        ++i;
        return a;
    });
    sim.handle(sim.policy.start(t0, 0us), t0);
    sim.run_until(t0 + 5500ms);
    EXPECT_EQ(sim.weights, (std::vector<std::uint32_t>{5, 7, 5}));
    EXPECT_EQ(sim.policy.weight(), 5U);
}

TEST(Policy, WeightIgnoredWhenNotDynamic) {
    CheckerPolicy p(settings(1s, 0, 1s));
    (void)p.start(t0, 0us);
    (void)p.on_timer(t0);
    ProbeOutcome o = ProbeOutcome::success();
    o.weight = 9;
    EXPECT_TRUE(p.on_probe_done(o, t0).empty());
    EXPECT_EQ(p.weight(), std::nullopt);
}

TEST(Policy, EventDrivenCheckersApplyEachEventAtOnce) {
    auto s = settings(1s, 3, 1s);
    s.event_driven = true;
    s.dynamic_weight = true;
    CheckerPolicy p(s);
    EXPECT_TRUE(p.start(t0, 5s).empty());
    EXPECT_EQ(p.next_deadline(), std::nullopt) << "never polled";
    EXPECT_TRUE(p.on_timer(t0 + 10s).empty());
    auto a = p.on_probe_done(ProbeOutcome::failure(ProbeOutcome::Kind::mismatch, "file says down"),
                             t0 + 11s);
    ASSERT_EQ(a.size(), 1U) << "no retries for events";
    EXPECT_EQ(std::get<HealthChanged>(a[0]).reason, "file says down");
    ProbeOutcome up = ProbeOutcome::success();
    up.weight = 12;
    a = p.on_probe_done(up, t0 + 12s);
    ASSERT_EQ(a.size(), 2U);
    EXPECT_EQ(std::get<WeightChanged>(a[0]).weight, 12U);
    EXPECT_TRUE(std::get<HealthChanged>(a[1]).up);
    EXPECT_EQ(p.next_deadline(), std::nullopt);
}

TEST(Policy, SettingsFromTheConfiguredChecker) {
    config::Checker c;
    c.kind = config::MiscCheck{{}, std::nullopt, true};
    c.effective.delay_loop = 7s;
    c.effective.delay_before_retry = 2s;
    c.effective.retry = 4;
    c.effective.alpha = true;
    auto s = PolicySettings::from(c);
    EXPECT_EQ(s.delay_loop, 7s);
    EXPECT_EQ(s.delay_before_retry, 2s);
    EXPECT_EQ(s.retry, 4U);
    EXPECT_TRUE(s.alpha);
    EXPECT_TRUE(s.dynamic_weight);
    EXPECT_FALSE(s.event_driven);

    c.kind = config::FileCheck{};
    s = PolicySettings::from(c);
    EXPECT_TRUE(s.event_driven);
    EXPECT_FALSE(s.dynamic_weight);
    c.kind = config::BfdCheck{};
    EXPECT_TRUE(PolicySettings::from(c).event_driven);
    c.kind = config::TcpCheck{};
    s = PolicySettings::from(c);
    EXPECT_FALSE(s.event_driven);
    EXPECT_FALSE(s.dynamic_weight);
}

}  // namespace
}  // namespace vigil::check
