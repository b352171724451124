// The gratuitous ARP / NA schedule and the per-interface pacer on simulated time, rule by
// rule from keepalived.conf(5) (and keepalived 2.2.7 on the wire: with garp_master_delay 1,
// five GARPs on becoming master and five more one second later; with garp_lower_prio_repeat
// 3 and garp_lower_prio_delay 2, three at the lower priority advert and three 2 s later).
#include "vrrp/garp_schedule.h"

#include <gtest/gtest.h>

namespace vigil::vrrp {
namespace {

using namespace std::chrono_literals;

constexpr Time t0 = Time{} + 1000s;

Micros since_t0(Time t) {
    return std::chrono::duration_cast<Micros>(t - t0);
}

// Runs the schedule's timers up to `until`, as a shell would: returns the rounds sent, and
// when, in order.
std::vector<std::pair<Micros, std::uint32_t>> run(GarpSchedule& s, Time until) {
    std::vector<std::pair<Micros, std::uint32_t>> sent;
    while (auto d = s.next_deadline()) {
        if (*d > until) break;
        const std::uint32_t n = s.on_timer(*d);
        if (n != 0) sent.emplace_back(since_t0(*d), n);
    }
    return sent;
}

using Sent = std::vector<std::pair<Micros, std::uint32_t>>;

TEST(GarpSchedule, DefaultsFiveNowAndFiveAfterFiveSeconds) {
    GarpSchedule s(GarpPolicy{});
    EXPECT_FALSE(s.next_deadline());
    EXPECT_EQ(s.on_master(t0), 5U);
    EXPECT_EQ(s.next_deadline(), t0 + 5s);
    EXPECT_EQ(s.on_timer(t0 + 4999ms), 0U);  // early wake-up: nothing
    EXPECT_EQ(s.on_timer(t0 + 5s), 5U);
    EXPECT_FALSE(s.next_deadline());  // refresh 0: nothing more, ever
    EXPECT_EQ(s.on_timer(t0 + 1h), 0U);
}

TEST(GarpSchedule, MasterDelayAndRepeatFromThePolicy) {
    GarpSchedule s(GarpPolicy{.master_delay = 1s, .master_repeat = 2});
    EXPECT_EQ(s.on_master(t0), 2U);
    EXPECT_EQ(run(s, t0 + 1h), (Sent{{1s, 2}}));
}

TEST(GarpSchedule, MasterDelayZeroMeansNoSecondBurst) {
    GarpSchedule s(GarpPolicy{.master_delay = 0s, .master_repeat = 1});  // vrrp_min_garp
    EXPECT_EQ(s.on_master(t0), 1U);
    EXPECT_FALSE(s.next_deadline());
}

TEST(GarpSchedule, MasterRepeatZeroSendsNothing) {
    GarpSchedule s(GarpPolicy{.master_delay = 3s, .master_repeat = 0});
    EXPECT_EQ(s.on_master(t0), 0U);
    EXPECT_FALSE(s.next_deadline());
}

TEST(GarpSchedule, RefreshWhileMaster) {
    GarpSchedule s(
        GarpPolicy{.master_delay = 5s, .master_repeat = 5, .refresh = 60s, .refresh_repeat = 2});
    EXPECT_EQ(s.on_master(t0), 5U);
    EXPECT_EQ(run(s, t0 + 200s), (Sent{{5s, 5}, {60s, 2}, {120s, 2}, {180s, 2}}));
    EXPECT_EQ(s.next_deadline(), t0 + 240s);
}

TEST(GarpSchedule, RefreshIsAMinimumIntervalFromWhenItWasSent) {
    GarpSchedule s(GarpPolicy{.master_delay = 0s, .refresh = 10s, .refresh_repeat = 1});
    s.on_master(t0);
    EXPECT_EQ(s.on_timer(t0 + 13s), 1U);  // woken late
    EXPECT_EQ(s.next_deadline(), t0 + 23s);
}

TEST(GarpSchedule, RefreshRepeatZeroDisablesRefresh) {
    GarpSchedule s(GarpPolicy{.master_delay = 0s, .refresh = 10s, .refresh_repeat = 0});
    s.on_master(t0);
    EXPECT_FALSE(s.next_deadline());
}

TEST(GarpSchedule, CoincidingBurstsAddUp) {
    GarpSchedule s(
        GarpPolicy{.master_delay = 10s, .master_repeat = 3, .refresh = 10s, .refresh_repeat = 1});
    s.on_master(t0);
    EXPECT_EQ(s.on_timer(t0 + 10s), 4U);
    EXPECT_EQ(s.next_deadline(), t0 + 20s);
}

TEST(GarpSchedule, LowerPriorityAdvertNowAndAfterTheDelay) {
    GarpSchedule s(GarpPolicy{
        .master_delay = 0s, .master_repeat = 1, .lower_prio_delay = 2s, .lower_prio_repeat = 3});
    EXPECT_EQ(s.on_master(t0), 1U);
    EXPECT_EQ(s.on_lower_priority_advert(t0 + 5s), 3U);
    EXPECT_EQ(s.next_deadline(), t0 + 7s);
    EXPECT_EQ(run(s, t0 + 1h), (Sent{{7s, 3}}));
}

TEST(GarpSchedule, LowerPriorityDelayZeroSendsOnlyTheImmediateBurst) {
    GarpSchedule s(GarpPolicy{.master_delay = 0s, .lower_prio_delay = 0s, .lower_prio_repeat = 2});
    s.on_master(t0);
    EXPECT_EQ(s.on_lower_priority_advert(t0 + 1s), 2U);
    EXPECT_FALSE(s.next_deadline());
}

TEST(GarpSchedule, LowerPriorityRepeatZeroSendsNothing) {
    GarpSchedule s(GarpPolicy{.master_delay = 0s, .lower_prio_delay = 2s, .lower_prio_repeat = 0});
    s.on_master(t0);
    EXPECT_EQ(s.on_lower_priority_advert(t0 + 1s), 0U);
    EXPECT_FALSE(s.next_deadline());
}

TEST(GarpSchedule, AnotherLowerPriorityAdvertPostponesTheSecondBurst) {
    GarpSchedule s(GarpPolicy{.master_delay = 0s, .lower_prio_delay = 2s, .lower_prio_repeat = 3});
    s.on_master(t0);
    EXPECT_EQ(s.on_lower_priority_advert(t0 + 1s), 3U);
    EXPECT_EQ(s.on_lower_priority_advert(t0 + 2s), 3U);
    EXPECT_EQ(run(s, t0 + 1h), (Sent{{4s, 3}}));
}

TEST(GarpSchedule, LowerPriorityAdvertIgnoredUnlessMaster) {
    GarpSchedule s(GarpPolicy{});
    EXPECT_EQ(s.on_lower_priority_advert(t0), 0U);
    EXPECT_FALSE(s.next_deadline());
    s.on_master(t0);
    s.on_leave_master();
    EXPECT_EQ(s.on_lower_priority_advert(t0 + 1s), 0U);
    EXPECT_FALSE(s.next_deadline());
}

TEST(GarpSchedule, LeavingMasterCancelsEverything) {
    GarpSchedule s(GarpPolicy{.master_delay = 5s, .lower_prio_delay = 5s, .refresh = 60s});
    s.on_master(t0);
    s.on_lower_priority_advert(t0 + 1s);
    ASSERT_TRUE(s.next_deadline());
    s.on_leave_master();
    EXPECT_FALSE(s.master());
    EXPECT_FALSE(s.next_deadline());
    EXPECT_EQ(s.on_timer(t0 + 10s), 0U);
    EXPECT_EQ(s.on_timer(t0 + 1h), 0U);
}

TEST(GarpSchedule, MasterAgainRestartsTheSchedule) {
    GarpSchedule s(
        GarpPolicy{.master_delay = 5s, .master_repeat = 5, .lower_prio_delay = 3s, .refresh = 60s});
    s.on_master(t0);
    s.on_lower_priority_advert(t0 + 1s);
    s.on_leave_master();
    EXPECT_EQ(s.on_master(t0 + 2s), 5U);
    // The lower priority burst of the previous mastership is gone; the timers count from the
    // new transition.
    EXPECT_EQ(run(s, t0 + 70s), (Sent{{7s, 5}, {62s, 1}}));
}

TEST(GarpSchedule, OnMasterWhileMasterRestartsToo) {
    GarpSchedule s(GarpPolicy{.master_delay = 5s, .master_repeat = 2});
    s.on_master(t0);
    EXPECT_EQ(s.on_master(t0 + 3s), 2U);
    EXPECT_EQ(run(s, t0 + 1h), (Sent{{8s, 2}}));
}

TEST(Pacer, ZeroIntervalNeverWaits) {
    Pacer p(0s);
    EXPECT_EQ(p.slot(t0), t0);
    EXPECT_EQ(p.slot(t0), t0);
    EXPECT_EQ(p.slot(t0 + 1us), t0 + 1us);
    EXPECT_FALSE(p.busy_until());
}

TEST(Pacer, SpacesABurstByTheInterval) {
    Pacer p(1ms);  // vrrp_garp_interval 0.001
    EXPECT_EQ(p.slot(t0), t0);
    EXPECT_EQ(p.slot(t0), t0 + 1ms);
    EXPECT_EQ(p.slot(t0), t0 + 2ms);
    EXPECT_EQ(p.busy_until(), t0 + 3ms);
    // Asked again half way through: still queued behind the burst.
    EXPECT_EQ(p.slot(t0 + 1500us), t0 + 3ms);
}

TEST(Pacer, IdleInterfaceSendsAtOnce) {
    Pacer p(10ms);
    EXPECT_EQ(p.slot(t0), t0);
    EXPECT_EQ(p.slot(t0 + 10ms), t0 + 10ms);
    EXPECT_EQ(p.slot(t0 + 1s), t0 + 1s);
    EXPECT_EQ(p.slot(t0 + 1s + 3ms), t0 + 1s + 10ms);
}

TEST(Pacer, SharedByAGroupAggregatesInterfaces) {
    // A garp_group with `interfaces { a b }`: one Pacer for both, so messages on a and b
    // together keep the interval.
    Pacer group(5ms);
    const Time on_a = group.slot(t0);
    const Time on_b = group.slot(t0);
    const Time on_a2 = group.slot(t0 + 1ms);
    EXPECT_EQ(on_a, t0);
    EXPECT_EQ(on_b, t0 + 5ms);
    EXPECT_EQ(on_a2, t0 + 10ms);
}

TEST(GarpScheduleAndPacer, AScheduledBurstPacedOnAnInterface) {
    // Two VIPs, two rounds, gna_interval 0.25 s: four frames, 250 ms apart.
    GarpSchedule s(GarpPolicy{.master_delay = 0s, .master_repeat = 2});
    Pacer p(250ms);
    std::vector<Micros> at;
    const std::uint32_t rounds = s.on_master(t0);
    for (std::uint32_t r = 0; r < rounds; ++r)
        for (int vip = 0; vip < 2; ++vip) at.push_back(since_t0(p.slot(t0)));
    EXPECT_EQ(at, (std::vector<Micros>{0ms, 250ms, 500ms, 750ms}));
}

}  // namespace
}  // namespace vigil::vrrp
