// Tracking arithmetic as keepalived 2.2.7 does it (from its source, and measured): weights,
// reverse, FAULT trackers, track_file values, the address owner, rise/fall, the file format,
// process quorums and interface delays, on simulated time.
#include "vrrp/tracking.h"

#include <gtest/gtest.h>

#include <map>

namespace vigil::vrrp {
namespace {

using namespace std::chrono_literals;

const Time t0{};

TrackRef ref(TrackerKind k, std::int32_t w, bool reverse = false) {
    return {{k, "x"}, w, reverse};
}

TrackerStatus ok(bool v) {
    return {true, v, 0};
}

TrackerStatus value(std::int64_t v) {
    return {true, true, v};
}

TEST(Contribution, WeightsAndReverse) {
    const auto s = TrackerKind::script;
    // Positive weight: added while OK; negative: added while failed; reverse flips the sign.
    EXPECT_EQ(contribution(ref(s, 10), ok(true)).delta, 10);
    EXPECT_EQ(contribution(ref(s, 10), ok(false)).delta, 0);
    EXPECT_EQ(contribution(ref(s, -20), ok(true)).delta, 0);
    EXPECT_EQ(contribution(ref(s, -20), ok(false)).delta, -20);
    EXPECT_EQ(contribution(ref(s, 5, true), ok(true)).delta, -5);
    EXPECT_EQ(contribution(ref(s, 5, true), ok(false)).delta, 0);
    EXPECT_EQ(contribution(ref(s, -5, true), ok(false)).delta, 5);
    // Weight 0: failure is FAULT; with reverse, success is.
    EXPECT_TRUE(contribution(ref(s, 0), ok(false)).fault);
    EXPECT_FALSE(contribution(ref(s, 0), ok(true)).fault);
    EXPECT_TRUE(contribution(ref(s, 0, true), ok(true)).fault);
    // Before a script's first result: FAULT for weight 0, nothing for a weight.
    EXPECT_TRUE(contribution(ref(s, 0), TrackerStatus{false, false, 0}).fault);
    EXPECT_EQ(contribution(ref(s, -20), TrackerStatus{false, false, 0}).delta, 0);
    EXPECT_FALSE(contribution(ref(s, -20), TrackerStatus{false, false, 0}).fault);
}

TEST(Contribution, TrackFileValues) {
    const auto f = TrackerKind::file;
    EXPECT_EQ(contribution(ref(f, 1), value(254)).delta, 253);  // the largest bonus
    EXPECT_EQ(contribution(ref(f, 1), value(-253)).delta, -253);
    EXPECT_TRUE(contribution(ref(f, 1), value(-254)).fault);
    EXPECT_TRUE(contribution(ref(f, 1), value(-5000)).fault);
    EXPECT_EQ(contribution(ref(f, 2, true), value(3)).delta, -6);
    EXPECT_EQ(contribution(ref(f, -10), value(2)).delta, -20);
    EXPECT_TRUE(contribution(ref(f, 0), value(1)).fault);
    EXPECT_FALSE(contribution(ref(f, 0), value(0)).fault);
    EXPECT_TRUE(contribution(ref(f, 0, true), value(0)).fault);
}

TEST(Evaluate, ClampsAndTheOwnerKeeps255) {
    std::map<std::string, TrackerStatus> st{{"a", ok(true)}, {"b", ok(false)}, {"c", ok(false)}};
    const StatusOf of = [&](const TrackerId& id) { return st.at(id.name); };
    const std::vector<TrackRef> refs{{{TrackerKind::script, "a"}, 200, false},
                                     {{TrackerKind::script, "b"}, -30, false}};
    auto t = evaluate(100, refs, of);
    EXPECT_EQ(t.total, 270);
    EXPECT_EQ(t.priority, 254);  // never 255 for a non-owner
    EXPECT_FALSE(t.fault);
    t = evaluate(20, {{{TrackerKind::script, "b"}, -30, false}}, of);
    EXPECT_EQ(t.priority, 1);
    t = evaluate(255, refs, of);
    EXPECT_EQ(t.priority, 255);
    t = evaluate(255, {{{TrackerKind::script, "c"}, 0, false}}, of);
    EXPECT_TRUE(t.fault);
    EXPECT_EQ(t.fault_by->name, "c");
}

TEST(ScriptCounter, FirstResultDecidesThenRiseAndFall) {
    ScriptCounter c(2, 3, false);
    EXPECT_FALSE(c.status().known);
    EXPECT_TRUE(c.on_result(true));  // the first result decides at once
    EXPECT_TRUE(c.status().ok);
    EXPECT_FALSE(c.on_result(false));
    EXPECT_FALSE(c.on_result(false));
    EXPECT_TRUE(c.on_result(false));  // the third consecutive failure
    EXPECT_FALSE(c.status().ok);
    // keepalived, measured with rise 2: success, failure, success, success -> OK on the last.
    EXPECT_FALSE(c.on_result(true));
    EXPECT_FALSE(c.on_result(false));
    EXPECT_FALSE(c.on_result(true));
    EXPECT_TRUE(c.on_result(true));
    EXPECT_TRUE(c.status().ok);
}

TEST(ScriptCounter, InitFailStartsFailedAndAReloadCarriesTheState) {
    ScriptCounter c(2, 1, true);
    EXPECT_TRUE(c.status().known);
    EXPECT_FALSE(c.status().ok);
    EXPECT_FALSE(c.on_result(true));
    EXPECT_TRUE(c.on_result(true));
    ScriptCounter reloaded(5, 5, false, c);
    EXPECT_TRUE(reloaded.status().known);
    EXPECT_TRUE(reloaded.status().ok);
    ScriptCounter fresh(5, 5, false, ScriptCounter(1, 1, false));
    EXPECT_FALSE(fresh.status().known);
}

TEST(TrackFile, ReadAsStrtolWithBaseZero) {
    const std::vector<std::pair<std::string, std::int64_t>> cases{
        {" \t 7\n", 7}, {"+9", 9},        {"0x10", 16}, {"010", 8},
        {"12abc", 12},  {"5.9", 5},       {"3\n4", 3},  {"abc", 0},
        {"", 0},        {"-253\n", -253}, {"0x", 0},    {"2147483648", 2147483648}};
    for (const auto& [text, want] : cases) {
        const auto v = parse_track_file(text);
        ASSERT_TRUE(v.has_value()) << text;
        EXPECT_EQ(*v, want) << text;
    }
    EXPECT_FALSE(parse_track_file("4294967296"));  // out of range: keep the previous value
    EXPECT_FALSE(parse_track_file("-2147483649"));
    EXPECT_FALSE(parse_track_file("999999999999999999999999"));
    // Only the first 127 bytes count.
    EXPECT_EQ(parse_track_file(std::string(127, ' ') + "5"), 0);
}

TEST(ProcessQuorum, DelaysApplyToForksAndExitsOnly) {
    ProcessQuorum q(2, 3, 2s, 1s);
    EXPECT_FALSE(q.status().ok);
    EXPECT_FALSE(q.set_count(1, ProcessQuorum::Cause::scan, t0));
    EXPECT_TRUE(q.set_count(2, ProcessQuorum::Cause::exec, t0));  // a start counts at once
    EXPECT_TRUE(q.status().ok);
    EXPECT_TRUE(q.set_count(4, ProcessQuorum::Cause::exec, t0));  // above quorum_max
    EXPECT_FALSE(q.status().ok);
    // A fork brings it back in range: fork_delay.
    EXPECT_FALSE(q.set_count(3, ProcessQuorum::Cause::fork, t0 + 1s));
    EXPECT_EQ(q.next_deadline(), t0 + 3s);
    EXPECT_FALSE(q.on_timer(t0 + 2s));
    EXPECT_TRUE(q.on_timer(t0 + 3s));
    EXPECT_TRUE(q.status().ok);
    // An exit drops it: terminate_delay, cancelled by a restart within it.
    EXPECT_FALSE(q.set_count(1, ProcessQuorum::Cause::exit, t0 + 10s));
    EXPECT_FALSE(q.set_count(2, ProcessQuorum::Cause::exec, t0 + 10500ms));
    EXPECT_FALSE(q.next_deadline());
    EXPECT_TRUE(q.status().ok);
    EXPECT_FALSE(q.set_count(1, ProcessQuorum::Cause::exit, t0 + 20s));
    EXPECT_TRUE(q.on_timer(t0 + 21s));
    EXPECT_FALSE(q.status().ok);
    // quorum_max 0: OK while none runs.
    ProcessQuorum none(0, 0, 0s, 0s);
    EXPECT_TRUE(none.status().ok);
    EXPECT_TRUE(none.set_count(1, ProcessQuorum::Cause::exec, t0));
    EXPECT_FALSE(none.status().ok);
}

TEST(InterfaceState, DelaysOnceSeenUpAndRemovalAtOnce) {
    InterfaceState i(2s, 0s);
    EXPECT_TRUE(i.set(true, false, t0));  // first seen: no delay
    EXPECT_FALSE(i.set(false, false, t0 + 1s));
    EXPECT_TRUE(i.status().ok);
    EXPECT_FALSE(i.set(true, false, t0 + 2s));  // back before the delay: nothing happened
    EXPECT_FALSE(i.next_deadline());
    EXPECT_FALSE(i.set(false, false, t0 + 10s));
    EXPECT_TRUE(i.on_timer(t0 + 12s));
    EXPECT_FALSE(i.status().ok);
    EXPECT_TRUE(i.set(true, false, t0 + 13s));  // up delay 0
    EXPECT_TRUE(i.set(false, true, t0 + 14s));  // removed: down at once
    EXPECT_FALSE(i.status().ok);
}

}  // namespace
}  // namespace vigil::vrrp
